/**
 * `result.json`: the record every attempt leaves in its artifacts directory, whatever the
 * executor and however it ended, so a human (or `codex-monitor events`) can read what ran,
 * how it ended and when, without the daemon's database.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ExecutionRequest, ExecutionResult } from './executor.js';

export const RESULT_FILE = 'result.json';

export interface ResultRecord {
  kind: 'noop' | 'shell';
  taskId: string;
  attempt: number;
  epoch: number;
  ownerId: string;
  /** What was (or would have been) started; null for a noop or a command that did not parse. */
  argv: string[] | null;
  outcome: ExecutionResult['outcome'];
  exitCode: number | null;
  signal: string | null;
  error: string | null;
  startedAt: string;
  endedAt: string;
  durationMs: number;
}

export interface RecordTimes {
  /** Wall-clock ms when the attempt started and ended (for humans: ISO in the file). */
  startedAt: number;
  endedAt: number;
}

/**
 * Writes result.json (creating the directory) and returns the matching `ExecutionResult`.
 * Synchronous on purpose: one small write, and a zero-duration noop stays cheap (no extra
 * turns of the event loop per attempt in benchmarks that run thousands).
 */
export function writeResult(
  request: ExecutionRequest,
  kind: ResultRecord['kind'],
  argv: string[] | null,
  result: ExecutionResult & { signal?: string | null },
  times: RecordTimes,
): ExecutionResult {
  const record: ResultRecord = {
    kind,
    taskId: request.taskId,
    attempt: request.attempt,
    epoch: request.epoch,
    ownerId: request.ownerId,
    argv,
    outcome: result.outcome,
    exitCode: result.exitCode ?? null,
    signal: result.signal ?? null,
    error: result.error ?? null,
    startedAt: new Date(times.startedAt).toISOString(),
    endedAt: new Date(times.endedAt).toISOString(),
    durationMs: result.durationMs,
  };
  mkdirSync(request.artifactsDir, { recursive: true });
  writeFileSync(join(request.artifactsDir, RESULT_FILE), `${JSON.stringify(record, null, 2)}\n`);
  const { signal: _signal, ...plain } = result;
  return plain;
}
