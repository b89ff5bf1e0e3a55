/**
 * The noop executor: "works" for `payload.durationMs` and succeeds. It exercises claims,
 * leases, heartbeats and releases without running anything (quick start, tests, benchmarks).
 */
import { type Clock, systemClock } from '../core/clock.js';
import type { ExecutionRequest, ExecutionResult, Executor } from './executor.js';
import { writeResult } from './result-record.js';

export interface NoopExecutorOptions {
  /** Time source for the wait and the record; a `ManualClock` makes the wait instant in tests. */
  clock?: Clock;
}

export class NoopExecutor implements Executor {
  private readonly clock: Clock;

  constructor(options: NoopExecutorOptions = {}) {
    this.clock = options.clock ?? systemClock();
  }

  /**
   * Resolves `complete` after the duration (at once, without a timer, when it is 0 or absent)
   * or `aborted` as soon as `signal` aborts. Writes result.json either way; rejects only when
   * that file cannot be written.
   */
  async run(request: ExecutionRequest, signal: AbortSignal): Promise<ExecutionResult> {
    const startedAt = this.clock.now();
    const started = this.clock.monotonic();
    const ms = request.payload.kind === 'noop' ? (request.payload.durationMs ?? 0) : 0;
    let outcome: ExecutionResult['outcome'] = signal.aborted ? 'aborted' : 'complete';
    if (outcome === 'complete' && ms > 0) {
      try {
        await this.clock.sleep(ms, signal);
      } catch {
        // The clock's sleep rejects only when the signal aborts.
        outcome = 'aborted';
      }
    }
    const durationMs = Math.round(this.clock.monotonic() - started);
    return writeResult(
      request,
      'noop',
      null,
      { outcome, exitCode: null, durationMs },
      { startedAt, endedAt: this.clock.now() },
    );
  }
}
