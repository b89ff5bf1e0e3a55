import { describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.js';
import { fastEnv } from '../support/daemons.js';
import { useTempDirs } from '../support/temp-dir.js';

const tempDir = useTempDirs();
const json = (text: string) => JSON.parse(text) as Record<string, unknown>;

describe('codex-monitor CLI: one --json everywhere (issue 13)', () => {
  it('retry, ignore, unignore, tasks add and tasks reset print JSON with their own or the global --json', async () => {
    const env = fastEnv(tempDir());
    const added = await runCli(['tasks', 'add', 'lint', '--shell', 'node -e 1', '--json'], { env });
    expect(json(added.stdout)).toMatchObject({ id: 'lint', title: 'lint', payload: { kind: 'shell' } });
    // The global flag before the command is honoured too.
    const ignored = await runCli(['--json', 'ignore', 'lint', '--reason', 'flaky \u001b[2Jlinter'], { env });
    expect(json(ignored.stdout)).toEqual({
      task: 'lint',
      action: 'ignore',
      changed: true,
      message: 'Task lint is ignored: flaky \u001b[2Jlinter',
      reason: 'flaky \u001b[2Jlinter',
    });
    const unignored = await runCli(['unignore', 'lint', '--json'], { env });
    expect(json(unignored.stdout)).toMatchObject({ task: 'lint', action: 'unignore', changed: true });
    const again = await runCli(['unignore', 'lint', '--json'], { env });
    expect(json(again.stdout)).toMatchObject({ changed: false, message: 'Task lint was not ignored.' });
    const reset = await runCli(['tasks', 'reset', 'lint', '--json'], { env });
    expect(reset.code).toBe(2); // a ready task: nothing to reset, said on stderr, not as JSON
    expect(reset.stdout).toBe('');
    expect(reset.stderr).toMatch(/Task lint is ready; nothing to reset/);
    // Text, when no --json: the reason is terminal-safe (its escape sequence removed).
    const text = await runCli(['ignore', 'lint', '--reason', 'flaky \u001b[2Jlinter'], { env });
    expect(text.stdout).toBe('Task lint is ignored: flaky linter\n');
  });

  it('retry and tasks reset of a finished task answer JSON', async () => {
    const dir = tempDir();
    const env = fastEnv(dir);
    await runCli(['tasks', 'add', 'fails', '--shell', 'node -e process.exit(3)'], { env });
    await runCli(['tasks', 'add', 'passes', '--shell', 'node -e 0'], { env });
    const run = await runCli(['run', '--until-idle'], { env: { ...env, SHARED_STATE_MAX_RETRIES: '1' } });
    expect(run.code, run.stderr).toBe(1); // poisoned work
    const retried = await runCli(['retry', 'fails', '--json'], { env });
    expect(json(retried.stdout)).toEqual({
      task: 'fails',
      action: 'retry',
      changed: true,
      message: 'Task fails is ready again with a fresh retry budget.',
    });
    const reset = await runCli(['--json', 'tasks', 'reset', 'passes'], { env });
    expect(json(reset.stdout)).toMatchObject({
      task: 'passes',
      action: 'reset',
      changed: true,
      state: 'ready',
    });
  });

  it('a command without JSON output refuses --json (exit 2) instead of ignoring it', async () => {
    const env = fastEnv(tempDir());
    for (const args of [
      ['run', '--json', '--once'],
      ['--json', 'run', '--once'],
    ]) {
      const result = await runCli(args, { env });
      expect(result.code).toBe(2);
      expect(result.stdout).toBe('');
      expect(result.stderr).toMatch(/`codex-monitor run` does not take --json: .*status --json/);
    }
  });
});
