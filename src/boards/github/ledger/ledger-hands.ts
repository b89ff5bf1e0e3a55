/**
 * The ledger side of hand claims (`codex-monitor claim|hold|renew|release` on GitHub): finding a
 * person's claim again from a fresh process, and the heartbeat `hold` writes. The claim and the
 * lease renewal themselves are claim records (ledger-claim.ts, ledger-release.ts).
 */
import type { Clock } from '../../../core/clock.js';
import type { LedgerState } from './ledger-state.js';
import type { LedgerTicket } from './ledger-types.js';
import { encodeOwnerMessage, parseOwnerRecord, RECORD_VERSION } from './records/ledger-record.js';
import type { LedgerRefs } from './records/ledger-refs.js';
import type { LedgerTransport } from './transport.js';

/** A person's hand claim found on the chain: the ticket, its lease, and when it was written. */
export interface HandHold {
  ticket: LedgerTicket;
  leaseMs: number;
  /** The writer's wall clock (ISO) when it claimed or renewed: for the holder and humans only. */
  at: string;
}

/**
 * `ownerId`'s hand claim of `issue` as the last refresh shows it, with a ticket its later
 * writes (renew, release) quote: CAS on that very commit, so a takeover since then fences them.
 */
export function heldTicket(state: LedgerState, issue: number, ownerId: string): HandHold | null {
  const tip = state.tips.get(issue);
  const rec = tip?.record;
  if (!tip || tip.bad || rec?.kind !== 'claim' || rec.owner !== ownerId || !rec.hand) return null;
  const ticket: LedgerTicket = {
    issue,
    ownerId,
    attempt: rec.attempt,
    epoch: rec.epoch,
    sha: tip.sha,
    retries: rec.retries,
    branch: rec.branch ?? null,
    pr: rec.pr ?? null,
  };
  return { ticket, leaseMs: rec.leaseMs ?? 0, at: rec.at };
}

const ROUNDS = 3;

/**
 * One heartbeat of a person's owner ref: a commit on its tip, by CAS, which every observer's
 * staleness check already reads. Unlike a daemon's (owner-heartbeats.ts) a moved ref is no
 * collision: one person may hold several tasks from several terminals, each beating the same
 * ref, so a lost race simply builds on the new tip. False when it kept losing.
 */
export async function handBeat(
  git: LedgerTransport,
  refs: LedgerRefs,
  clock: Clock,
  ownerId: string,
  instance: string,
  running: readonly number[],
): Promise<boolean> {
  const ref = refs.owner(ownerId);
  for (let round = 0; round < ROUNDS; round++) {
    const parent = await git.tip(ref);
    const seq = parent ? (parseOwnerRecord((await git.commit(parent)).message)?.seq ?? 0) + 1 : 1;
    const message = encodeOwnerMessage({
      v: RECORD_VERSION,
      kind: 'heartbeat',
      owner: ownerId,
      instance,
      seq,
      running: [...running],
      at: new Date(clock.now()).toISOString(),
    });
    // Where the transport may move a ref to any commit by lease (git), a root commit each time:
    // a person's chain needs no history. REST moves fast-forward only: on the tip.
    const parents = git.compacts || parent === null ? [] : [parent];
    const sha = await git.createCommit(message, parents, false);
    if ((await git.advance(ref, sha, parent, async () => false)) === 'applied') return true;
  }
  return false;
}
