import PQueue from 'p-queue';
import type { Logger } from '../core/logger.js';
import { signalGroup } from '../executors/process-group.js';
import type { Attempt } from './attempt.js';

export interface AttemptPoolOptions {
  maxParallel: number;
  shutdownGraceMs: number;
  logger: Logger;
  /** An attempt finished (its release is done): the loop looks again at once. */
  onFinished: () => void;
}

/**
 * The attempts a daemon runs: `maxParallel` ordinary slots plus one recovery slot (work a
 * crashed or silent owner left behind, see Daemon's loop), a graceful drain at shutdown and a
 * kill for a forced one.
 */
export class AttemptPool {
  private readonly queue: PQueue;
  private readonly attempts = new Map<string, Attempt>();

  constructor(private readonly o: AttemptPoolOptions) {
    // One more than the slots: the recovery slot.
    this.queue = new PQueue({ concurrency: o.maxParallel + 1 });
  }

  get size(): number {
    return this.attempts.size;
  }

  values(): Attempt[] {
    return [...this.attempts.values()];
  }

  /** Whether an ordinary slot is free (the recovery slot's attempt is not counted). */
  hasFreeSlot(): boolean {
    return this.attempts.size - (this.recovering() ? 1 : 0) < this.o.maxParallel;
  }

  /** Whether the recovery slot is taken. */
  recovering(): boolean {
    for (const attempt of this.attempts.values()) if (attempt.recovery) return true;
    return false;
  }

  /**
   * Runs `attempt` for task `taskId` in the background; it leaves the pool when it is done.
   * `announce` runs once the attempt is counted and before it starts (its `claimed` event
   * must come before the attempt's own, and see it in the activity).
   */
  run(taskId: string, attempt: Attempt, announce: () => void): void {
    this.attempts.set(taskId, attempt);
    announce();
    void this.queue.add(async () => {
      try {
        await attempt.run();
      } finally {
        this.attempts.delete(taskId);
        this.o.onFinished();
      }
    });
  }

  /** Resolves when every attempt has finished. */
  onIdle(): Promise<void> {
    return this.queue.onIdle();
  }

  /** Stops every running attempt and waits for their releases, giving up after the grace. */
  async drain(): Promise<void> {
    for (const attempt of this.attempts.values()) attempt.stop('shutdown');
    const grace = this.o.shutdownGraceMs;
    const timedOut = await Promise.race([
      this.queue.onIdle().then(() => false),
      new Promise<boolean>((resolve) => setTimeout(() => resolve(true), grace).unref()),
    ]);
    if (timedOut) {
      this.o.logger.warn(
        { running: this.attempts.size },
        `attempts still running ${grace} ms after shutdown; their claims will expire`,
      );
    }
  }

  /** A forced stop: kills every attempt's process group at once. */
  kill(): void {
    for (const attempt of this.attempts.values()) {
      if (attempt.pid !== null) signalGroup(attempt.pid, 'SIGKILL');
    }
  }
}
