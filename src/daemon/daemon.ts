import type { Clock } from '../core/clock.js';
import { retryAfterOf } from '../core/errors.js';
import type { Logger } from '../core/logger.js';
import type { OwnerIdentity } from '../core/task.js';
import { type DaemonActivity, describeActivity } from './activity.js';
import { Attempt, type AttemptContext } from './attempt.js';
import { AttemptPool } from './attempt-pool.js';
import type { ActiveClaim } from './board.js';
import { CyclePace } from './cycle-pace.js';
import { heartbeatLoop } from './heartbeat.js';
import { Lifecycle } from './lifecycle.js';
import { registerWithRetries } from './startup.js';

/** What every attempt is given (see AttemptContext), and how the loop runs. */
export interface DaemonOptions
  extends Pick<AttemptContext, 'board' | 'executorFor' | 'artifactsRoot' | 'workspaces' | 'noChanges'> {
  owner: OwnerIdentity;
  /** Only claim tasks for this capability (null: any). */
  agent: string | null;
  maxParallel: number;
  pollIntervalMs: number;
  heartbeatIntervalMs: number;
  renewDeadlineMs: number;
  shutdownGraceMs: number;
  clock: Clock;
  logger: Logger;
  /** Run one cycle, wait for what it started, and stop. */
  once?: boolean;
  /** Stop (exit 0) once nothing is runnable, running, or waiting to become runnable. */
  untilIdle?: boolean;
  random?: () => number;
}

export type DaemonExit = 'stopped' | 'idle' | 'once';

/**
 * The daemon loop: refresh (pull changes, sweep stale owners) → claim up to free capacity →
 * run attempts with an AbortSignal → heartbeat → release with an outcome. A finished attempt
 * wakes the loop at once; otherwise it sleeps the poll interval with jitter.
 */
export class Daemon {
  readonly events = new Lifecycle();
  /** Aborted by the first stop: no more claims, attempts stop. */
  private readonly root = new AbortController();
  /**
   * Aborted only by a forced stop (kill): releases still run after a graceful stop (abandoned,
   * no retry counted), so they take this signal rather than the root's.
   */
  private readonly forced = new AbortController();
  private readonly pool: AttemptPool;
  private wake: (() => void) | null = null;
  /** When the sleeping loop wakes (wall time; see DaemonActivity). */
  private nextCycleAt: number | null = null;
  private stopping: Promise<void> | null = null;
  private exit: DaemonExit = 'stopped';
  private fatal: Error | null = null;
  private readonly pace: CyclePace;
  /** The board's side work under way (Board.sideWork): one at a time, awaited on the way out. */
  private side: Promise<void> | null = null;

  constructor(private readonly options: DaemonOptions) {
    this.pool = new AttemptPool({
      maxParallel: options.maxParallel,
      shutdownGraceMs: options.shutdownGraceMs,
      logger: options.logger,
      onFinished: () => this.wake?.(),
    });
    this.pace = new CyclePace(options.clock, {
      intervalMs: options.pollIntervalMs,
      random: options.random ?? Math.random,
    });
  }

  get running(): number {
    return this.pool.size;
  }

  /** What the daemon is doing now, for display (a copy: reading it changes nothing). */
  activity(): DaemonActivity {
    const at = { maxParallel: this.options.maxParallel, nextCycleAt: this.nextCycleAt };
    return describeActivity(this.pool.values(), { ...at, stopping: this.root.signal.aborted });
  }

  /**
   * Runs until stopped, idle (with untilIdle) or after one cycle (with once). Throws what
   * made it stop by itself (an owner id collision), after releasing what it could.
   */
  async run(): Promise<DaemonExit> {
    const { board, owner, logger } = this.options;
    // An outage at start-up is waited out (say so, retry with backoff), not a crash loop.
    if (!(await registerWithRetries(this.options, this.root.signal))) {
      await board.close().catch((e) => logger.warn({ err: e }, 'could not close the board'));
      return 'stopped';
    }
    const heartbeat = heartbeatLoop(
      {
        ...this.options,
        events: this.events,
        intervalMs: this.options.heartbeatIntervalMs,
        attempts: () => this.pool.values(),
        onFatal: (error) => {
          this.fatal = error;
          void this.stop(error.message);
        },
      },
      this.root.signal,
    );
    logger.info(
      { owner: owner.id, board: board.name, maxParallel: this.options.maxParallel },
      'daemon started',
    );
    try {
      await this.loop();
    } finally {
      this.root.abort();
      await this.pool.drain();
      await this.side;
      await heartbeat;
      await board.unregister().catch((e) => logger.warn({ err: e }, 'could not unregister the owner'));
      await board.close().catch((e) => logger.warn({ err: e }, 'could not close the board'));
      logger.info({ exit: this.exit }, 'daemon stopped');
    }
    if (this.fatal) throw this.fatal;
    return this.exit;
  }

