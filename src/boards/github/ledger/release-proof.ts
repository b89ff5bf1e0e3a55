/**
 * Where does the chain stand with our claim? Our writes after a claim are commits whose parent
 * is our latest commit: a delivery fence (a claim record of the same attempt) and a release.
 * Once the chain has moved past the commit we know, the commits right after it say who moved
 * it: our own writes (earlier tries whose answers were lost) or someone else (taken over,
 * reset, poisoned: fenced). A release that compacted the chain is a root commit of our attempt.
 * Commits are immutable, so this is proof, not a guess; only a read that still shows our commit
 * at the tip (a lagging read) proves nothing.
 */

import type { LedgerTicket } from './ledger-types.js';
import { parseTaskRecord, type TaskRecord } from './records/ledger-record.js';
import type { LedgerTransport } from './transport.js';

/** How far down a chain we look for the commit after our claim. */
const MAX_WALK = 50;

export type ReleaseProof =
  /** Our release is on the chain: the commit `sha` at `epoch`. */
  | { verdict: 'ours'; sha: string; epoch: number }
  /** Our claim still holds, extended by our own fence record: the commit `sha` at `epoch`. */
  | { verdict: 'extended'; sha: string; epoch: number; record: TaskRecord }
  /**
   * Someone else moved the chain past our claim (or it no longer contains it). `by`: the record
   * right after ours, which ended our epoch (null: not found, or a commit without a record).
   */
  | { verdict: 'theirs'; by: TaskRecord | null }
  /** The tip read is still our claim: nothing is proven either way. */
  | { verdict: 'unknown' };

export async function releaseProof(
  git: LedgerTransport,
  tip: string,
  ticket: LedgerTicket,
): Promise<ReleaseProof> {
  // The commits above ours, newest first.
  if (tip === ticket.sha) return { verdict: 'unknown' };
  const above: { sha: string; record: TaskRecord | null }[] = [];
  let current = tip;
  for (;;) {
    if (above.length === MAX_WALK) return { verdict: 'theirs', by: null };
    const commit = await git.commit(current);
    const record = parseTaskRecord(commit.message);
    above.push({ sha: current, record });
    const parent = commit.parents[0];
    if (parent === ticket.sha) break;
    // A root commit of our attempt: a release that compacted the chain, written by lease on our
    // own latest commit (only the holder writes records of its attempt).
    if (!parent && record?.attempt === ticket.attempt && record.owner === ticket.ownerId) break;
    // Below our claim's epoch without meeting it: the chain was rewritten without our claim.
    // (A compacting transport may have replaced the chain by a root commit: the record at the
    // epoch after ours, when seen, is still the one that ended it.)
    if (!parent || (record !== null && record.epoch <= ticket.epoch)) {
      const next = above.find((a) => a.record?.epoch === ticket.epoch + 1)?.record ?? null;
      return { verdict: 'theirs', by: next };
    }
    current = parent;
  }
  // Oldest first: our own fence records extend the claim; the first other record decides.
  for (let i = above.length - 1; i >= 0; i--) {
    const { sha, record } = above[i]!;
    if (record?.attempt !== ticket.attempt || record.owner !== ticket.ownerId)
      return { verdict: 'theirs', by: record ?? null };
    if (record.kind === 'release') return { verdict: 'ours', sha, epoch: record.epoch };
    if (record.kind !== 'claim') return { verdict: 'theirs', by: record };
    if (i === 0) return { verdict: 'extended', sha, epoch: record.epoch, record };
  }
  return { verdict: 'theirs', by: null };
}
