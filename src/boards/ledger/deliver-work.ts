/**
 * Delivering an attempt's work on a ledger board: fence, push, pull request — in that order, so
 * nothing leaves the machine unless the ledger has just proven the claim is still ours (see
 * DESIGN.md, "Workspaces and delivery"). The pull request is found by its branch and updated,
 * never opened twice (the opener's promise: github/pulls' PullRequests). Without an opener the
 * branch is pushed only. A fence refused after the push is the release's to undo.
 */
import type { ActiveClaim } from '../../daemon/board.js';
import type { AttemptWorkspace, DeliveryResult } from '../../daemon/workspace.js';
import type { LedgerTicket, RefLedger } from '../github/ledger/index.js';
import { ledgerTicketOf } from './ledger-claim.js';

/** What a pull request is opened or updated with (github/pulls' PullRequests takes it). */
export interface PullSpec {
  /** The head branch, in the repository the pull request is opened in (no forks). */
  branch: string;
  base: string;
  title: string;
  /** The body, e.g. from renderPullBody. */
  body: string;
  /** Open as a draft (only when creating: REST cannot change it afterwards). */
  draft?: boolean;
  /** Added through the issues labels endpoint (missing repository labels are created). */
  labels?: readonly string[];
}

/** The one open pull request of a branch, opened or updated (github/pulls' PullRequests). */
export interface PullOpener {
  openOrUpdate(
    spec: PullSpec,
    signal?: AbortSignal,
  ): Promise<{ number: number; url: string; created: boolean }>;
}

export interface WorkDeliveryContext {
  ledger: Pick<RefLedger, 'fence'>;
  /** Runs the fence (GitHub: holding its mirror back meanwhile); default: at once. */
  ledgerWrite?: <R>(write: () => Promise<R>) => Promise<R>;
  /** null: the branch is pushed, no pull request is opened. */
  pulls: PullOpener | null;
  /** PR_DRAFT and PR_LABELS. */
  pullRequests: { draft: boolean; labels: readonly string[] };
}

/** The pull request's title and body, written once the fence stands (its ticket names the epoch). */
export type PullText = (fenced: LedgerTicket) => { title: string; body: string };

export async function deliverWork(
  ctx: WorkDeliveryContext,
  claim: ActiveClaim,
  workspace: AttemptWorkspace,
  text: PullText,
  signal: AbortSignal,
  /** Told of a pull request this call opened (not of one it updated). */
  opened?: (pr: { number: number; url: string }, fenced: LedgerTicket) => void,
): Promise<DeliveryResult> {
  const ticket = ledgerTicketOf(claim);
  if (!ticket) return { kind: 'failed', error: 'no ledger ticket for this claim' };
  const fenceWrite = () => ctx.ledger.fence(ticket, workspace.branch);
  const fence = await (ctx.ledgerWrite ? ctx.ledgerWrite(fenceWrite) : fenceWrite());
  if (!fence.ok) return { kind: 'fenced', reason: fence.reason };
  // Later writes (heartbeat verdicts, the release) quote the fence record, our newest commit.
  (claim as ActiveClaim & { ledger: LedgerTicket }).ledger = fence.ticket;
  signal.throwIfAborted();
  const pushed = await workspace.push(signal);
  if (!pushed.ok) return { kind: 'failed', error: `push of ${workspace.branch} refused: ${pushed.reason}` };
  const work = { branch: workspace.branch, changed: true, pushedSha: pushed.sha };
  if (!ctx.pulls) return { kind: 'delivered', work: { ...work, pr: null } };
  const { title, body } = text(fence.ticket);
  const pr = await ctx.pulls.openOrUpdate(
    {
      branch: workspace.branch,
      base: workspace.baseBranch,
      title,
      body,
      draft: ctx.pullRequests.draft,
      labels: ctx.pullRequests.labels,
    },
    signal,
  );
  // Told when opened: the release (and `done`) may come much later, or never (fenced).
  if (pr.created) opened?.(pr, fence.ticket);
  return { kind: 'delivered', work: { ...work, pr } };
}
