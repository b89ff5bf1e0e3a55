/**
 * How the ledger reads and moves its refs. Two transports speak the same records, epochs and
 * fencing: git's own protocol (git/: `git push --force-with-lease`, any git host, no REST
 * points) and GitHub's REST git-data API (rest/: create-if-absent and fast-forward-only PATCH).
 * Everything above this interface (claims, releases, heartbeats, the view) is shared.
 */

export interface CommitInfo {
  sha: string;
  message: string;
  parents: string[];
}

/** A listed ref: the object it points at and that object's type (`commit`, `tree`, `blob`, `tag`). */
export interface ListedRef {
  sha: string;
  type: string;
}

/** 'applied': the chain holds our commit; 'rejected': another writer moved the ref first. */
export type AdvanceResult = 'applied' | 'rejected';

/** Whether the chain ending at `tip` contains our commit (someone built on it already). */
export type Landed = (tip: string) => Promise<boolean>;

export interface LedgerTransport {
  /** Which transport this is, for status and doctor. */
  readonly kind: 'git' | 'rest';
  /** Where the ledger lives, for messages (`acme/widgets`, or a remote URL without credentials). */
  readonly where: string;
  /**
   * True when a ref may be moved to a commit that does not descend from its tip, still as a
   * compare-and-swap (a lease): chains can then be compacted to their latest record.
   */
  readonly compacts: boolean;
  /** Proves the ledger can be read and commits made (throws a clear error when not). */
  prepare(): Promise<void>;
  /** Proves refs can be written: creates a probe ref and deletes it again; returns what it did. */
  probeWrite(namespace: string): Promise<string>;
  /** Every ref under `refs/<prefix>`, with the objects they point at available to `commit`. */
  listRefs(prefix: string): Promise<Map<string, ListedRef>>;
  /** The sha a ref points to now (`ref` is `refs/...`), or null when it does not exist. */
  tip(ref: string): Promise<string | null>;
  /**
   * A commit's message and parents (LedgerBadRefError when `sha` is not a commit).
   * `remember: false` for a commit read once and never again (an owner's heartbeat as the
   * fleet reader sees it): it is not added to a cache that persists.
   */
  commit(sha: string, options?: { remember?: boolean }): Promise<CommitInfo>;
  /**
   * Creates a commit object (an empty tree will do: only the message matters). `cache: false`
   * for commits nobody reads back (heartbeats).
   */
  createCommit(message: string, parents: string[], cache?: boolean): Promise<string>;
  /**
   * Points `ref` at `sha` by compare-and-swap: created when `parent` is null (must not exist),
   * else only when the tip is still `parent`. Lost answers are settled by re-reading (`landed`
   * looks down a chain that moved on). Throws LedgerUncertainError when no answer is definite.
   */
  advance(ref: string, sha: string, parent: string | null, landed: Landed): Promise<AdvanceResult>;
}
