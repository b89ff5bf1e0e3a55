/**
 * Escape sequences an agent (or an issue) writes must never reach the operator's terminal raw:
 * the real CLI runs a task that fails with a hostile stderr line, then `status` and `tasks ls`
 * show its error with every control character removed.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { runCli } from '../support/cli.js';
import { fastEnv } from '../support/daemons.js';
import { useTempDirs } from '../support/temp-dir.js';

const tempDir = useTempDirs();
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point
const ANY_CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;

describe('terminal output of untrusted text', () => {
  it('status and tasks ls strip escape sequences from a failed task’s error', async () => {
    const dir = tempDir();
    const script = join(dir, 'evil.mjs');
    writeFileSync(
      script,
      `process.stderr.write('boom \\u001b]0;pwned\\u0007\\u001b[2J\\u001b[31mred\\u009b0m \\u202eevil\\u007f\\n'); process.exit(1);\n`,
    );
    const dag = join(dir, 'dag.yaml');
    writeFileSync(dag, stringify([{ id: 'evil', payload: { kind: 'shell', cmd: `node ${script}` } }]));
    const env = fastEnv(join(dir, 'state'), { SHARED_STATE_MAX_RETRIES: '1' });
    const run = await runCli(['run', '--seed', dag, '--until-idle'], { env });
    expect(run.stdout.replace(/\n/g, '')).not.toMatch(ANY_CONTROL);

    const status = await runCli(['status'], { env });
    expect(status.code, status.stderr).toBe(0);
    expect(status.stdout).toMatch(/evil\s+1\s+.*boom red evil/);
    expect(status.stdout.replace(/\n/g, '')).not.toMatch(ANY_CONTROL);

    const ls = await runCli(['tasks', 'ls'], { env });
    expect(ls.stdout).toMatch(/boom red evil/);
    expect(ls.stdout.replace(/\n/g, '')).not.toMatch(ANY_CONTROL);
  });
});
