import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.js';
import { useTempDirs } from '../support/temp-dir.js';

const tempDir = useTempDirs();

describe('durations on the command line and in DAG files', () => {
  it('accept and refuse the same values, with a bound a timer can wait', async () => {
    const dir = tempDir();
    const stateDir = join(dir, 'state');
    const env = { CODEX_MONITOR_STATE_DIR: stateDir };
    const seed = (timeout: string) => {
      const file = join(dir, `dag-${timeout}.yaml`);
      writeFileSync(
        file,
        `- id: t-${timeout}\n  payload: { kind: shell, cmd: "true", timeout: ${timeout} }\n`,
      );
      return runCli(['tasks', 'seed', file], { env });
    };

    // One day: fine in both (the DAG used to refuse the "d" the command line accepted).
    expect(
      (await runCli(['tasks', 'add', 'cli-1d', '--shell', 'true', '--timeout', '1d'], { env })).code,
    ).toBe(0);
    expect((await seed('1d')).code).toBe(0);

    // 30 days: more than setTimeout can wait (it would fire at once): refused by both, exit 2.
    const cli = await runCli(['tasks', 'add', 'cli-30d', '--shell', 'true', '--timeout', '30d'], { env });
    expect(cli.code).toBe(2);
    expect(cli.stderr).toMatch(/duration "30d" is too long: at most 2147483647 ms \(about 24\.9 days\)/);
    const dag = await seed('30d');
    expect(dag.code).toBe(2);
    expect(dag.stderr).toMatch(/payload\.timeout.*duration "30d" is too long/);

    const ls = await runCli(['tasks', 'ls', '--json'], { env });
    expect(
      JSON.parse(ls.stdout)
        .map((t: { id: string }) => t.id)
        .sort(),
    ).toEqual(['cli-1d', 't-1d']);
  });
});

describe('variables that look misspelled', () => {
  it('get a warning naming the closest known one; CI variables and unknown names do not', async () => {
    const dir = tempDir();
    const result = await runCli(['tasks', 'add', 'x'], {
      env: {
        CODEX_MONITOR_STATE_DIR: join(dir, 'state'),
        MAX_PARALEL: '4',
        GITHUB_ACTIONS: 'true',
        GITHUB_SHA: 'abc123',
        GITHUB_WORKSPACE: dir,
        SOMETHING_ELSE: '1',
      },
    });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toBe(
      'codex-monitor: warning: MAX_PARALEL is not a codex-monitor variable and is ignored; did you mean MAX_PARALLEL?\n',
    );
  });
});
