/**
 * `result.json`: the record every attempt leaves in its artifacts directory, whatever the
 * executor and however it ended, so a human (or `codex-monitor events`) can read what ran,
 * how it ended and when, without the daemon's database.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Clock } from '../core/clock.js';
import { errorMessage } from '../core/errors.js';
import type { ExecutionRequest, ExecutionResult } from './executor.js';

export const RESULT_FILE = 'result.json';

export interface ResultRecord {
  kind: 'noop' | 'shell' | 'mcp-call';
  taskId: string;
  attempt: number;
  epoch: number;
  ownerId: string;
  /** What was (or would have been) started (an MCP server's argv); null for a noop or a command that did not parse. */
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

/** How an attempt ended, before its duration is known. */
export type AttemptEnd = Omit<ExecutionResult, 'durationMs'> & { signal?: string | null };

/**
 * The frame of a process-starting executor's `run`: times the attempt, turns every thrown
 * problem into `failed`, and writes result.json with the argv `start` reported (null until
 * it parsed one). Rejects only when the artifacts directory cannot be written.
 */
export async function recordedRun(
  request: ExecutionRequest,
  kind: ResultRecord['kind'],
  clock: Pick<Clock, 'now' | 'monotonic'>,
  start: (setArgv: (argv: string[]) => void) => Promise<AttemptEnd>,
): Promise<ExecutionResult> {
  const startedAt = clock.now();
  const started = clock.monotonic();
  mkdirSync(request.artifactsDir, { recursive: true });
  let argv: string[] | null = null;
  let ended: AttemptEnd;
  try {
    ended = await start((parsed) => {
      argv = parsed;
    });
  } catch (error) {
    ended = { outcome: 'failed', error: errorMessage(error), exitCode: null };
  }
  const durationMs = Math.round(clock.monotonic() - started);
  return writeResult(request, kind, argv, { ...ended, durationMs }, { startedAt, endedAt: clock.now() });
}
