import type { Logger } from '../../core/logger.js';
import type { OwnerIdentity } from '../../core/task.js';
import type { ActiveClaim } from '../../daemon/board.js';
import type { SharedState } from '../../state/shared-state.js';
import { claimOnLedger, type LedgerClaim } from '../ledger/index.js';
import type { BoardNotices } from './board-notices.js';
import type { Answering, IssueSnapshot } from './issues/index.js';
import type { LedgerTicket, RefLedger } from './ledger/index.js';
import type { BoardMirror, Steering } from './mirror/index.js';
import { factsOf } from './mirror/index.js';

/** A "working" mirror waits this long: an attempt that ends sooner is mirrored once, finished. */
const WORKING_MIRROR_DELAY_MS = 2000;

/** A claim on an issue: the ledger core's claim (its ledger ticket travels with it). */
export type IssueClaim = LedgerClaim;

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
 * Claims one issue on the ledger behind the local gate (the ledger core's claimOnLedger), then
 * builds its task — the branch earlier attempts delivered on, the review it answers — and shows
 * it working on the mirror.
 */
export async function claimIssue(
  ctx: IssueClaimContext,
  id: string,
  issue: IssueSnapshot,
): Promise<IssueClaim | null> {
  const won = await claimOnLedger(
    {
      ...ctx,
      source: 'github',
      ledgerWrite: (write) => ctx.mirror.ledgerWrite(write),
      onPoisoned: (n, owner, detail) => ctx.steering.poisoned(n, owner, detail),
      ...(ctx.notices ? { onTookOver: ctx.notices.tookOver.bind(ctx.notices) } : {}),
    },
    id,
    issue.number,
  );
  if (!won) return null;
  const task = await ctx.task(id, issue, await answering(ctx, id, won.ledger));
  if (ctx.delivers) {
    // The branch earlier attempts delivered on, from the chain: a retry continues it.
    task.work = {
      key: String(issue.number),
      title: issue.title,
      reference: `#${issue.number}`,
      branch: won.ledger.branch,
    };
  }
  const claim: IssueClaim = { task, ticket: won.ticket, tookOverFrom: won.tookOverFrom, ledger: won.ledger };
  ctx.mirror.show(factsOf(won.ticket), won.ledger, 'working', {}, { delayMs: WORKING_MIRROR_DELAY_MS });
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
