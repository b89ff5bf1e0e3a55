/**
 * What one workstation has seen of the ledger's refs across one-shot reads (`status`). A
 * daemon's RefObserver measures "unchanged for" on its monotonic clock within one process; a
 * command that lives for one read cannot, so it remembers in the state kv, per ref, the sha it
 * saw, when it first saw it and when it last looked — on THIS machine's wall clock, the only
 * clock that spans processes here. Nothing is decided on these figures: they are shown, with
 * their bound ("at least", "at most") and "first look" when there is nothing to compare with.
 */
import type { KeyValueStore } from '../../state/kv-store.js';

/** Namespace of the sightings (key: `<owner/repo> <ref>`). */
export const SIGHTINGS_NAMESPACE = 'fleet-sightings';

interface Sighting {
  sha: string;
  /** Wall ms when this observer first saw `sha` at the ref. */
  firstSeen: number;
  /** Wall ms of the latest look that showed `sha`. */
  lastSeen: number;
}

/** How long a ref has been at its sha, as far as this observer can tell. */
export interface RefAge {
  /**
   * `at-least`: seen unchanged since `ageMs` ago; `at-most`: it moved since the last look,
   * `ageMs` ago; `first-look`: never seen before (ageMs 0: "≥0s").
   */
  bound: 'at-least' | 'at-most' | 'first-look';
  ageMs: number;
  /** When this observer first saw the current sha (ISO 8601, this machine's clock). */
  firstSeen: string;
}

export class FleetSightings {
  private readonly known = new Map<string, Sighting>();
  private readonly ages = new Map<string, RefAge>();

  constructor(
    private readonly kv: KeyValueStore,
    private readonly repository: string,
  ) {
    const prefix = `${repository.toLowerCase()} `;
    for (const [key, value] of kv.entries(SIGHTINGS_NAMESPACE)) {
      if (!key.startsWith(prefix)) continue;
      try {
        const s = JSON.parse(value) as Sighting;
        if (typeof s.sha === 'string' && Number.isFinite(s.firstSeen) && Number.isFinite(s.lastSeen))
          this.known.set(key.slice(prefix.length), s);
      } catch {
        // A damaged entry: this ref counts as a first look.
      }
    }
  }

  /** Records one listing made at `now`; refs it no longer shows are forgotten. */
  observe(listing: ReadonlyMap<string, string>, now: number): void {
    for (const [ref, sha] of listing) {
      const before = this.known.get(ref);
      let next: Sighting;
      if (before?.sha === sha) {
        next = { sha, firstSeen: before.firstSeen, lastSeen: now };
        this.ages.set(ref, {
          bound: 'at-least',
          ageMs: now - before.firstSeen,
          firstSeen: iso(before.firstSeen),
        });
      } else {
        next = { sha, firstSeen: now, lastSeen: now };
        this.ages.set(
          ref,
          before
            ? { bound: 'at-most', ageMs: now - before.lastSeen, firstSeen: iso(now) }
            : { bound: 'first-look', ageMs: 0, firstSeen: iso(now) },
        );
      }
      this.known.set(ref, next);
      this.kv.set(SIGHTINGS_NAMESPACE, this.key(ref), JSON.stringify(next));
    }
    for (const ref of [...this.known.keys()]) {
      if (listing.has(ref)) continue;
      this.known.delete(ref);
      this.kv.delete(SIGHTINGS_NAMESPACE, this.key(ref));
    }
  }

  /** The age of `ref` at the last `observe` (undefined: not listed). */
  age(ref: string): RefAge | undefined {
    return this.ages.get(ref);
  }

  /** Wall ms when this observer first saw the ref's current sha. */
  firstSeen(ref: string): number | undefined {
    return this.known.get(ref)?.firstSeen;
  }

  private key(ref: string): string {
    return `${this.repository.toLowerCase()} ${ref}`;
  }
}

const iso = (ms: number) => new Date(ms).toISOString();
