import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { useTempDirs } from '../../tests/support/temp-dir.js';
import { ManualClock } from '../core/clock.js';
import type { ExecutionRequest } from './executor.js';
import { NoopExecutor } from './noop.js';
import type { ResultRecord } from './result-record.js';

const tempDir = useTempDirs();

function request(durationMs?: number): ExecutionRequest {
  return {
    taskId: 'n1',
    title: 'noop',
    attempt: 1,
    epoch: 3,
    ownerId: 'ws/noop',
    payload: durationMs === undefined ? { kind: 'noop' } : { kind: 'noop', durationMs },
    artifactsDir: join(tempDir(), 'a', 'n1', '1'),
  };
}

const record = (req: ExecutionRequest) =>
  JSON.parse(readFileSync(join(req.artifactsDir, 'result.json'), 'utf8')) as ResultRecord;

describe('NoopExecutor', () => {
  it('completes at once without a duration and leaves a result record', async () => {
    const req = request();
    const result = await new NoopExecutor({ clock: new ManualClock() }).run(
      req,
      new AbortController().signal,
    );
    expect(result).toEqual({ outcome: 'complete', exitCode: null, durationMs: 0 });
    expect(record(req)).toMatchObject({
      kind: 'noop',
      taskId: 'n1',
      epoch: 3,
      argv: null,
      outcome: 'complete',
      error: null,
    });
  });

  it('waits for its duration on the clock before completing', async () => {
    const clock = new ManualClock();
    const req = request(1000);
    let settled = false;
    const running = new NoopExecutor({ clock }).run(req, new AbortController().signal).finally(() => {
      settled = true;
    });
    clock.advance(999);
    await new Promise((r) => setTimeout(r, 10));
    expect(settled).toBe(false);
    expect(existsSync(join(req.artifactsDir, 'result.json'))).toBe(false);
    clock.advance(1);
    expect(await running).toEqual({ outcome: 'complete', exitCode: null, durationMs: 1000 });
    expect(record(req).durationMs).toBe(1000);
  });

  it('resolves aborted promptly when the signal aborts mid-wait', async () => {
    const req = request(60_000);
    const controller = new AbortController();
    const running = new NoopExecutor().run(req, controller.signal);
    setTimeout(() => controller.abort(), 20);
    const started = Date.now();
    const result = await running;
    expect(result.outcome).toBe('aborted');
    expect(Date.now() - started).toBeLessThan(2000);
    expect(record(req).outcome).toBe('aborted');
  });

  it('does not start when the signal is already aborted', async () => {
    const req = request();
    const result = await new NoopExecutor().run(req, AbortSignal.abort());
    expect(result.outcome).toBe('aborted');
    expect(record(req).outcome).toBe('aborted');
  });
});
