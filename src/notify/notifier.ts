import type { Clock } from '../core/clock.js';
import type { Logger } from '../core/logger.js';
import type { Notification, NotificationSink, NotifyEventName } from '../core/notification.js';
import { dedupeKey, type NotificationBody, notificationBody } from './payload.js';
import { DeliveryError, type NotifyTarget } from './targets.js';

export interface NotifierOptions {
  targets: readonly NotifyTarget[];
  /** NOTIFY_ON: the events that are sent; others are dropped at once. */
  events: ReadonlySet<NotifyEventName>;
  clock: Clock;
  logger: Logger;
  /** Notifications waiting at most; beyond, the oldest is dropped (and counted). Default 100. */
  queueLimit?: number;
  /** One request's time limit. Default 10 s. */
  timeoutMs?: number;
  /** Attempts per target and notification (first included). Default 4. */
  attempts?: number;
  /** Backoff before the second attempt; doubles each time. Default 1 s. */
  backoffBaseMs?: number;
}

export interface NotifierStats {
  delivered: number;
  failed: number;
  dropped: number;
  duplicates: number;
}

/** Keys remembered for de-duplication; a daemon's lifetime rarely sees more events. */
const MAX_KEYS = 10_000;

/**
 * Delivers notifications in the background: `notify` queues and returns, one worker sends them
 * in order to every target, retrying 5xx and network errors with backoff. A failure is logged
 * and counted, never thrown: a notification must not stop the daemon it reports on.
 */
export class Notifier implements NotificationSink {
  readonly stats: NotifierStats = { delivered: 0, failed: 0, dropped: 0, duplicates: 0 };
  private readonly queue: NotificationBody[] = [];
  private readonly seen = new Set<string>();
  private readonly stop = new AbortController();
  private worker: Promise<void> | null = null;
  private closed = false;
  private readonly limit: number;
  private readonly timeoutMs: number;
  private readonly attempts: number;
  private readonly backoffBaseMs: number;

  constructor(private readonly options: NotifierOptions) {
    this.limit = options.queueLimit ?? 100;
    this.timeoutMs = options.timeoutMs ?? 10_000;
    this.attempts = options.attempts ?? 4;
    this.backoffBaseMs = options.backoffBaseMs ?? 1000;
  }

  notify(notification: Notification): void {
    if (this.closed || this.options.targets.length === 0) return;
    if (!this.options.events.has(notification.event)) return;
    const key = dedupeKey(notification);
    if (this.seen.has(key)) {
      this.stats.duplicates++;
      return;
    }
    if (this.seen.size >= MAX_KEYS) this.seen.delete(this.seen.values().next().value as string);
    this.seen.add(key);
    if (this.queue.length >= this.limit) {
      const dropped = this.queue.shift();
      this.stats.dropped++;
      this.options.logger.warn(
        { event: dropped?.event, task: dropped?.task, dropped: this.stats.dropped },
        'notification queue full: the oldest notification was dropped',
      );
    }
    this.queue.push(notificationBody(notification, this.options.clock.now()));
    this.worker ??= this.drain().finally(() => {
      this.worker = null;
    });
  }

  /**
   * Stops accepting, waits up to `waitMs` for the queue to drain, then abandons the rest.
   * Idempotent in effect; never throws.
   */
  async close(waitMs = 5000): Promise<void> {
    this.closed = true;
    const worker = this.worker;
    if (worker) {
      const timer = new AbortController();
      await Promise.race([worker, this.options.clock.sleep(waitMs, timer.signal).catch(() => {})]);
      timer.abort();
    }
    this.stop.abort(new Error('notifier closed'));
    const left = this.queue.splice(0).length;
    if (left > 0) this.options.logger.warn({ left }, 'notifications not sent before shutdown');
    await worker?.catch(() => {});
  }

  private async drain(): Promise<void> {
    for (let body = this.queue.shift(); body; body = this.queue.shift()) {
      for (const target of this.options.targets) {
        if (this.stop.signal.aborted) return;
        await this.deliver(target, body);
      }
    }
  }

  private async deliver(target: NotifyTarget, body: NotificationBody): Promise<void> {
    const log = this.options.logger;
    for (let attempt = 1; ; attempt++) {
      const signal = AbortSignal.any([this.stop.signal, AbortSignal.timeout(this.timeoutMs)]);
      try {
        await target.send(body, signal);
        this.stats.delivered++;
        log.debug({ target: target.label, event: body.event, task: body.task }, 'notification sent');
        return;
      } catch (error) {
        const retryable = error instanceof DeliveryError ? error.retryable : false;
        const message = error instanceof Error ? error.message : String(error);
        if (!retryable || attempt >= this.attempts || this.stop.signal.aborted) {
          this.stats.failed++;
          log.warn(
            { target: target.label, event: body.event, task: body.task, attempt },
            `notification failed: ${message}`,
          );
          return;
        }
        log.debug({ target: target.label, attempt }, `notification will be retried: ${message}`);
        const backoff = this.backoffBaseMs * 2 ** (attempt - 1);
        await this.options.clock.sleep(backoff, this.stop.signal).catch(() => {});
      }
    }
  }
}
