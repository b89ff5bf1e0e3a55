import { InputError } from '../../../core/errors.js';
import type { Logger } from '../../../core/logger.js';
import type { BoardSteering, SteeringResult } from '../../../daemon/steering.js';
import type { SharedState } from '../../../state/shared-state.js';
import type { GitHubClient } from '../http/index.js';
import { GitHubNotFoundError } from '../http/index.js';
import type { IssueStore } from '../issues/index.js';
import { type IssueSnapshot, isTrusted, type TrustPolicy } from '../issues/index.js';
import type { RefLedger } from '../ledger/index.js';
import { LedgerBadRefError } from '../ledger/index.js';
import { IGNORE_LABEL, RETRY_LABEL } from './labels.js';
import type { Mirror } from './mirror.js';
import { type PoisonedAttempt, PoisonWriter } from './poison-writer.js';
import { codeSpan } from './state-comment/state-block.js';

export interface SteeringOptions {
  client: GitHubClient;
  owner: string;
  repo: string;
  ledger: RefLedger;
  store: SharedState;
  issues: IssueStore;
  logger: Logger;
  maxRetries: number;
  taskId: (issue: number) => string;
  /** Whose issues are tasks: a `codex:retry` counts only on those. */
  policy: TrustPolicy;
  /** Where the poison record is shown (labels and the state comment). */
  mirror: Mirror;
  /** This process wrote a poison record (its notification; observers never see this call). */
  onPoisoned?: (issue: number, ownerId: string, epoch: number, reason: string) => void;
}

/** Why a retry was refused; `detail` says what to do instead. */
export type RetryResult =
  | { ok: true }
  | { ok: false; reason: 'done' | 'held' | 'bad-ref' | 'lost-race'; detail: string };

const hasLabel = (issue: IssueSnapshot, label: string) => issue.labels.some((l) => l.toLowerCase() === label);

/**
 * What humans say with labels: `codex:retry` re-enables a poisoned issue (a reset record in
 * the ledger, then the label is taken off), `codex:ignore` keeps automation off (mirrored in
 * the local state, so the heartbeat stops a running attempt). Poison is written here too.
 */
export class Steering implements BoardSteering {
  private readonly poisons: PoisonWriter;

  constructor(private readonly o: SteeringOptions) {
    this.poisons = new PoisonWriter(o);
  }

  async apply(changed: readonly IssueSnapshot[]): Promise<void> {
    for (const issue of changed) {
      const id = this.o.taskId(issue.number);
      const local = this.o.store.get(id);
      if (hasLabel(issue, IGNORE_LABEL) && !local?.ignored) {
        this.o.store.setIgnored(id, `labelled ${IGNORE_LABEL}`, issue.author ?? 'a human');
      } else if (
        !hasLabel(issue, IGNORE_LABEL) &&
        local?.ignored &&
        local.ignoreReason === `labelled ${IGNORE_LABEL}`
      ) {
        this.o.store.clearIgnored(id, 'label removed');
      }
      if (hasLabel(issue, RETRY_LABEL)) await this.retryLabel(issue);
    }
  }

  /**
   * `codex:retry` re-enables an issue only when the issue is a task at all: on an untrusted
   * author's issue without a task label it is refused — said once per change of the issue, the
   * label left where it is for a maintainer to see.
   */
  private async retryLabel(issue: IssueSnapshot): Promise<void> {
    if (!isTrusted(issue, this.o.policy)) {
      this.o.logger.warn(
        { issue: issue.number, author: issue.author, association: issue.authorAssociation },
        `${RETRY_LABEL} on #${issue.number} refused: its author (${issue.authorAssociation}) is not trusted and ` +
          'it carries no task label; a maintainer can add a task label, then codex:retry again',
      );
      return;
    }
    await this.reset(issue.number, `${RETRY_LABEL} label`, { includeDone: true });
  }

  /**
   * Re-enables an issue: a reset record in the ledger, the local retry budget, the labels.
   * Finished work (complete in the ledger) is re-run only with `includeDone` (the label: a
   * human's deliberate act on the issue); `codex-monitor retry` is for poisoned or failed work.
   */
  async reset(issue: number, actor: string, options: { includeDone?: boolean } = {}): Promise<RetryResult> {
    const { client, owner, repo, ledger, store: state, logger } = this.o;
    if (!options.includeDone) {
      const chain = (ledger.lastView() ?? (await ledger.refresh())).tasks.get(issue);
      if (chain?.state === 'done') {
        const detail =
          `#${issue} is done (its last attempt completed, epoch ${chain.epoch}); retry re-enables poisoned or ` +
          'failed issues. To run finished work again on purpose, label the issue codex:retry.';
        return { ok: false, reason: 'done', detail };
      }
    }
    const reset = await ledger.reset(issue, actor).catch((error: unknown) => {
      // An unusable ledger ref (a tree, a blob...) refuses this issue only, never the cycle.
      if (error instanceof LedgerBadRefError)
        return { ok: false as const, reason: 'bad-ref' as const, detail: error.message };
      throw error;
    });
    if (!reset.ok) {
      logger.warn({ issue, detail: reset.detail }, `cannot reset #${issue}: ${reset.reason}`);
      return { ok: false, reason: reset.reason, detail: reset.detail };
    }
    state.reset(this.o.taskId(issue), { includeDone: true, actor });
    const labels = this.o.issues.labels.get(issue);
    const drop = labels.filter((l) =>
      ['codex:retry', 'codex:failed', 'codex:done', 'codex:verified'].includes(l.toLowerCase()),
    );
    for (const name of drop) {
      try {
        await client.rest.issues.removeLabel({ owner, repo, issue_number: issue, name });
      } catch (error) {
        if (!(error instanceof GitHubNotFoundError)) throw error;
      }
    }
    this.o.issues.labels.set(
      issue,
      labels.filter((l) => !drop.includes(l)),
    );
    logger.info({ issue, actor }, `#${issue} re-enabled with a fresh retry budget`);
    return { ok: true };
  }

