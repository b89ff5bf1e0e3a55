/**
 * Delivering an issue's work: the ledger core's delivery (fence, push, pull request — in that
 * order, see deliver-work.ts) with the issue's title and a body that says `Fixes #N`. A fence
 * refused after the push is the release's to undo (release-keeper.ts).
 */
import type { ActiveClaim } from '../../daemon/board.js';
import type { AttemptWorkspace, DeliveryResult } from '../../daemon/workspace.js';
import { deliverWork, renderPullBody } from '../ledger/index.js';
import type { BoardNotices } from './board-notices.js';
import type { RefLedger } from './ledger/index.js';
import type { BoardMirror } from './mirror/index.js';
import type { PullRequests } from './pulls/index.js';

export interface IssueDeliveryContext {
  ledger: RefLedger;
  mirror: Pick<BoardMirror, 'ledgerWrite'>;
  pulls: PullRequests;
  /** PR_DRAFT and PR_LABELS. */
  pullRequests: { draft: boolean; labels: string[] };
  notices?: Pick<BoardNotices, 'prOpened'>;
}

export function deliverIssue(
  ctx: IssueDeliveryContext,
  claim: ActiveClaim,
  workspace: AttemptWorkspace,
  summary: string | null,
  signal: AbortSignal,
): Promise<DeliveryResult> {
  return deliverWork(
    { ...ctx, ledgerWrite: (write) => ctx.mirror.ledgerWrite(write) },
    claim,
    workspace,
    (fenced) => ({
      title: claim.task.title,
      body: renderPullBody({
        issue: fenced.issue,
        summary,
        attempt: claim.ticket.attempt,
        epoch: claim.ticket.epoch,
        owner: claim.ticket.ownerId,
      }),
    }),
    signal,
    (pr, fenced) => ctx.notices?.prOpened(fenced.issue, fenced.ownerId, fenced.epoch, pr.number),
  );
}
