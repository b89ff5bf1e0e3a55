/**
 * Claiming a task chain: decide on the tip this observer knows (ledger-policy.ts), then write
 * the claim (or the poison the policy calls for) by create-if-absent or CAS on that tip.
 */
import { randomUUID } from 'node:crypto';
import { readTipBase, type TipBase } from './ledger-chain.js';
import type { ChainContext } from './ledger-release.js';
import type { LedgerClaimResult, LedgerTicket, RecordFields } from './ledger-types.js';
import { decide } from './records/ledger-policy.js';
import { carried, type TaskRecord } from './records/ledger-record.js';

export async function claimChain(
  ctx: ChainContext,
  issue: number,
  ownerId: string,
  maxRetries: number,
  /** A hand claim (`codex-monitor claim`): held for at most `leaseMs` on each observer's clock. */
  hand?: { leaseMs: number },
): Promise<LedgerClaimResult> {
  const { state, writer } = ctx;
  const tip = state.tips.get(issue);
  if (tip?.bad) return { ok: false, reason: 'bad-ref', detail: tip.bad };
  const base = tip ? await baseOf(ctx, issue, tip.sha, tip.record) : null;
  const d = decide(base && state.facts(issue, base), state.judge(maxRetries, ownerId));
  const log = ctx.logger.child({ task: issue, owner: ownerId });
  if (d.action === 'refuse') {
    const { reason, detail, holder, waitMs } = d;
    return { ok: false, reason, detail, ...(holder ? { holder } : {}), ...(waitMs ? { waitMs } : {}) };
  }
  // What earlier attempts delivered (branch, pull request) travels down the chain.
  const { branch = null, pr = null } = carried(base?.record);
  // Sent back by a reviewer (reviews/review-outcome.ts): this attempt answers that review.
  const sentBack = base?.record?.kind === 'release' && base.record.outcome === 'abandoned';
  const review = sentBack ? base?.record?.review : undefined;
  if (d.action === 'adopt') {
    const rec = base!.record!;
    const ticket: LedgerTicket = {
      issue,
      ownerId,
      attempt: rec.attempt,
      epoch: rec.epoch,
      sha: base!.sha,
      retries: rec.retries,
      branch,
      pr,
    };
    return { ok: true, ticket, tookOverFrom: null };
  }
  if (d.action === 'poison') {
    const fields: RecordFields = {
      kind: 'poison',
      owner: ownerId,
      attempt: '',
      retries: d.retries,
      reason: d.reason,
      ...(d.tookOverFrom ? { tookOverFrom: d.tookOverFrom } : {}),
      ...carried(base?.record),
    };
    const put = await writer.append(issue, base, fields);
    if (put.result === 'rejected') return { ok: false, reason: 'lost-race', detail: 'the tip moved first' };
    log.warn({ epoch: put.record.epoch, reason: d.reason }, 'ledger: poisoned');
    // A takeover at the retry limit: the claim below ended with this poison (its epoch, not ours).
    const ended = d.tookOverFrom && base?.record ? { owner: d.tookOverFrom, epoch: base.record.epoch } : null;
    return { ok: false, reason: 'poisoned', detail: d.reason, ...(ended ? { ended } : {}) };
  }
  const attempt = randomUUID();
  state.attempts.add(attempt); // before writing: a claim whose answer is lost is still ours
  const reason = d.tookOverFrom ? `took over from ${d.tookOverFrom}: ${d.detail}` : undefined;
  const fields: RecordFields = {
    kind: 'claim',
    owner: ownerId,
    attempt,
    retries: d.retries,
    ...(reason ? { reason } : {}),
    ...(hand ? { hand: true as const, leaseMs: hand.leaseMs } : {}),
    ...carried(base?.record),
  };
  if (base && !base.record) log.warn({ detail: d.detail }, 'ledger: claiming over an unknown commit');
  const put = await writer.append(issue, base, fields);
  if (put.result === 'rejected') {
    state.attempts.delete(attempt);
    return { ok: false, reason: 'lost-race', detail: 'another owner moved the ref first' };
  }
  const ticket: LedgerTicket = {
    issue,
    ownerId,
    attempt,
    epoch: put.record.epoch,
    sha: put.sha,
    retries: d.retries,
    branch,
    pr,
    ...(review ? { review } : {}),
  };
  log.info({ attempt, epoch: ticket.epoch, tookOverFrom: d.tookOverFrom }, 'ledger: claimed');
  return { ok: true, ticket, tookOverFrom: d.tookOverFrom };
}

async function baseOf(
  ctx: ChainContext,
  issue: number,
  sha: string,
  record: TaskRecord | null,
): Promise<TipBase> {
  return record
    ? { sha, record, epoch: record.epoch, retries: record.retries }
    : readTipBase(ctx.git, sha, issue);
}
