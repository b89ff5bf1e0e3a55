import { chmodSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { useTempDirs } from '../../tests/support/temp-dir.js';
import type { ExecutionRequest } from './executor.js';
import { groupHasLiveMembers, isRunning } from './process-group.js';
import type { ResultRecord } from './result-record.js';
import { ShellExecutor, type ShellExecutorOptions } from './shell.js';

const tempDir = useTempDirs();
// The test's own node binary: a path ending in /node, allowed by the bare entry `node`.
const NODE = process.execPath;
const GRACE = 300;

function executor(options: Partial<ShellExecutorOptions> = {}) {
  return new ShellExecutor({
    allowlist: ['node', 'sh'],
    defaultTimeoutMs: 20_000,
    killGraceMs: GRACE,
    ...options,
  });
}

function request(cmd: string | string[], extra: Partial<ExecutionRequest> = {}): ExecutionRequest {
  return {
    taskId: 'task-7',
    title: 'Fix the "thing"',
    attempt: 2,
    epoch: 41,
    ownerId: 'ws1/codex',
    payload: { kind: 'shell', cmd },
    artifactsDir: join(tempDir(), 'artifacts', 'task-7', '2'),
    ...extra,
  };
}

const read = (dir: string, file: string) => readFileSync(join(dir, file), 'utf8');
const record = (dir: string) => JSON.parse(read(dir, 'result.json')) as ResultRecord;

async function waitForFile(path: string): Promise<string> {
  for (let i = 0; i < 500; i++) {
    if (existsSync(path) && readFileSync(path, 'utf8').trim() !== '')
      return readFileSync(path, 'utf8').trim();
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error(`${path} never appeared`);
}

/** sh leading a group with a background grandchild whose pid it writes to gpid. */
const GROUP = `sh -c 'sleep 30 & echo $! > "$CODEX_MONITOR_ARTIFACTS_DIR/gpid"; wait'`;

describe('ShellExecutor', () => {
  it('runs a command: complete, stdout captured, CODEX_MONITOR_* visible, result.json written', async () => {
    const script = `console.log('hello'); const e = process.env; console.log(JSON.stringify({ id: e.CODEX_MONITOR_TASK_ID, title: e.CODEX_MONITOR_TASK_TITLE, attempt: e.CODEX_MONITOR_ATTEMPT, epoch: e.CODEX_MONITOR_EPOCH, owner: e.CODEX_MONITOR_OWNER, dir: e.CODEX_MONITOR_ARTIFACTS_DIR, issue: e.ISSUE_NUMBER }))`;
    const req = request([NODE, '-e', script], { env: { ISSUE_NUMBER: '12' } });
    const pids: number[] = [];
    const result = await executor().run(req, new AbortController().signal, {
      onSpawn: (pid) => pids.push(pid),
    });

    expect(result).toMatchObject({ outcome: 'complete', exitCode: 0 });
    expect(result.error).toBeUndefined();
    const [first, json] = read(req.artifactsDir, 'stdout.log').trim().split('\n');
    expect(first).toBe('hello');
    expect(JSON.parse(json!)).toEqual({
      id: 'task-7',
      title: 'Fix the "thing"',
      attempt: '2',
      epoch: '41',
      owner: 'ws1/codex',
      dir: req.artifactsDir,
      issue: '12',
    });
    expect(pids).toHaveLength(1);
    expect(pids[0]).toBeGreaterThan(0);
    const rec = record(req.artifactsDir);
    expect(rec).toMatchObject({
      kind: 'shell',
      taskId: 'task-7',
      attempt: 2,
      epoch: 41,
      ownerId: 'ws1/codex',
      argv: [NODE, '-e', script],
      outcome: 'complete',
      exitCode: 0,
      signal: null,
      error: null,
    });
    expect(Date.parse(rec.endedAt)).toBeGreaterThanOrEqual(Date.parse(rec.startedAt));
    expect(rec.durationMs).toBe(result.durationMs);
  });

  it('fails with the exit code and the last non-empty stderr line', async () => {
    const req = request(
      `node -e "console.error('first'); console.error('boom: ' + 'x'.repeat(300)); console.error(); process.exit(3)"`,
    );
    const result = await executor().run(req, new AbortController().signal);

    expect(result.outcome).toBe('failed');
    expect(result.exitCode).toBe(3);
    expect(result.error).toBe(`exit code 3: boom: ${'x'.repeat(194)}`);
    expect(record(req.artifactsDir)).toMatchObject({ outcome: 'failed', exitCode: 3, error: result.error });
  });

  it('times out: kills the whole group, grandchild included, and says so', async () => {
    const req = request(GROUP, { payload: { kind: 'shell', cmd: GROUP, timeoutMs: 800 } });
    const started = Date.now();
    const result = await executor().run(req, new AbortController().signal);

    expect(result).toMatchObject({ outcome: 'failed', error: 'timed out after 800 ms' });
    expect(Date.now() - started).toBeLessThan(800 + GRACE + 2000);
    const grandchild = Number(read(req.artifactsDir, 'gpid'));
    expect(grandchild).toBeGreaterThan(0);
    expect(isRunning(grandchild)).toBe(false);
  });

  it('aborts: resolves aborted within the grace and kills the group', async () => {
    const req = request(GROUP);
    const controller = new AbortController();
    let leader = 0;
    const running = executor().run(req, controller.signal, { onSpawn: (pid) => (leader = pid) });
    const grandchild = Number(await waitForFile(join(req.artifactsDir, 'gpid')));
    expect(isRunning(grandchild)).toBe(true);

    const abortedAt = Date.now();
    controller.abort();
    const result = await running;
    expect(result.outcome).toBe('aborted');
    expect(Date.now() - abortedAt).toBeLessThan(GRACE + 2000);
    expect(isRunning(grandchild)).toBe(false);
    // Zombies left to a PID 1 that does not reap (containers) do not count as members.
    expect(groupHasLiveMembers(leader)).toBe(false);
    expect(record(req.artifactsDir).outcome).toBe('aborted');
  });

  it('escalates to SIGKILL when SIGTERM is ignored', async () => {
    const script = `process.on('SIGTERM', () => {}); require('fs').writeFileSync(process.env.CODEX_MONITOR_ARTIFACTS_DIR + '/ready', String(process.pid)); setInterval(() => {}, 1000)`;
    const req = request([NODE, '-e', script]);
    const controller = new AbortController();
    const running = executor().run(req, controller.signal);
    const pid = Number(await waitForFile(join(req.artifactsDir, 'ready')));

    controller.abort();
    const result = await running;
    expect(result.outcome).toBe('aborted');
    expect(record(req.artifactsDir).signal).toBe('SIGKILL');
    expect(isRunning(pid)).toBe(false);
  });

  it('cleans up a background process the command left behind on a normal exit', async () => {
    const cmd = `sh -c 'sleep 30 & echo $! > "$CODEX_MONITOR_ARTIFACTS_DIR/gpid"'`;
    const req = request(cmd);
    const result = await executor().run(req, new AbortController().signal);

    expect(result.outcome).toBe('complete');
    // The grandchild held stdout.log open: settling did not wait for it to close.
    expect(isRunning(Number(read(req.artifactsDir, 'gpid')))).toBe(false);
  });

  it('refuses a program not on the allow-list without starting anything', async () => {
    const dir = tempDir();
    const marker = join(dir, 'marker');
    const req = request(`touch ${marker}`);
    const pids: number[] = [];
    const result = await executor().run(req, new AbortController().signal, {
      onSpawn: (pid) => pids.push(pid),
    });

    expect(result).toMatchObject({
      outcome: 'failed',
      error: 'program "touch" is not in EXECUTOR_ALLOWLIST (allowed: node, sh)',
    });
    expect(existsSync(marker)).toBe(false);
    expect(pids).toEqual([]);
    expect(existsSync(join(req.artifactsDir, 'stdout.log'))).toBe(false);
    expect(record(req.artifactsDir)).toMatchObject({ argv: ['touch', marker], outcome: 'failed' });
  });

  it('fails when the program cannot be started: ENOENT and EACCES', async () => {
    const missing = request('no-such-program-xyz --flag');
    const r1 = await executor({ allowlist: ['no-such-program-xyz'] }).run(
      missing,
      new AbortController().signal,
    );
    expect(r1).toMatchObject({ outcome: 'failed', error: 'cannot start "no-such-program-xyz": ENOENT' });
    expect(record(missing.artifactsDir).outcome).toBe('failed');

    const script = join(tempDir(), 'not-executable.sh');
    writeFileSync(script, '#!/bin/sh\ntrue\n');
    chmodSync(script, 0o644);
    const r2 = await executor({ allowlist: [script] }).run(request([script]), new AbortController().signal);
    expect(r2).toMatchObject({ outcome: 'failed', error: `cannot start "${script}": EACCES` });
  });

  it('reports a process killed by a signal it did not get from us', async () => {
    const result = await executor().run(
      request([NODE, '-e', `process.kill(process.pid, 'SIGKILL')`]),
      new AbortController().signal,
    );
    expect(result).toMatchObject({ outcome: 'failed', error: 'killed by SIGKILL', exitCode: null });
  });

  it('strips secrets from the environment unless kept on purpose', async () => {
    const baseEnv = {
      ...process.env,
      GITHUB_TOKEN: 'ghp_secret',
      GH_TOKEN: 'gh_secret',
      NPM_TOKEN: 'npm_secret',
      codex_monitor_github_token: 'lower_secret',
      CLAUDE_CODE_OAUTH_TOKEN: 'kept',
      PLAIN: 'visible',
    };
    const names = Object.keys(baseEnv).filter((n) => !(n in process.env));
    const script = `console.log(JSON.stringify(Object.fromEntries(${JSON.stringify(names)}.map((n) => [n, process.env[n] ?? null]))))`;
    const req = request([NODE, '-e', script]);
    const result = await executor({ baseEnv, keepEnv: ['CLAUDE_CODE_OAUTH_TOKEN'] }).run(
      req,
      new AbortController().signal,
    );

    expect(result.outcome).toBe('complete');
    expect(JSON.parse(read(req.artifactsDir, 'stdout.log'))).toEqual({
      GITHUB_TOKEN: null,
      GH_TOKEN: null,
      NPM_TOKEN: null,
      codex_monitor_github_token: null,
      CLAUDE_CODE_OAUTH_TOKEN: 'kept',
      PLAIN: 'visible',
    });
  });

  it('feeds stdinFile to the program, and fails clearly when it is missing', async () => {
    const input = join(tempDir(), 'prompt.md');
    writeFileSync(input, 'line one\n$(rm -rf /) `id`\n');
    const cmd = [NODE, '-e', 'process.stdin.pipe(process.stdout)'];
    const req = request(cmd, { payload: { kind: 'shell', cmd, stdinFile: input } });
    expect((await executor().run(req, new AbortController().signal)).outcome).toBe('complete');
    expect(read(req.artifactsDir, 'stdout.log')).toBe('line one\n$(rm -rf /) `id`\n');

    const missing = join(tempDir(), 'missing.md');
    const bad = request(cmd, { payload: { kind: 'shell', cmd, stdinFile: missing } });
    const result = await executor().run(bad, new AbortController().signal);
    expect(result).toMatchObject({ outcome: 'failed', error: `cannot open stdin file "${missing}": ENOENT` });
  });

  it('fails an unparsable command and does not start an already aborted one', async () => {
    const unparsable = request(`node -e 'oops`);
    const r1 = await executor().run(unparsable, new AbortController().signal);
    expect(r1.outcome).toBe('failed');
    expect(r1.error).toMatch(/unterminated single quote/);
    expect(record(unparsable.artifactsDir).argv).toBeNull();

    const marker = join(tempDir(), 'marker');
    const pids: number[] = [];
    const r2 = await executor().run(request(['sh', '-c', `touch ${marker}`]), AbortSignal.abort(), {
      onSpawn: (pid) => pids.push(pid),
    });
    expect(r2.outcome).toBe('aborted');
    expect(pids).toEqual([]);
    expect(existsSync(marker)).toBe(false);
  });
});
