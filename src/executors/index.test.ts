import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { useTempDirs } from '../../tests/support/temp-dir.js';
import { ManualClock } from '../core/clock.js';
import type { TaskPayload } from '../core/payload.js';
import { createExecutors, McpCallExecutor, NoopExecutor, ShellExecutor } from './index.js';

const tempDir = useTempDirs();
const shell = () => ({
  allowlist: ['node', process.execPath],
  defaultTimeoutMs: 10_000,
  killGraceMs: 200,
  workspacesRoot: join(tempDir(), 'workspaces'),
});

describe('createExecutors', () => {
  it('returns one reused instance per payload kind', () => {
    const executors = createExecutors({ shell: shell() });
    const noop = executors.executorFor({ kind: 'noop' });
    expect(noop).toBeInstanceOf(NoopExecutor);
    expect(executors.executorFor({ kind: 'noop', durationMs: 5 })).toBe(noop);
    const sh = executors.executorFor({ kind: 'shell', cmd: 'node -v' });
    expect(sh).toBeInstanceOf(ShellExecutor);
    expect(executors.executorFor({ kind: 'shell', cmd: ['node'] })).toBe(sh);
    const mcp = executors.executorFor({ kind: 'mcp-call', server: 'node s.mjs', tool: 'echo' });
    expect(mcp).toBeInstanceOf(McpCallExecutor);
    expect(mcp).toBe(executors.mcpCall);
    expect(() => executors.executorFor({ kind: 'docker' } as unknown as TaskPayload)).toThrow(
      /Unknown payload kind "docker"/,
    );
  });

  it('dispatches run() on the payload kind', async () => {
    const executors = createExecutors({ shell: shell(), clock: new ManualClock() });
    const base = { taskId: 't', title: 't', attempt: 1, epoch: 1, ownerId: 'o' };
    const noopDir = join(tempDir(), 'noop');
    const r1 = await executors.run(
      { ...base, payload: { kind: 'noop' }, artifactsDir: noopDir },
      AbortSignal.timeout(5000),
    );
    expect(r1.outcome).toBe('complete');
    expect(JSON.parse(readFileSync(join(noopDir, 'result.json'), 'utf8')).kind).toBe('noop');

    const shellDir = join(tempDir(), 'shell');
    const payload = { kind: 'shell' as const, cmd: [process.execPath, '-e', 'console.log(6 * 7)'] };
    const r2 = await executors.run({ ...base, payload, artifactsDir: shellDir }, AbortSignal.timeout(5000));
    expect(r2.outcome).toBe('complete');
    expect(readFileSync(join(shellDir, 'stdout.log'), 'utf8')).toBe('42\n');
  });
});
