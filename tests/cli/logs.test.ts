import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.js';
import { fastEnv, startCli, waitFor } from '../support/daemons.js';
import { useTempDirs } from '../support/temp-dir.js';

const tempDir = useTempDirs();

/**
 * An agent that prints escape sequences (a window title, a screen clear) on stdout, a line on
 * stderr, and fails its first attempt. With a file argument it prints a line, waits for that
 * file to exist, prints another, and succeeds.
 */
const AGENT = `
import { existsSync } from 'node:fs';
const attempt = Number(process.env.CODEX_MONITOR_ATTEMPT);
const go = process.argv[2];
if (go) {
  console.log('first line');
  const timer = setInterval(() => {
    if (!existsSync(go)) return;
    clearInterval(timer);
    console.log('last line');
  }, 50);
} else {
  process.stdout.write('attempt ' + attempt + ' says \\u001b]0;pwned\\u0007hello\\u001b[2J\\n');
  process.stderr.write('attempt ' + attempt + ' complains\\n');
  process.exitCode = attempt === 1 ? 1 : 0;
}
`;

function setup() {
  const dir = tempDir();
  const agent = join(dir, 'agent.mjs');
  writeFileSync(agent, AGENT);
  return { dir, agent, env: fastEnv(join(dir, 'state')) };
}

describe('codex-monitor logs (issue 13)', () => {
  it("prints an attempt's stdout or stderr, terminal-safe, the latest by default; --json gives where it is", async () => {
    const { agent, env } = setup();
    await runCli(['tasks', 'add', 'noisy', '--shell', `node ${agent}`], { env });
    const run = await runCli(['run', '--until-idle'], { env });
    expect(run.code, run.stderr).toBe(0); // failed once, then completed

    const latest = await runCli(['logs', 'noisy'], { env });
    expect(latest).toMatchObject({ code: 0, stdout: 'attempt 2 says hello\n', stderr: '' });
    const first = await runCli(['logs', 'noisy', '--attempt', '1', '--stderr'], { env });
    expect(first.stdout).toBe('attempt 1 complains\n');
    const meta = JSON.parse((await runCli(['logs', 'noisy', '--attempt', '1', '--json'], { env })).stdout);
    expect(meta).toMatchObject({
      task: 'noisy',
      attempt: 1,
      epoch: 1,
      outcome: 'failed',
      stream: 'stdout',
      exists: true,
      path: expect.stringMatching(/artifacts\/noisy\/1\/stdout\.log$/),
    });
    expect(meta.owner).toEqual(expect.any(String));
    const byEpoch = JSON.parse((await runCli(['--json', 'logs', 'noisy', '--epoch', '2'], { env })).stdout);
    expect(byEpoch).toMatchObject({ attempt: 2, epoch: 2, outcome: 'complete' });
  });

  it('names the input in a clear error: unknown task or attempt (exit 2), a task that never ran here (exit 1)', async () => {
    const { agent, env } = setup();
    await runCli(['tasks', 'add', 'noisy', '--shell', `node ${agent}`], { env });
    const notRun = await runCli(['logs', 'noisy'], { env });
    expect(notRun.code).toBe(1);
    expect(notRun.stderr).toMatch(/No attempt of noisy has left a log on this machine/);
    const unknown = await runCli(['logs', 'nosuch'], { env });
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/No task "nosuch".*codex-monitor tasks ls/);
    await runCli(['run', '--until-idle'], { env });
    const noAttempt = await runCli(['logs', 'noisy', '--attempt', '7'], { env });
    expect(noAttempt.code).toBe(2);
    expect(noAttempt.stderr).toMatch(
      /No attempt 7 of noisy on this machine\. Here: epoch 1 \(attempt 1\), epoch 2/,
    );
  });

  it('--follow prints what a running attempt appends and ends when the attempt ends', async () => {
    const { dir, agent, env } = setup();
    const go = join(dir, 'go');
    await runCli(['tasks', 'add', 'slow', '--shell', `node ${agent} ${go}`], { env });
    const daemon = startCli(['run', '--until-idle'], env);
    const log = join(dir, 'state', 'artifacts', 'slow', '1', 'stdout.log');
    try {
      await waitFor(
        () => existsSync(log) && readFileSync(log, 'utf8') === 'first line\n',
        30_000,
        'the first line',
      );
      const follow = startCli(['logs', 'slow', '--follow'], env);
      // Only once the follower printed what is there does the attempt go on (and end).
      await waitFor(() => follow.output() === 'first line\n', 30_000, 'the follower to print the first line');
      writeFileSync(go, '');
      expect(await follow.exited).toBe(0);
      expect(follow.output()).toBe('first line\nlast line\n');
      expect(await daemon.exited).toBe(0);
    } finally {
      daemon.child.kill('SIGKILL');
    }
  });
});