  /** Graceful stop: no new claims; running attempts are stopped and released as abandoned. */
  stop(reason = 'stop requested'): Promise<void> {
    this.stopping ??= (async () => {
      this.events.emit('stopping', reason);
      this.root.abort(new Error(reason));
      this.wake?.();
    })();
    return this.stopping;
  }

  /** Forceful stop (a second signal): kills every attempt's process group at once. */
  kill(): void {
    this.forced.abort(new Error('forced stop'));
    this.pool.kill();
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.stop('disposed');
  }

  private async loop(): Promise<void> {
    const { board, logger } = this.options;
    const signal = this.root.signal;
    while (!signal.aborted) {
      let nextWakeAt: number | null = null;
      let atLeastMs = 0;
      // No path back to the top — a claim with slots free, a finished attempt, a change — polls
      // sooner than the board's source allows (GitHub's X-Poll-Interval).
      await this.pace.ready(signal);
      if (signal.aborted) break;
      try {
        const swept = await board.refresh(signal);
        this.pace.refreshed(board.pace?.());
        this.events.emit('refreshed');
        if (swept.length > 0) this.events.emit('swept', swept);
        this.startSideWork(signal);
        // One claim per cycle, then refresh again before the next: a claim on GitHub is two
        // paced writes, and a daemon that kept claiming from one view would decide on a stale
        // one (and notice a silent owner late). With slots still free it cycles at once.
        if (this.pool.hasFreeSlot()) {
          const claim = await board.claimNext({ purpose: 'any', signal });
          if (claim) {
            this.start(claim, false);
            if (this.pool.hasFreeSlot()) continue;
          }
        }
        // The recovery slot: work a crashed or silent owner left behind does not wait for one
        // of our slots to free up — at most one such extra attempt at a time.
        if (!signal.aborted && !this.pool.hasFreeSlot() && !this.pool.recovering()) {
          const lost = await board.claimNext({ purpose: 'recovery', signal });
          if (lost) this.start(lost, true);
        }
        if (this.options.once) {
          await this.pool.onIdle();
          this.exit = 'once';
          return;
        }
        if (this.pool.size === 0 && !signal.aborted) {
          const pending = await board.pending();
          nextWakeAt = pending.nextWakeAt;
          if (pending.runnable + pending.held + pending.waiting === 0) {
            this.events.emit('idle');
            if (this.options.untilIdle) {
              this.exit = 'idle';
              return;
            }
          }
        }
      } catch (error) {
        if (signal.aborted) break;
        const retryAfterMs = retryAfterOf(error);
        if (retryAfterMs !== null) {
          atLeastMs = this.pace.afterRateLimit(retryAfterMs);
          logger.warn({ retryAfterMs, probeInMs: atLeastMs }, 'rate limited: waiting before the next cycle');
        } else {
          logger.error({ err: error }, 'cycle failed; retrying after the poll interval');
        }
        this.events.emit('warning', 'cycle failed', error);
      }
      if (this.pace.runAtOnce(atLeastMs > 0)) continue; // the board changed: look again now
      await this.sleep(nextWakeAt, atLeastMs);
    }
  }

  private start(claim: ActiveClaim, recovery: boolean): void {
    const attempt = new Attempt(claim, {
      ...this.options,
      events: this.events,
      releaseSignal: this.forced.signal,
    });
    attempt.recovery = recovery;
    this.pool.run(claim.task.id, attempt, () => this.events.emit('claimed', claim));
  }

  /** The board's work besides attempts, started after a refresh unless the last is still going. */
  private startSideWork(signal: AbortSignal): void {
    const { board, logger } = this.options;
    if (!board.sideWork || this.side) return;
    this.side = board
      .sideWork(signal)
      .catch((error) => {
        if (!signal.aborted) logger.warn({ err: error }, 'side work failed; tried again next cycle');
      })
      .finally(() => {
        this.side = null;
      });
  }

  /** Sleeps until the next cycle is due (CyclePace.sleepMs); woken early by a finished attempt. */
  private async sleep(nextWakeAt: number | null, atLeastMs = 0): Promise<void> {
    const ms = this.pace.sleepMs(nextWakeAt, atLeastMs);
    this.nextCycleAt = this.options.clock.now() + ms;
    const woken = new Promise<void>((resolve) => {
      this.wake = resolve;
    });
    await Promise.race([this.options.clock.sleep(ms, this.root.signal).catch(() => undefined), woken]);
    this.wake = null;
    this.nextCycleAt = null;
  }
}
