/**
 * Liveness as Kubernetes leader election judges it: an observer records when it first saw a
 * ref at a sha, on its OWN monotonic clock, and calls the writer stale once it has seen that
 * sha unchanged for at least the threshold. No timestamp written by another machine is ever
 * read, so wall-clock skew between workstations cannot cause a takeover, and an observer that
 * has just started has seen nothing for long: it waits a full threshold.
 *
 * Conservative bounds: a sha first shown by a response received at `r1` was written no later
 * than `r1`; a later request sent at `s2` that still shows it proves the ref did not move in
 * [r1, s2]. So "unchanged for" is s2 − r1, never now − r1: a view that has not been refreshed
 * proves nothing about the time since.
 */
import type { Clock } from '../../../../core/clock.js';

interface Sighting {
  sha: string;
  /** Monotonic time the response that first showed `sha` was received. */
  firstSeen: number;
  /** Monotonic send time of the latest request that still showed `sha`. */
  confirmed: number;
}

export class RefObserver {
  private readonly sightings = new Map<string, Sighting>();

  constructor(
    private readonly clock: Clock,
    readonly thresholdMs: number,
  ) {}

  /**
   * Records what one read showed. `sentAt`/`receivedAt` bracket the request on this clock;
   * own writes pass the same instant twice. A read older than what we already know is ignored.
   */
  observe(ref: string, sha: string, sentAt: number, receivedAt: number): void {
    const known = this.sightings.get(ref);
    if (known?.sha === sha) {
      known.confirmed = Math.max(known.confirmed, sentAt);
      return;
    }
    if (known && sentAt < known.firstSeen) return;
    this.sightings.set(ref, { sha, firstSeen: receivedAt, confirmed: receivedAt });
  }

  /** Records a full listing: refs under `prefix` it does not contain are forgotten. */
  observeListing(
    prefix: string,
    refs: ReadonlyMap<string, string>,
    sentAt: number,
    receivedAt: number,
  ): void {
    for (const [ref, sha] of refs) this.observe(ref, sha, sentAt, receivedAt);
    for (const [ref, known] of this.sightings) {
      if (ref.startsWith(prefix) && !refs.has(ref) && known.firstSeen < sentAt) this.sightings.delete(ref);
    }
  }

  /** Own write: the ref is at `sha` now. */
  wrote(ref: string, sha: string): void {
    const now = this.clock.monotonic();
    this.observe(ref, sha, now, now);
  }

  /** Every ref currently tracked. */
  refs(): IterableIterator<string> {
    return this.sightings.keys();
  }

  sha(ref: string): string | undefined {
    return this.sightings.get(ref)?.sha;
  }

  /** How long the ref has provably stayed at its current sha; null when never seen. */
  unchangedForMs(ref: string): number | null {
    const s = this.sightings.get(ref);
    return s ? s.confirmed - s.firstSeen : null;
  }

  /** Time since this observer first saw the ref's current sha (for backoffs); null when never seen. */
  seenForMs(ref: string): number | null {
    const s = this.sightings.get(ref);
    return s ? this.clock.monotonic() - s.firstSeen : null;
  }

  /** Seen unchanged for at least the threshold. A ref never seen is not stale (unknown). */
  isStale(ref: string): boolean {
    const unchanged = this.unchangedForMs(ref);
    return unchanged !== null && unchanged >= this.thresholdMs;
  }
}
