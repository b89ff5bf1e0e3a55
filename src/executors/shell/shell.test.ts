import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { useTempDirs } from '../../../tests/support/temp-dir.js';
import { groupHasLiveMembers, isProcessAlive as isRunning } from '../../host/process-liveness.js';
import type { ExecutionRequest } from '../executor.js';
import type { ResultRecord } from '../result-record.js';
import { ShellExecutor, type ShellExecutorOptions } from './shell.js';

const tempDir = useTempDirs();
// The test's own node binary, by its path: allowed only because the list names that path.
const NODE = process.execPath;
const GRACE = 300;

function executor(options: Partial<ShellExecutorOptions> = {}) {
  return new ShellExecutor({
    allowlist: ['node', 'sh', NODE],
    workspacesRoot: join(tempDir(), 'workspaces'),
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

    expect(result.outcome).toBe('failed');
    expect(result.error).toMatch(
      /^program "touch" is not in EXECUTOR_ALLOWLIST \(it resolves to \/\S*touch; EXECUTOR_ALLOWLIST: node = /,
    );
    expect(existsSync(marker)).toBe(false);
    expect(pids).toEqual([]);
    expect(existsSync(join(req.artifactsDir, 'stdout.log'))).toBe(false);
    expect(record(req.artifactsDir)).toMatchObject({ argv: ['touch', marker], outcome: 'failed' });
  });

  it('refuses another file of an allowed name: /any/dir/node does not run because `node` is allowed', async () => {
    const impostor = join(tempDir(), 'node');
    writeFileSync(impostor, `#!/bin/sh\ntouch "${impostor}.ran"\n`);
    chmodSync(impostor, 0o755);
    const req = request([impostor, '-v']);
    const result = await executor({ allowlist: ['node'] }).run(req, new AbortController().signal);

    expect(result.outcome).toBe('failed');
    expect(result.error).toMatch(
      new RegExp(
        `^program "${impostor}" is not in EXECUTOR_ALLOWLIST \\(it resolves to ${impostor}; EXECUTOR_ALLOWLIST: node = /\\S+\\); a path is allowed only when EXECUTOR_ALLOWLIST lists that path$`,
      ),
    );
    expect(existsSync(`${impostor}.ran`)).toBe(false);
  });

  it('fails when an allowed program cannot be started: not on PATH, not executable, a bad interpreter', async () => {
    const missing = request('no-such-program-xyz --flag');
    const r1 = await executor({ allowlist: ['no-such-program-xyz'] }).run(
      missing,
      new AbortController().signal,
    );
    expect(r1.outcome).toBe('failed');
    expect(r1.error).toMatch(
      /^program "no-such-program-xyz" is allowed but cannot run: it is not found on the attempt's PATH/,
    );
    expect(record(missing.artifactsDir).outcome).toBe('failed');

    const script = join(tempDir(), 'not-executable.sh');
    writeFileSync(script, '#!/bin/sh\ntrue\n');
    chmodSync(script, 0o644);
    const r2 = await executor({ allowlist: [script] }).run(request([script]), new AbortController().signal);
    expect(r2).toMatchObject({ outcome: 'failed' });
    expect(r2.error).toMatch(/is allowed but cannot run: it resolves to .*, which is not an executable file/);

    // exec itself fails (the watchdog reports it): an interpreter that does not exist.
    const broken = join(tempDir(), 'broken.sh');
    writeFileSync(broken, '#!/no/such/interpreter\n');
    chmodSync(broken, 0o755);
    const r3 = await executor({ allowlist: [broken] }).run(request([broken]), new AbortController().signal);
    expect(r3).toMatchObject({ outcome: 'failed', error: `cannot start "${broken}": ENOENT` });
  });

  it('reports a process killed by a signal it did not get from us', async () => {
    const result = await executor().run(
      request([NODE, '-e', `process.kill(process.pid, 'SIGKILL')`]),
      new AbortController().signal,
    );
    expect(result).toMatchObject({ outcome: 'failed', error: 'killed by SIGKILL', exitCode: null });
  });

  it('passes an allow-listed environment: base names, LC_*, the attempt, EXECUTOR_ENV_PASSTHROUGH; nothing else', async () => {
    const baseEnv = {
      PATH: process.env.PATH,
      HOME: '/home/dev',
      LANG: 'C.UTF-8',
      LC_TIME: 'en_GB.UTF-8',
      GITHUB_TOKEN: 'ghp_secret',
      GITHUB_PAT: 'pat_secret',
      AWS_SECRET_ACCESS_KEY: 'aws_secret',
      DB_PASSWORD: 'db_secret',
      STRIPE_KEY: 'stripe_secret',
      DATABASE_URL: 'postgres://u:pw@db/x',
      CODEX_MONITOR_GITHUB_TOKEN: 'daemon_secret',
      CODEX_MONITOR_STATE_DIR: '/daemon/state',
      OPENAI_API_KEY: 'passed on purpose',
      PLAIN: 'not asked for',
    };
    const script = 'console.log(JSON.stringify(process.env))';
    const req = request([NODE, '-e', script], { env: { CODEX_MONITOR_ISSUE_NUMBER: '12' } });
    const result = await executor({ baseEnv, passthroughEnv: ['OPENAI_API_KEY', 'UNSET_NAME'] }).run(
      req,
      new AbortController().signal,
    );

    expect(result.outcome).toBe('complete');
    const seen = JSON.parse(read(req.artifactsDir, 'stdout.log')) as Record<string, string>;
    expect(Object.keys(seen).sort()).toEqual(
      [
        'PATH',
        'HOME',
        'LANG',
        'LC_TIME',
        'OPENAI_API_KEY',
        'CODEX_MONITOR_TASK_ID',
        'CODEX_MONITOR_TASK_TITLE',
        'CODEX_MONITOR_ATTEMPT',
        'CODEX_MONITOR_EPOCH',
        'CODEX_MONITOR_OWNER',
        'CODEX_MONITOR_ARTIFACTS_DIR',
        'CODEX_MONITOR_WORKSPACE',
        'GIT_CEILING_DIRECTORIES',
        'CODEX_MONITOR_ISSUE_NUMBER',
      ].sort(),
    );
    expect(seen.OPENAI_API_KEY).toBe('passed on purpose');
    expect(JSON.stringify(seen)).not.toMatch(/secret|pw@|daemon/);
  });

  it('runs each attempt in a fresh directory of its own, never the daemon’s (which may hold .env)', async () => {
    const root = join(tempDir(), 'workspaces');
    const script = `const fs = require('fs'); console.log(JSON.stringify({ cwd: process.cwd(), ws: process.env.CODEX_MONITOR_WORKSPACE, files: fs.readdirSync('.') })); fs.writeFileSync('left-behind', 'x')`;
    const req = request([NODE, '-e', script]);
    const run = () => executor({ workspacesRoot: root }).run(req, new AbortController().signal);

    expect((await run()).outcome).toBe('complete');
    const seen = JSON.parse(read(req.artifactsDir, 'stdout.log')) as {
      cwd: string;
      ws: string;
      files: string[];
    };
    expect(seen.cwd).toBe(join(root, 'task-7', '2'));
    expect(seen.ws).toBe(seen.cwd);
    expect(seen.cwd).not.toBe(process.cwd());
    expect(seen.files).toEqual([]);
    // Created fresh: what an earlier run of the same attempt left there is gone.
    expect((await run()).outcome).toBe('complete');
    expect((JSON.parse(read(req.artifactsDir, 'stdout.log')) as { files: string[] }).files).toEqual([]);
  });

  it('keeps git in the workspace from finding the checkout the state directory lives in', async () => {
    const checkout = tempDir();
    execFileSync('git', ['init', '-q', checkout]);
    const req = request(['git', 'rev-parse', '--show-toplevel']);
    const result = await executor({
      allowlist: ['git'],
      workspacesRoot: join(checkout, '.codex-monitor', 'workspaces'),
    }).run(req, new AbortController().signal);

    expect(read(req.artifactsDir, 'stdout.log')).not.toContain(checkout);
    expect(result).toMatchObject({ outcome: 'failed', exitCode: 128 });
    expect(result.error).toMatch(/not a git repository/);
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
