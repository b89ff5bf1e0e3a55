import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { useTempDirs } from '../../../tests/support/temp-dir.js';
import type { McpCallPayload } from '../../core/payload.js';
import { isProcessAlive } from '../../host/process-liveness.js';
import type { ResultRecord } from '../result-record.js';
import { McpCallExecutor } from './mcp-call.js';

const SERVER = fileURLToPath(new URL('../../../tests/support/mcp-test-server.mjs', import.meta.url));
const tempDir = useTempDirs();

function setup(allowlist = ['node']) {
  const dir = tempDir();
  const pidFile = join(dir, 'pids');
  const artifactsDir = join(dir, 'artifacts', 't', '1');
  const executor = new McpCallExecutor({
    allowlist,
    defaultTimeoutMs: 20_000,
    killGraceMs: 300,
    workspacesRoot: join(dir, 'workspaces'),
    baseEnv: { ...process.env, GITHUB_TOKEN: 'ghp_secret', SECRET_KEY: 'k' },
  });
  const run = (call: Omit<McpCallPayload, 'kind' | 'server'>, signal = new AbortController().signal) =>
    executor.run(
      {
        taskId: 't',
        title: 'T',
        attempt: 1,
        epoch: 1,
        ownerId: 'o',
        payload: { kind: 'mcp-call', server: ['node', SERVER, '--pid-file', pidFile], ...call },
        artifactsDir,
      },
      signal,
    );
  const artifact = (name: string) => readFileSync(join(artifactsDir, name), 'utf8');
  const pids = () => (existsSync(pidFile) ? artifact('../../../pids').trim().split('\n').map(Number) : []);
  return { run, artifact, pids, pidFile };
}

/** Zombies count as dead: this machine's init may never reap the orphaned `sleep`. */
const alive = (pid: number) => isProcessAlive(pid);

async function until(condition: () => boolean): Promise<void> {
  while (!condition()) await new Promise((resolve) => setTimeout(resolve, 20));
}

describe('McpCallExecutor against a real stdio MCP server', () => {
  it('records the tool response as the artifact and stops the server', async () => {
    const { run, artifact, pids, pidFile } = setup();
    const result = await run({ tool: 'echo', arguments: { text: '--not-a-flag $(rm -rf ~)' } });
    expect(result).toMatchObject({ outcome: 'complete' });
    expect(JSON.parse(artifact('response.json'))).toEqual({
      tool: 'echo',
      isError: false,
      content: [{ type: 'text', text: '--not-a-flag $(rm -rf ~)' }],
      structuredContent: { echoed: '--not-a-flag $(rm -rf ~)' },
    });
    expect(artifact('stdout.log')).toBe('--not-a-flag $(rm -rf ~)\n');
    const record = JSON.parse(artifact('result.json')) as ResultRecord;
    expect(record).toMatchObject({
      kind: 'mcp-call',
      outcome: 'complete',
      argv: ['node', SERVER, '--pid-file', pidFile],
    });
    expect(pids()).toHaveLength(1);
    expect(alive(pids()[0]!)).toBe(false);
  });

  it('fails the attempt with the tool message when the result has isError', async () => {
    const { run, artifact } = setup();
    const result = await run({ tool: 'fail', arguments: { message: 'the disk is full' } });
    expect(result).toMatchObject({
      outcome: 'failed',
      error: 'tool "fail" reported an error: the disk is full',
    });
    expect(JSON.parse(artifact('response.json'))).toMatchObject({ isError: true });
  });

  it('fails with the cause for an unknown tool and for a server that exits without answering', async () => {
    const unknown = await setup().run({ tool: 'nope' });
    expect(unknown.outcome).toBe('failed');
    // The SDK's server answers an unknown tool with isError; others throw a JSON-RPC error.
    expect(unknown.error).toMatch(/^tool "nope" .*Tool nope not found/);

    const { run } = setup();
    const crashed = await run({ tool: 'crash' });
    expect(crashed).toMatchObject({
      outcome: 'failed',
      exitCode: 3,
      error: 'the MCP server exited (exit code 3) before tool "crash" answered: crashing on purpose',
    });
  });

  it('refuses a server whose program is not in EXECUTOR_ALLOWLIST before starting it', async () => {
    const { run, pidFile } = setup(['python3']);
    const result = await run({ tool: 'echo', arguments: { text: 'x' } });
    expect(result.outcome).toBe('failed');
    expect(result.error).toMatch(/^MCP server: program "node" is not in EXECUTOR_ALLOWLIST/);
    expect(existsSync(pidFile)).toBe(false);
  });

  it('gives the server the allow-listed environment only', async () => {
    const { run, artifact } = setup();
    expect((await run({ tool: 'env' })).outcome).toBe('complete');
    const { names } = JSON.parse(artifact('response.json')).structuredContent as { names: string[] };
    expect(names).toContain('CODEX_MONITOR_TASK_ID');
    expect(names).toContain('PATH');
    expect(names).not.toContain('GITHUB_TOKEN');
    expect(names).not.toContain('SECRET_KEY');
  });

  it('on abort stops the server and its children, and settles as aborted', async () => {
    const { run, pids } = setup();
    const controller = new AbortController();
    const running = run({ tool: 'slow', arguments: { ms: 120_000 } }, controller.signal);
    await until(() => pids().length === 2); // the server and the child the tool started
    controller.abort();
    expect(await running).toMatchObject({ outcome: 'aborted' });
    for (const pid of pids()) expect(alive(pid), `pid ${pid}`).toBe(false);
  });

  it('fails a call past the payload timeout and stops the server', async () => {
    const { run, pids } = setup();
    const result = await run({ tool: 'slow', arguments: { ms: 120_000 }, timeoutMs: 1500 });
    expect(result).toMatchObject({ outcome: 'failed', error: 'MCP server timed out after 1500 ms' });
    for (const pid of pids()) expect(alive(pid), `pid ${pid}`).toBe(false);
  });
});
