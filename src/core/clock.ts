/**
 * Time, injected. Wall-clock time (`now`) is for records humans read and for comparisons
 * between processes on one host (they share a clock). `monotonic` never goes back and is
 * the only thing lease logic across machines may use: only differences are meaningful.
 */
export interface Clock {
  /** Wall-clock milliseconds since the epoch. */
  now(): number;
  /** Monotonic milliseconds; compare only with other readings of the same process. */
  monotonic(): number;
  /** Resolves after `ms`, or rejects with the signal's reason when it aborts. */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

export function abortableSleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason);
      return;
    }
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/** The real clock, optionally with its wall time offset (to simulate a skewed workstation). */
export function systemClock(wallOffsetMs = 0): Clock {
  return {
    now: () => Date.now() + wallOffsetMs,
    monotonic: () => performance.now(),
    sleep: abortableSleep,
  };
}

/** A clock that moves only when told to: lease logic is tested without real waiting. */
export class ManualClock implements Clock {
  private wall: number;
  private mono = 0;
  private sleepers: { until: number; resolve: () => void }[] = [];

  constructor(startWallMs = Date.UTC(2026, 0, 1)) {
    this.wall = startWallMs;
  }

  now(): number {
    return this.wall;
  }

  monotonic(): number {
    return this.mono;
  }

  /** Moves both clocks forward and wakes the sleepers that are due. */
  advance(ms: number): void {
    this.wall += ms;
    this.mono += ms;
    const due = this.sleepers.filter((s) => s.until <= this.mono);
    this.sleepers = this.sleepers.filter((s) => s.until > this.mono);
    for (const s of due) s.resolve();
  }

  /** Shifts only the wall clock, as NTP or a human would: monotonic time is untouched. */
  skewWall(ms: number): void {
    this.wall += ms;
  }

  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    return new Promise((resolve, reject) => {
      if (signal?.aborted) {
        reject(signal.reason);
        return;
      }
      const sleeper = { until: this.mono + ms, resolve };
      this.sleepers.push(sleeper);
      signal?.addEventListener(
        'abort',
        () => {
          this.sleepers = this.sleepers.filter((s) => s !== sleeper);
          reject(signal.reason);
        },
        { once: true },
      );
    });
  }
}
