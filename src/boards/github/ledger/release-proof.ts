/**
 * Did our release land? A release is a commit whose only parent is our claim commit. Once the
 * chain has moved past the claim, the commit right after it says who moved it: our own release
 * (an earlier try whose answer was lost) or someone else (taken over, reset, poisoned: fenced).
 * Commits are immutable, so this is proof, not a guess; only a read that still shows our claim
 * at the tip (a lagging read) proves nothing.
 */

import type { LedgerTicket } from './ledger-types.js';
import { parseTaskRecord } from './records/ledger-record.js';
import type { LedgerGit } from './rest/ledger-git.js';

/** How far down a chain we look for the commit after our claim. */
const MAX_WALK = 50;

export type ReleaseProof =
  /** Our release is on the chain: the commit `sha` at `epoch`. */
  | { verdict: 'ours'; sha: string; epoch: number }
  /** Someone else moved the chain past our claim (or it no longer contains it). */
  | { verdict: 'theirs' }
  /** The tip read is still our claim: nothing is proven either way. */
  | { verdict: 'unknown' };

export async function releaseProof(git: LedgerGit, tip: string, ticket: LedgerTicket): Promise<ReleaseProof> {
  let current = tip;
  for (let i = 0; i < MAX_WALK; i++) {
    if (current === ticket.sha) return { verdict: 'unknown' };
    const commit = await git.commit(current);
    const record = parseTaskRecord(commit.message);
    const parent = commit.parents[0];
    if (parent === ticket.sha) {
      const ours = record?.kind === 'release' && record.attempt === ticket.attempt;
      return ours ? { verdict: 'ours', sha: current, epoch: record.epoch } : { verdict: 'theirs' };
    }
    // Below our claim's epoch without meeting it: the chain was rewritten without our claim.
    if (!parent || (record !== null && record.epoch <= ticket.epoch)) return { verdict: 'theirs' };
    current = parent;
  }
  return { verdict: 'theirs' };
}
