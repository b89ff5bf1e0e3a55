/**
 * Delivering an issue's work: fence, push, pull request — in that order, so nothing leaves
 * the machine unless the ledger has just proven the claim is still ours (see DESIGN.md,
 * "Workspaces and delivery"). A pull request is found by its branch and updated, never opened
 * twice (pulls/). A fence refused after the push is the release's to undo (release-keeper.ts).
 */
import type { ActiveClaim } from '../../daemon/board.js';
import type { AttemptWorkspace, DeliveryResult } from '../../daemon/workspace.js';
import { ledgerTicketOf } from '../ledger/index.js';
import type { BoardNotices } from './board-notices.js';
import type { IssueClaim } from './claim-issue.js';
import type { RefLedger } from './ledger/index.js';
import type { BoardMirror } from './mirror/index.js';
import { type PullRequests, renderPullBody } from './pulls/index.js';

export interface IssueDeliveryContext {
  ledger: RefLedger;
  mirror: Pick<BoardMirror, 'ledgerWrite'>;
  pulls: PullRequests;
  /** PR_DRAFT and PR_LABELS. */
  pullRequests: { draft: boolean; labels: string[] };
  notices?: Pick<BoardNotices, 'prOpened'>;
}

export async function deliverIssue(
  ctx: IssueDeliveryContext,
  claim: ActiveClaim,
  workspace: AttemptWorkspace,
  summary: string | null,
  signal: AbortSignal,
): Promise<DeliveryResult> {
  const ticket = ledgerTicketOf(claim);
  if (!ticket) return { kind: 'failed', error: 'no ledger ticket for this claim' };
  const fence = await ctx.mirror.ledgerWrite(() => ctx.ledger.fence(ticket, workspace.branch));
  if (!fence.ok) return { kind: 'fenced', reason: fence.reason };
  // Later writes (heartbeat verdicts, the release) quote the fence record, our newest commit.
  (claim as IssueClaim).ledger = fence.ticket;
  signal.throwIfAborted();
  const pushed = await workspace.push(signal);
  if (!pushed.ok) return { kind: 'failed', error: `push of ${workspace.branch} refused: ${pushed.reason}` };
  const body = renderPullBody({
    issue: ticket.issue,
    summary,
    attempt: claim.ticket.attempt,
    epoch: claim.ticket.epoch,
    owner: claim.ticket.ownerId,
  });
  const pr = await ctx.pulls.openOrUpdate(
    {
      branch: workspace.branch,
      base: workspace.baseBranch,
      title: claim.task.title,
      body,
      draft: ctx.pullRequests.draft,
      labels: ctx.pullRequests.labels,
    },
    signal,
  );
  // Told when opened: the release (and `done`) may come much later, or never (fenced).
  if (pr.created) ctx.notices?.prOpened(ticket.issue, ticket.ownerId, fence.ticket.epoch, pr.number);
  return { kind: 'delivered', work: { branch: workspace.branch, changed: true, pushedSha: pushed.sha, pr } };
}
