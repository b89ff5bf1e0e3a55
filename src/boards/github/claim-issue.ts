import type { Logger } from '../../core/logger.js';
import type { OwnerIdentity } from '../../core/task.js';
import type { ActiveClaim } from '../../daemon/board.js';
import type { SharedState } from '../../state/shared-state.js';
import type { BoardNotices } from './board-notices.js';
import type { Answering, IssueSnapshot } from './issues/index.js';
import type { LedgerTicket, RefLedger } from './ledger/index.js';
import type { BoardMirror, Steering } from './mirror/index.js';
import { factsOf } from './mirror/index.js';

/** A "working" mirror waits this long: an attempt that ends sooner is mirrored once, finished. */
const WORKING_MIRROR_DELAY_MS = 2000;

/**
 * A claim on an issue: the board-neutral claim, whose ticket carries the ledger's epoch, and
 * the ledger ticket (chain tip) its heartbeat verdicts and release quote. The daemon hands back
 * the very object the board gave it, so the ledger ticket travels with the claim.
 */
export interface IssueClaim extends ActiveClaim {
  ledger: LedgerTicket;
}

/** The ledger ticket of a claim this board handed out (undefined for any other object). */
export function ledgerTicketOf(claim: ActiveClaim): LedgerTicket | undefined {
  return (claim as Partial<IssueClaim>).ledger;
}

/** What claiming one issue needs of the board (a test passes an object literal). */
export interface IssueClaimContext {
  store: SharedState;
  self: OwnerIdentity;
  ledger: RefLedger;
  maxRetries: number;
  logger: Logger;
  mirror: Pick<BoardMirror, 'ledgerWrite' | 'show'>;
  steering: Pick<Steering, 'poisoned'>;
  /** The executor's task for the issue: from the configuration, never from the issue's text. */
  task: (id: string, issue: IssueSnapshot, answering?: Answering) => Promise<ActiveClaim['task']>;
  /** The text of review `reviewId` on pull request `pr` (a reviewer sent the issue back with it). */
  reviewText?: (pr: number, reviewId: number) => Promise<string>;
  /** Attempts work in workspaces and deliver pull requests. */
  delivers?: boolean;
  /** A takeover ends another owner's epoch: this process tells the fence (board-notices.ts). */
  notices?: Pick<BoardNotices, 'tookOver'>;
}

/**
 * Claims one issue. The ledger decides; the local claim comes first only as this workstation's
 * gate (two daemons of one machine never race on GitHub for one issue) and is given back
 * whenever the ledger does not grant the claim. A granted claim is recorded locally with the
 * ledger's epoch and retry count: from then on there is one claim, named the same everywhere.
 */
export async function claimIssue(
  ctx: IssueClaimContext,
  id: string,
  issue: IssueSnapshot,
): Promise<IssueClaim | null> {
  const { self: owner, store: state } = ctx;
  // The ledger is the authority: an issue done here that it sent back since (a reviewer asked
  // for changes: `release abandoned`) is open again on this workstation too.
  const tip = ctx.ledger.lastView()?.tasks.get(issue.number);
  if (state.get(id)?.state === 'done' && tip && tip.state !== 'done') {
    state.reset(id, { includeDone: true, actor: 'ledger' });
  }
  const local = state.claim(id, owner, { create: true, source: 'github' });
  if (!local.ok) return null;
  const giveBack = (error: string) => state.release(local.ticket, 'abandoned', { error });
  let won: Awaited<ReturnType<RefLedger['claim']>>;
  try {
    won = await ctx.mirror.ledgerWrite(() =>
      ctx.ledger.claim(issue.number, owner.id, { maxRetries: ctx.maxRetries }),
    );
  } catch (error) {
    giveBack(`ledger unavailable: ${String(error)}`); // no answer: the gate must not outlive this call
    throw error;
  }
  if (!won.ok) {
    giveBack(`ledger: ${won.reason}: ${won.detail}`);
    ctx.logger.info({ task: id, reason: won.reason, detail: won.detail }, 'ledger refused the claim');
    if (won.reason === 'poisoned') ctx.steering.poisoned(issue.number, owner.id, won.detail);
    return null;
  }
  // Every commit counts one epoch: the claim taken over sits right below ours.
  if (won.tookOverFrom !== null)
    ctx.notices?.tookOver(issue.number, won.tookOverFrom, won.ticket.epoch - 1, owner.id);
  const grant = { epoch: won.ticket.epoch, retryCount: won.ticket.retries };
  let ticket = state.recordGrant(local.ticket, grant);
  if (!ticket) {
    // Only a human's local reset between the two steps takes the gate back: the ledger, the
    // authority, granted the claim, so it runs; its local release is recorded as fenced.
    ctx.logger.warn({ task: id, epoch: grant.epoch }, 'the local claim changed while the ledger granted it');
    ticket = { ...local.ticket, epoch: grant.epoch, attempt: grant.retryCount + 1 };
  }
  const task = await ctx.task(id, issue, await answering(ctx, id, won.ticket));
  if (ctx.delivers) {
    // The branch earlier attempts delivered on, from the chain: a retry continues it.
    task.work = {
      key: String(issue.number),
      title: issue.title,
      reference: `#${issue.number}`,
      branch: won.ticket.branch,
    };
  }
  const claim: IssueClaim = {
    task,
    ticket,
    tookOverFrom: won.tookOverFrom,
    ledger: won.ticket,
  };
  ctx.mirror.show(factsOf(ticket), won.ticket, 'working', {}, { delayMs: WORKING_MIRROR_DELAY_MS });
  return claim;
}

/** The review a sent-back issue's next attempt answers; without its text the attempt still runs. */
async function answering(
  ctx: IssueClaimContext,
  id: string,
  t: LedgerTicket,
): Promise<Answering | undefined> {
  if (!t.review || !t.pr || !ctx.reviewText) return undefined;
  try {
    return { review: await ctx.reviewText(t.pr, t.review) };
  } catch (error) {
    ctx.logger.warn({ task: id, review: t.review, error: String(error) }, 'cannot read the review to answer');
    return undefined;
  }
}
