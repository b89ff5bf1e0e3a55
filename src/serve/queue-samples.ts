/**
 * Queue depth over time, sampled in memory while the server runs. The event log cannot tell it:
 * whether a task is claimable depends on its dependencies, its backoff and (on GitHub) the
 * issues list, none of which the log records. So the depth is read from a status document the
 * server renders anyway — one the live stream sends when the board changed, or one a charts
 * view reads — and kept in a bounded ring: an unwatched server samples nothing and does no work.
 * The samples start when the server did and are lost when it stops; the page says so.
 */

export interface QueueSample {
  at: number;
  depth: number;
}

/** Ready tasks in a status document: the fleet's queue on GitHub and Jira, the ready total on the local board. */
export function queueDepthOf(status: unknown): number | null {
  if (typeof status !== 'object' || status === null) return null;
  const doc = status as { board?: unknown; queue?: unknown; totals?: { ready?: unknown } };
  if (doc.board === 'github' || doc.board === 'jira')
    return Array.isArray(doc.queue) ? doc.queue.length : null;
  return typeof doc.totals?.ready === 'number' ? doc.totals.ready : null;
}

export class QueueSamples {
  private readonly ring: QueueSample[] = [];
  private startedAt: number | null = null;

  constructor(
    /** At most this many samples are kept (the oldest go first). */
    private readonly capacity = 2_000,
    /** Samples closer than this to the previous one replace it (a burst of views keeps one point). */
    private readonly minGapMs = 10_000,
  ) {}

  /** Records the depth `status` shows at `at`; a document without one (unreadable fleet) is skipped. */
  record(at: number, status: unknown): void {
    const depth = queueDepthOf(status);
    if (depth === null) return;
    this.startedAt ??= at;
    const last = this.ring.at(-1);
    if (last && at - last.at < this.minGapMs && at >= last.at) {
      this.ring[this.ring.length - 1] = { at: last.at, depth };
      return;
    }
    this.ring.push({ at, depth });
    if (this.ring.length > this.capacity) this.ring.shift();
  }

  /** Samples at or after `since`, oldest first, and when sampling began (null: never). */
  since(since: number): { sampledSince: number | null; samples: QueueSample[] } {
    return { sampledSince: this.startedAt, samples: this.ring.filter((s) => s.at >= since) };
  }
}
