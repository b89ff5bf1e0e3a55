import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { describe, expect, it } from 'vitest';
import { cliArgs, runCli } from '../support/cli.js';
import { fastEnv } from '../support/daemons.js';
import { useTempDirs } from '../support/temp-dir.js';

const tempDir = useTempDirs();

/** `codex-monitor <args>` with stdout and stderr piped apart; stdout read line by line. */
function startPiped(args: string[], env: Record<string, string>) {
  const childEnv: Record<string, string | undefined> = { ...process.env, ...env };
  for (const key of Object.keys(childEnv)) if (key.startsWith('GITHUB_')) delete childEnv[key];
  const child = spawn(process.execPath, cliArgs(...args), {
    env: childEnv,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  const waiters: (() => void)[] = [];
  child.stdout.on('data', (d: Buffer) => {
    stdout += d.toString();
    for (const wake of waiters.splice(0)) wake();
  });
  child.stderr.on('data', (d: Buffer) => {
    stderr += d.toString();
  });
  let ended = false;
  const exited = once(child, 'exit').then(([code, signal]) => {
    ended = true;
    for (const wake of waiters.splice(0)) wake();
    return { code, signal };
  });
  return {
    child,
    exited,
    stdout: () => stdout,
    stderr: () => stderr,
    /** Resolves once stdout satisfies `test` (the test's own timeout bounds the wait). */
    async until(test: (out: string) => boolean): Promise<string> {
      while (!test(stdout)) {
        if (ended) throw new Error(`the command ended first:\n${stdout}\n${stderr}`);
        await new Promise<void>((resolve) => waiters.push(resolve));
      }
      return stdout;
    },
  };
}

const headings = (out: string) => out.match(/^codex-monitor status at /gm)?.length ?? 0;

describe('codex-monitor status --watch, piped', () => {
  it.each([
    ['0s', /--watch "0s" is out of range: the interval must be from 1s to 1h \(e\.g\. --watch 5s\)/],
    ['500ms', /--watch "500ms" is out of range/],
    ['2h', /--watch "2h" is out of range/],
    [
      'soon',
      /--watch: bad duration "soon"; use seconds \(30\) or a number with a unit.*\(e\.g\. --watch 5s\)/,
    ],
  ])('refuses the interval %s with a message naming it (exit 2, nothing shown)', async (value, message) => {
    const env = fastEnv(tempDir());
    await runCli(['tasks', 'add', 'alpha'], { env });
    const result = await runCli(['status', '--watch', value], { env });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(message);
    expect(result.stdout).toBe('');
  });

  it('a bare number is seconds: frames follow each other plainly; SIGTERM ends it with exit 0', async () => {
    const env = fastEnv(tempDir());
    await runCli(['tasks', 'add', 'alpha'], { env });
    const watch = startPiped(['status', '--watch', '1'], env);
    await watch.until((out) => headings(out) >= 2);
    watch.child.kill('SIGTERM');
    expect(await watch.exited).toEqual({ code: 0, signal: null });
    expect(watch.stdout()).not.toContain('\u001b');
    // Each frame after the first starts after a blank line.
    expect(watch.stdout()).toMatch(/\n\ncodex-monitor status at /);
    expect(watch.stderr()).toBe('');
  });

  it('--json prints one JSON document per line; a reader that goes away (| head -1) ends it with exit 0, no stack', async () => {
    const env = fastEnv(tempDir());
    await runCli(['tasks', 'add', 'alpha'], { env });
    const watch = startPiped(['status', '--watch', '1s', '--json'], env);
    const out = await watch.until((text) => text.split('\n').length >= 3);
    for (const line of out.split('\n').slice(0, 2))
      expect(JSON.parse(line)).toMatchObject({ totals: { ready: 1 } });
    // What `head -1` does once it has its line: close the pipe. The next frame meets EPIPE.
    watch.child.stdout.destroy();
    expect(await watch.exited).toEqual({ code: 0, signal: null });
    expect(watch.stderr()).toBe('');
  });

  it('a one-shot command whose reader is gone before it writes ends with exit 0, no stack (EPIPE)', async () => {
    const env = fastEnv(tempDir());
    await runCli(['tasks', 'add', 'alpha'], { env });
    const status = startPiped(['status', '--json'], env);
    status.child.stdout.destroy();
    expect(await status.exited).toEqual({ code: 0, signal: null });
    expect(status.stderr()).toBe('');
  });
});
