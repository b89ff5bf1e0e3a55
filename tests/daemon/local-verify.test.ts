/**
 * `verify: <agent>` on the local board with real processes and real git: an author daemon
 * (`--agent coder`) and a verifier daemon (`--agent reviewer`) share one SQLite file; the
 * verifier runs on the author's branch, and nothing downstream starts before it passed.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { runCli } from '../support/cli.js';
import { type DaemonProcess, exitWithin, fastEnv, openTestState, startCli } from '../support/daemons.js';
import { useTempDirs } from '../support/temp-dir.js';
import { gitFixture, worktreeDaemonEnv } from '../workspaces/git-fixture.js';

const tempDir = useTempDirs();
/** A bound on "never": the run needs a few seconds; a daemon that never idles is stopped. */
const HANG_GUARD_MS = 90_000;
const SCRIPT = new URL('../fixtures/verify-branch.mjs', import.meta.url).pathname;

interface LogLine {
  mode: 'write' | 'check';
  task: string;
  owner: string;
  verifyOf: string | null;
  branch: string | null;
  found: string | null;
  passed: boolean;
}

let log: LogLine[];
let states: Map<string, string>;
let outputs: string;
let codes: (number | null | 'hung')[];
/** good.txt on the author's branch, read before the temporary directory goes. */
let onBranch: string;
let events: { type: string; taskId: string | null; ownerId: string | null }[];

beforeAll(async () => {
  const dir = tempDir();
  const repo = gitFixture(dir);
  const logFile = join(dir, 'verify-log.jsonl');
  const run = (...args: string[]) => ({ kind: 'shell', cmd: ['node', SCRIPT, logFile, ...args] });
  /** A coder task writing `<id>.txt`, verified by a reviewer expecting "right", and a task after it. */
  const verified = (id: string, title: string, text: string) => [
    {
      id,
      title,
      agent: 'coder',
      workspace: true,
      payload: run('write', `${id}.txt`, text),
      verify: { agent: 'reviewer', payload: run('check', `${id}.txt`, 'right') },
    },
    { id: `ship-${id}`, agent: 'coder', deps: [id], payload: run('write', `shipped-${id}.txt`, 'x') },
  ];
  const dag = join(dir, 'dag.yaml');
  writeFileSync(
    dag,
    stringify({
      tasks: [
        // Verified: the reviewer finds what the author wrote, on the author's branch.
        ...verified('good', 'Good change', 'right'),
        // Refused: the reviewer expects other content, so what depends on it never runs.
        ...verified('bad', 'Bad change', 'wrong'),
      ],
    }),
  );
  const stateDir = join(dir, 'state');
  const env = fastEnv(stateDir, { ...worktreeDaemonEnv(repo), SHARED_STATE_MAX_RETRIES: '1' });
  const seeded = await runCli(['tasks', 'seed', dag], { env });
  expect(seeded.stdout, seeded.stderr).toMatch(/6 added/);
  const daemons: DaemonProcess[] = [
    startCli(['run', '--until-idle', '--owner', 'w-code', '--agent', 'coder'], env),
    startCli(['run', '--until-idle', '--owner', 'w-review', '--agent', 'reviewer'], env),
  ];
  codes = await Promise.all(daemons.map((d) => exitWithin(d, HANG_GUARD_MS)));
  outputs = daemons.map((d) => d.output()).join('\n');
  log = readFileSync(logFile, 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as LogLine);
  onBranch = repo.git(['show', 'codex/good-good-change:good.txt']);
  const store = openTestState(stateDir);
  try {
    states = new Map(store.list().map((t) => [t.id, t.state]));
    events = store.events.query({ types: ['started', 'completed', 'failed', 'poisoned'] });
  } finally {
    store.close();
  }
});

describe('verify: <agent> on the local board (two daemons, real git)', () => {
  it('both daemons end by themselves once nothing is left for them', () => {
    // The verifier's run ends with the refused verification poisoned: exit 1 says so.
    expect(codes, outputs).toEqual([0, 1]);
  });

  it('a verification runs on the verified task’s branch, by the verifying capability’s daemon', () => {
    const check = log.find((l) => l.task === 'good.verify')!;
    expect(check).toMatchObject({
      mode: 'check',
      owner: 'w-review',
      verifyOf: 'good',
      branch: 'codex/good-good-change',
      found: 'right',
      passed: true,
    });
    expect(log.filter((l) => l.mode === 'write' && l.task !== 'ship-good' && l.task !== 'ship-bad')).toEqual([
      expect.objectContaining({ owner: 'w-code' }),
      expect.objectContaining({ owner: 'w-code' }),
    ]);
    expect(onBranch).toBe('right');
  });

  it('what depends on a verified task runs only after its verification, and never after a refused one', () => {
    expect(Object.fromEntries(states)).toEqual({
      good: 'done',
      'good.verify': 'done',
      'ship-good': 'done',
      bad: 'done',
      'bad.verify': 'poisoned',
      'ship-bad': 'ready',
    });
    const order = log.map((l) => l.task);
    expect(order.indexOf('ship-good')).toBeGreaterThan(order.indexOf('good.verify'));
    expect(order).not.toContain('ship-bad');
    // The refused verification saw the author's work and said no, once per allowed attempt.
    const refusals = log.filter((l) => l.task === 'bad.verify');
    expect(refusals.length).toBeGreaterThan(0);
    expect(refusals.every((l) => l.found === 'wrong' && !l.passed && l.owner === 'w-review')).toBe(true);
    expect(events.some((e) => e.type === 'poisoned' && e.taskId === 'bad.verify')).toBe(true);
  });
});
