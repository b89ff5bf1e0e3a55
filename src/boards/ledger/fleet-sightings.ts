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
/** Namespace of the time of the last look (key: `<owner/repo>`). */
const LOOK_NAMESPACE = 'fleet-sightings-look';

interface Sighting {
  sha: string;
  /** Wall ms when this observer first saw `sha` at the ref. */
  firstSeen: number;
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
  /** Wall ms of the previous look: every ref known was listed by it (others are forgotten). */
  private readonly lastLook: number | null;

  constructor(
    private readonly kv: KeyValueStore,
    private readonly repository: string,
  ) {
    const prefix = `${repository.toLowerCase()} `;
    for (const [key, value] of kv.entries(SIGHTINGS_NAMESPACE)) {
      if (!key.startsWith(prefix)) continue;
      try {
        const s = JSON.parse(value) as Sighting;
        if (typeof s.sha === 'string' && Number.isFinite(s.firstSeen))
          this.known.set(key.slice(prefix.length), s);
      } catch {
        // A damaged entry: this ref counts as a first look.
      }
    }
    const look = Number(kv.get(LOOK_NAMESPACE, repository.toLowerCase()));
    this.lastLook = Number.isFinite(look) && look > 0 ? look : null;
  }

  /**
   * Records one listing made at `now`; refs it no longer shows are forgotten. Writes only what
   * changed (moved refs, the time of this look): an idle fleet costs one write per look.
   */
  observe(listing: ReadonlyMap<string, string>, now: number): void {
    for (const [ref, sha] of listing) {
      const before = this.known.get(ref);
      if (before?.sha === sha) {
        this.ages.set(ref, {
          bound: 'at-least',
          ageMs: now - before.firstSeen,
          firstSeen: iso(before.firstSeen),
        });
        continue;
      }
      // Moved since the previous look, which showed the old sha: no longer ago than that look.
      const moved = before !== undefined && this.lastLook !== null;
      this.ages.set(
        ref,
        moved
          ? { bound: 'at-most', ageMs: now - this.lastLook!, firstSeen: iso(now) }
          : { bound: 'first-look', ageMs: 0, firstSeen: iso(now) },
      );
      this.known.set(ref, { sha, firstSeen: now });
      this.kv.set(SIGHTINGS_NAMESPACE, this.key(ref), JSON.stringify({ sha, firstSeen: now }));
    }
    for (const ref of [...this.known.keys()]) {
      if (listing.has(ref)) continue;
      this.known.delete(ref);
      this.kv.delete(SIGHTINGS_NAMESPACE, this.key(ref));
    }
    this.kv.set(LOOK_NAMESPACE, this.repository.toLowerCase(), String(now));
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
