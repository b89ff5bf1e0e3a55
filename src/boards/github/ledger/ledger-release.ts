/**
 * Releasing a claim: a CAS of the release record on our own latest commit. When the chain has
 * moved past that commit, the commit right after our claim settles it without writing again:
 * our earlier release whose answer was lost (landed), or someone else's record (fenced).
 */
import type { Logger } from '../../../core/logger.js';
import type { ReleaseOutcome } from '../../../core/task.js';
import type { TipBase } from './ledger-chain.js';
import { LedgerUncertainError } from './ledger-errors.js';
import type { LedgerState } from './ledger-state.js';
import type { LedgerReleaseResult, LedgerTicket, RecordFields } from './ledger-types.js';
import type { LedgerWriter } from './ledger-writer.js';
import type { LedgerRefs } from './records/ledger-refs.js';
import { releaseProof } from './release-proof.js';
import type { LedgerGit } from './rest/ledger-git.js';

/** What a release needs of the ledger. */
export interface ReleaseContext {
  git: LedgerGit;
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
  ctx: ReleaseContext,
  ticket: LedgerTicket,
  outcome: ReleaseOutcome,
  detail: { reason?: string; backoffMs?: number } = {},
): Promise<LedgerReleaseResult> {
  const known = ctx.state.tips.get(ticket.issue);
  if (known && known.sha !== ticket.sha && (known.record?.epoch ?? Number.POSITIVE_INFINITY) > ticket.epoch) {
    const settled = await settleRelease(ctx, ticket, known.sha);
    if (settled) return settled;
  }
  const failed = outcome === 'failed';
  const fields: RecordFields = {
    kind: 'release',
    owner: ticket.ownerId,
    attempt: ticket.attempt,
    outcome,
    retries: failed ? ticket.retries + 1 : ticket.retries,
    ...(failed ? { backoffMs: Math.max(0, Math.round(detail.backoffMs ?? 0)) } : {}),
    ...(detail.reason ? { reason: detail.reason } : {}),
  };
  const base: TipBase = { sha: ticket.sha, record: null, epoch: ticket.epoch, retries: ticket.retries };
  const put = await ctx.writer.append(ticket.issue, base, fields);
  if (put.result === 'applied') {
    ctx.state.attempts.delete(ticket.attempt);
    return { ok: true, epoch: put.record.epoch, sha: put.sha };
  }
  const tip = await ctx.git.tip(ctx.refs.task(ticket.issue));
  const settled = await settleRelease(ctx, ticket, tip);
  if (settled) return settled;
  throw new LedgerUncertainError(
    `the release of #${ticket.issue} was refused while a read of its tip still shows our claim (a lagging read)`,
  );
}

/** What the chain ending at `tip` proves about our release; null when it proves nothing yet. */
async function settleRelease(
  ctx: ReleaseContext,
  ticket: LedgerTicket,
  tip: string | null,
): Promise<LedgerReleaseResult | null> {
  const proof = tip === null ? { verdict: 'theirs' as const } : await releaseProof(ctx.git, tip, ticket);
  if (proof.verdict === 'unknown') return null;
  ctx.state.attempts.delete(ticket.attempt);
  if (proof.verdict === 'ours') return { ok: true, epoch: proof.epoch, sha: proof.sha };
  const reason = `the chain of #${ticket.issue} moved past epoch ${ticket.epoch} (taken over, reset or poisoned)`;
  ctx.logger.warn({ task: ticket.issue, owner: ticket.ownerId, attempt: ticket.attempt, reason }, 'fenced');
  return { ok: false, fenced: true, reason };
}
