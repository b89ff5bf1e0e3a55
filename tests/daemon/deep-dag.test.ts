/**
 * A local DAG 10,000 tasks deep behind an ignored head, through the real CLI: `run --until-idle`
 * must see that nothing behind the head can ever run, and exit — not overflow the stack on
 * every cycle and spin for ever.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { runCli } from '../support/cli.js';
import { type DaemonProcess, fastEnv, openTestState, startCli } from '../support/daemons.js';
import { useTempDirs } from '../support/temp-dir.js';

const tempDir = useTempDirs();
const daemons: DaemonProcess[] = [];
afterEach(() => {
  // A daemon that never went idle must not outlive its test.
  for (const d of daemons.splice(0)) if (d.child.exitCode === null) d.child.kill('SIGKILL');
});

describe('a 10,000-deep local DAG whose head is ignored', () => {
  it('run --until-idle exits 0 at once and runs nothing', async () => {
    const n = 10_000;
    const dir = tempDir();
    const file = join(dir, 'dag.yaml');
    // t00000 ← … ← t09999 ← head: listed first, t00000 waits on the whole chain behind it.
    const id = (i: number) => (i === n - 1 ? 'head' : `t${String(i).padStart(5, '0')}`);
    const tasks = Array.from({ length: n }, (_, i) => ({
      id: id(i),
      deps: i === n - 1 ? [] : [id(i + 1)],
      payload: { kind: 'noop' },
    }));
    writeFileSync(file, stringify(tasks));
    const env = fastEnv(join(dir, 'state'));
    const seeded = await runCli(['tasks', 'seed', file], { env });
    expect(seeded.code, seeded.stderr).toBe(0);
    const ignored = await runCli(['ignore', 'head'], { env });
    expect(ignored.code, ignored.stderr).toBe(0);

    const run = startCli(['run', '--until-idle'], env);
    daemons.push(run);
    expect(await run.exited, run.output().slice(-2000)).toBe(0);
    expect(run.output()).not.toMatch(/Maximum call stack/);
    const store = openTestState(join(dir, 'state'));
    try {
      const list = store.list({ source: 'local' });
      expect(list).toHaveLength(n);
      expect(list.filter((t) => t.state !== 'ready')).toEqual([]);
    } finally {
      store.close();
    }
  });
});
