/**
 * A reviewer's self-fence, as an attempt's (daemon/heartbeat.ts) and client-go's leader election:
 * a review claim lives as long as its owner's heartbeat, and others take it over once they have
 * seen that heartbeat still for the stale threshold. So when no beat of this process has landed
 * within the renew deadline (shorter than the threshold), the round stops on its own: its agent
 * is aborted and nothing is posted, before anyone may have taken the chain over.
 *
 * Sticky: a beat that lands after a pause (SIGSTOP, a suspended laptop) does not un-fence a
 * round that was overdue meanwhile — another reviewer may hold the chain by then.
 */

export interface ReviewLeaseOptions {
  /** Ms since this process's last landed heartbeat was sent (null: none yet): RefLedger's. */
  sinceLastBeatMs(): number | null;
  /** SHARED_STATE_RENEW_DEADLINE_MS. */
  renewDeadlineMs: number;
}

export class ReviewLease {
  private readonly controller = new AbortController();
  private timer: NodeJS.Timeout | undefined;
  private reason: string | null = null;
  private readonly onParentAbort = () => this.controller.abort(this.parent.reason);

  constructor(
    private readonly o: ReviewLeaseOptions,
    private readonly parent: AbortSignal,
  ) {
    if (parent.aborted) this.controller.abort(parent.reason);
    else parent.addEventListener('abort', this.onParentAbort, { once: true });
    this.arm();
  }

  /** Aborted when the daemon stops or the round fences itself: the agent's signal. */
  get signal(): AbortSignal {
    return this.controller.signal;
  }

  /** Why the round must not write any more (`self-fenced: …`), or null while its owner is live. */
  fenced(): string | null {
    this.check();
    return this.reason;
  }

  close(): void {
    clearTimeout(this.timer);
    this.parent.removeEventListener('abort', this.onParentAbort);
  }

  private check(): void {
    if (this.reason !== null) return;
    const since = this.o.sinceLastBeatMs();
    if (since !== null && since <= this.o.renewDeadlineMs) return;
    this.reason =
      since === null
        ? 'self-fenced: no heartbeat of this owner has landed yet'
        : `self-fenced: no heartbeat for ${Math.round(since)} ms (renew deadline ${this.o.renewDeadlineMs} ms)`;
    this.controller.abort(new Error(this.reason));
  }

  /**
   * A watchdog at the deadline, re-armed while beats land. A timer may fire a little early by
   * the monotonic clock, so one that finds the deadline not yet passed arms itself again.
   */
  private arm(): void {
    this.check();
    if (this.reason !== null || this.parent.aborted) return;
    const since = this.o.sinceLastBeatMs() ?? 0;
    this.timer = setTimeout(() => this.arm(), Math.max(0, this.o.renewDeadlineMs - since) + 1);
    this.timer.unref();
  }
}