  /** `codex-monitor retry`: a reset of a poisoned or failed issue (not a done one). */
  async retry(task: string): Promise<SteeringResult> {
    const { issue } = await this.requireIssue(task);
    const result = await this.reset(issue, 'codex-monitor retry');
    if (!result.ok) {
      throw new InputError(
        result.reason === 'held'
          ? `#${issue} is held by a live owner; retry it once that attempt ends.`
          : `Cannot retry #${issue}: ${result.detail}`,
      );
    }
    const message = `#${issue} is ready again with a fresh retry budget.`;
    return { task: this.o.taskId(issue), issue, action: 'retry', changed: true, message };
  }

  /** `codex-monitor ignore`: the label (what every daemon reads) and the local flag at once. */
  async ignore(task: string, reason: string): Promise<SteeringResult> {
    const { client, owner, repo } = this.o;
    const { issue, labels } = await this.requireIssue(task);
    const id = this.o.taskId(issue);
    const labelled = labels.some((l) => l.toLowerCase() === IGNORE_LABEL);
    await client.rest.issues.addLabels({ owner, repo, issue_number: issue, labels: [IGNORE_LABEL] });
    this.o.store.setIgnored(id, reason, 'cli');
    await this.explainIgnore(issue, reason);
    // Changed: the label, what every daemon of the fleet reads (the local flag only mirrors it).
    const message = `#${issue} is labelled ${IGNORE_LABEL}: ${reason}`;
    return { task: id, issue, action: 'ignore', changed: !labelled, message, reason };
  }

  /**
   * The label says that automation is off; the comment says why, for the humans on the issue
   * (the reason is the operator's text, shown in a code span: it cannot open a state block).
   */
  private async explainIgnore(issue: number, reason: string): Promise<void> {
    const { client, owner, repo } = this.o;
    const body =
      `**codex-monitor** · ignored · automation stays off this issue until the \`${IGNORE_LABEL}\` label is removed\n\n` +
      `- Reason: ${codeSpan(reason, 500)}`;
    await client.rest.issues.createComment({ owner, repo, issue_number: issue, body });
  }

  async unignore(task: string): Promise<SteeringResult> {
    const { client, owner, repo } = this.o;
    const { issue } = await this.requireIssue(task);
    let removed = true;
    try {
      await client.rest.issues.removeLabel({ owner, repo, issue_number: issue, name: IGNORE_LABEL });
    } catch (error) {
      if (!(error instanceof GitHubNotFoundError)) throw error;
      removed = false; // the label was not there
    }
    const id = this.o.taskId(issue);
    this.o.store.clearIgnored(id, 'cli');
    const message = `#${issue} is no longer labelled ${IGNORE_LABEL}.`;
    return { task: id, issue, action: 'unignore', changed: removed, message };
  }

  /** `12`, `#12` or `owner/repo#12`, naming an issue (not a pull request) that exists. */
  private async requireIssue(task: string): Promise<{ issue: number; labels: string[] }> {
    const { client, owner, repo } = this.o;
    const match = /^(?:[\w.-]+\/[\w.-]+)?#?(\d+)$/.exec(task.trim());
    if (!match) throw new InputError(`"${task}" is not an issue number (12, #12 or owner/repo#12).`);
    const issue = Number(match[1]);
    let data: { pull_request?: unknown; labels?: (string | { name?: string })[] };
    try {
      ({ data } = await client.rest.issues.get({ owner, repo, issue_number: issue }));
    } catch (error) {
      if (error instanceof GitHubNotFoundError) {
        throw new InputError(`No issue #${issue} in ${owner}/${repo}: check the number.`);
      }
      throw error;
    }
    if (data.pull_request)
      throw new InputError(`#${issue} in ${owner}/${repo} is a pull request, not an issue.`);
    const labels = (data.labels ?? []).map((l) => (typeof l === 'string' ? l : (l.name ?? '')));
    return { issue, labels };
  }

  /** Writes the poison record in the background and shows it (PoisonWriter). */
  poisoned(issue: number, ownerId: string, reason: string, last?: PoisonedAttempt): void {
    this.poisons.poisoned(issue, ownerId, reason, last);
  }

  /** Waits for background writes (before the mirror is flushed at shutdown). */
  async settle(): Promise<void> {
    await this.poisons.settle();
  }
}
