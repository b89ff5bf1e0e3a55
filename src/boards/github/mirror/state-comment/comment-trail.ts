import type { KeyValueStore } from '../../../../state/kv-store.js';

/** kv namespace of the remembered comment ids and bodies. */
const CACHE = 'state-comment';

/**
 * Our comment as we last wrote it. `id: null`: a POST was sent and its fate is unknown.
 * `verify`: the comment was created lately and may have a twin; it is looked for past caches.
 */
export interface Known {
  id: number | null;
  nonce: string;
  body: string;
  verify?: boolean;
}

/**
 * What this daemon knows of its state comment per issue, kept in the kv table so a restart (or
 * a crash between a POST and its answer) still finds the trail: the nonce is remembered first.
 */
export class CommentTrail {
  constructor(private readonly o: { cache?: KeyValueStore; owner: string; repo: string }) {}

  get(issue: number): Known | null {
    const raw = this.o.cache?.get(CACHE, this.key(issue));
    try {
      const k = raw ? (JSON.parse(raw) as Known) : null;
      return k && typeof k.nonce === 'string' && (k.id === null || Number.isInteger(k.id)) ? k : null;
    } catch {
      return null;
    }
  }

  set(issue: number, known: Known): void {
    this.o.cache?.set(CACHE, this.key(issue), JSON.stringify(known));
  }

  /** Forgets the comment (refused, or deleted under us): the next write searches. */
  forget(issue: number): void {
    this.o.cache?.delete(CACHE, this.key(issue));
  }

  private key(issue: number): string {
    return `${this.o.owner}/${this.o.repo}#${issue}`.toLowerCase();
  }
}
