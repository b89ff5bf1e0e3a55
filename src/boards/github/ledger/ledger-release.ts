/**
 * The holder's writes after its claim: the delivery fence and the release, each a CAS on our own
 * latest commit. When the chain has moved past that commit, the commits right after it settle
 * the write without writing again: our earlier try whose answer was lost (landed), or someone
 * else's record (fenced). See release-proof.ts.
 */
import type { Logger } from '../../../core/logger.js';
import type { ReleaseOutcome } from '../../../core/task.js';
import type { TipBase } from './ledger-chain.js';
import { LedgerUncertainError } from './ledger-errors.js';
import type { LedgerState } from './ledger-state.js';
import type { LedgerFenceResult, LedgerReleaseResult, LedgerTicket, RecordFields } from './ledger-types.js';
import type { LedgerWriter } from './ledger-writer.js';
import { carried, type TaskRecord } from './records/ledger-record.js';
import type { LedgerRefs } from './records/ledger-refs.js';
import { type ReleaseProof, releaseProof } from './release-proof.js';
import type { LedgerTransport } from './transport.js';

/** What a holder's writes on a task chain (claim, fence, release) need of the ledger. */
export interface ChainContext {
  git: LedgerTransport;
  refs: LedgerRefs;
  state: LedgerState;
  writer: LedgerWriter;
  logger: Logger;
}

/**
 * CAS of a release on our own latest commit; fenced when the chain moved past it. Safe to call
 * again after a failure: a chain already past our claim is settled by the commit right after it
 * (our earlier release whose answer was lost, or someone else's record) without writing again.
 */
export async function releaseClaim(
  ctx: ChainContext,
  given: LedgerTicket,
  outcome: ReleaseOutcome,
  detail: { reason?: string; backoffMs?: number; pr?: number } = {},
): Promise<LedgerReleaseResult> {
  const failed = outcome === 'failed';
  const fields = (ticket: LedgerTicket): RecordFields => ({
    kind: 'release',
    owner: ticket.ownerId,
    attempt: ticket.attempt,
    outcome,
    retries: failed ? ticket.retries + 1 : ticket.retries,
    ...(failed ? { backoffMs: Math.max(0, Math.round(detail.backoffMs ?? 0)) } : {}),
    ...(detail.reason ? { reason: detail.reason } : {}),
    ...carried({ branch: ticket.branch, pr: detail.pr ?? ticket.pr }),
  });
  const done = await writeAfterClaim(ctx, given, fields);
  if (done.verdict === 'theirs') return fenced(ctx, given, done.by);
  ctx.state.attempts.delete(given.attempt);
  if (done.verdict === 'ours') return { ok: true, epoch: done.epoch, sha: done.sha };
  throw new LedgerUncertainError(
    `the release of #${given.issue} was refused while a read of its tip still shows our claim (a lagging read)`,
  );
}

/** The delivery fence: a claim record of the same attempt naming the branch, by CAS. */
export async function fenceClaim(
  ctx: ChainContext,
  given: LedgerTicket,
  branch: string,
): Promise<LedgerFenceResult> {
  const fields = (ticket: LedgerTicket): RecordFields => ({
    kind: 'claim',
    phase: 'deliver',
    owner: ticket.ownerId,
    attempt: ticket.attempt,
    retries: ticket.retries,
    ...carried({ branch, pr: ticket.pr }),
  });
  const done = await writeAfterClaim(ctx, given, fields, branch);
  if (done.verdict === 'theirs') return fenced(ctx, given, done.by);
  if (done.verdict === 'extended') {
    return { ok: true, ticket: { ...given, sha: done.sha, epoch: done.epoch, branch } };
  }
  throw new LedgerUncertainError(
    `the delivery fence of #${given.issue} was refused while a read of its tip still shows our claim (a lagging read)`,
  );
}

/**
 * Restarts a hand claim's lease: a claim record of the same attempt (with `hand` and the lease),
 * by CAS on our latest commit — a new tip, so every observer starts the lease afresh on its own
 * clock. Fenced when the chain moved past our claim.
 */
export async function renewHandClaim(
  ctx: ChainContext,
  given: LedgerTicket,
  leaseMs: number,
): Promise<LedgerFenceResult> {
  const fields = (ticket: LedgerTicket): RecordFields => ({
    kind: 'claim',
    owner: ticket.ownerId,
    attempt: ticket.attempt,
    retries: ticket.retries,
    hand: true,
    leaseMs,
    ...carried({ branch: ticket.branch, pr: ticket.pr }),
  });
  const done = await writeAfterClaim(ctx, given, fields);
  if (done.verdict === 'theirs') return fenced(ctx, given, done.by);
  if (done.verdict === 'extended')
    return { ok: true, ticket: { ...given, sha: done.sha, epoch: done.epoch } };
  throw new LedgerUncertainError(
    `the lease renewal of #${given.issue} was refused while a read of its tip still shows our claim (a lagging read)`,
  );
}

/**
 * Appends `fields(ticket)` on our latest commit. When the chain moved past it, what is above it
 * decides: our own fence records extend the claim (the write is tried again on the newest; a
 * fence whose `branch` matches is itself the answer), our release or someone else's record
 * settles it. `extended` after a fence means the fence is on the chain.
 */
async function writeAfterClaim(
  ctx: ChainContext,
  given: LedgerTicket,
  fields: (ticket: LedgerTicket) => RecordFields,
  fenceBranch?: string,
): Promise<ReleaseProof> {
  let ticket = given;
  for (let round = 0; round < 3; round++) {
    const known = ctx.state.tips.get(ticket.issue);
    const movedOn =
      known && known.sha !== ticket.sha && (known.record?.epoch ?? Number.POSITIVE_INFINITY) > ticket.epoch;
    if (!movedOn) {
      const base: TipBase = { sha: ticket.sha, record: null, epoch: ticket.epoch, retries: ticket.retries };
      const put = await ctx.writer.append(ticket.issue, base, fields(ticket));
      if (put.result === 'applied') {
        return put.record.kind === 'release'
          ? { verdict: 'ours', sha: put.sha, epoch: put.record.epoch }
          : { verdict: 'extended', sha: put.sha, epoch: put.record.epoch, record: put.record };
      }
    }
    const tip = movedOn ? known.sha : await ctx.git.tip(ctx.refs.task(ticket.issue));
    const proof: ReleaseProof =
      tip === null ? { verdict: 'theirs', by: null } : await releaseProof(ctx.git, tip, ticket);
    if (proof.verdict !== 'extended') return proof;
    // Our own fence landed (an answer lost): it is the fence asked for, or the base to write on.
    if (fenceBranch !== undefined && proof.record.phase === 'deliver' && proof.record.branch === fenceBranch)
      return proof;
    ticket = { ...ticket, sha: proof.sha, epoch: proof.epoch };
  }
  return { verdict: 'unknown' };
}

function fenced(
  ctx: ChainContext,
  ticket: LedgerTicket,
  by: TaskRecord | null,
): { ok: false; fenced: true; reason: string; endedBy: TaskRecord | null } {
  ctx.state.attempts.delete(ticket.attempt);
  const what = by ? `${by.kind} by ${by.owner}` : 'taken over, reset or poisoned';
  const reason = `the chain of #${ticket.issue} moved past epoch ${ticket.epoch} (${what})`;
  ctx.logger.warn({ task: ticket.issue, owner: ticket.ownerId, attempt: ticket.attempt, reason }, 'fenced');
  return { ok: false, fenced: true, reason, endedBy: by };
}
