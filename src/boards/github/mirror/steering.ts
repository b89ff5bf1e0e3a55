import type { Logger } from '../../../core/logger.js';
import type { SharedState } from '../../../state/shared-state.js';
import type { GitHubClient } from '../http/index.js';
import { GitHubNotFoundError } from '../http/index.js';
import type { IssueStore } from '../issues/index.js';
import { type IssueSnapshot, isTrusted, type TrustPolicy } from '../issues/index.js';
import type { RefLedger } from '../ledger/index.js';
import { LedgerBadRefError } from '../ledger/index.js';
import { IGNORE_LABEL, RETRY_LABEL } from './labels.js';
import type { Mirror } from './mirror.js';

export interface SteeringOptions {
  client: GitHubClient;
  owner: string;
  repo: string;
  ledger: RefLedger;
  state: SharedState;
  issues: IssueStore;
  logger: Logger;
  maxRetries: number;
  taskId: (issue: number) => string;
  /** Whose issues are tasks: a `codex:retry` counts only on those. */
  policy: TrustPolicy;
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
export class Steering {
  mirror: Mirror | null = null;
  private readonly writes = new Set<Promise<void>>();

  constructor(private readonly o: SteeringOptions) {}

  async apply(changed: readonly IssueSnapshot[]): Promise<void> {
    for (const issue of changed) {
      const id = this.o.taskId(issue.number);
      const local = this.o.state.get(id);
      if (hasLabel(issue, IGNORE_LABEL) && !local?.ignored) {
        this.o.state.setIgnored(id, `labelled ${IGNORE_LABEL}`, issue.author ?? 'a human');
      } else if (
        !hasLabel(issue, IGNORE_LABEL) &&
        local?.ignored &&
        local.ignoreReason === `labelled ${IGNORE_LABEL}`
      ) {
        this.o.state.clearIgnored(id, 'label removed');
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
    await this.retry(issue.number, `${RETRY_LABEL} label`, { includeDone: true });
  }

  /**
   * Re-enables an issue: a reset record in the ledger, the local retry budget, the labels.
   * Finished work (complete in the ledger) is re-run only with `includeDone` (the label: a
   * human's deliberate act on the issue); `codex-monitor retry` is for poisoned or failed work.
   */
  async retry(issue: number, actor: string, options: { includeDone?: boolean } = {}): Promise<RetryResult> {
    const { client, owner, repo, ledger, state, logger } = this.o;
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
      ['codex:retry', 'codex:failed', 'codex:done'].includes(l.toLowerCase()),
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

  /** Writes the poison record (in the background) and shows it: codex:failed and the comment. */
  poisoned(issue: number, ownerId: string, reason: string): void {
    const write = this.poison(issue, ownerId, reason)
      .catch((error) => this.o.logger.warn({ err: error, issue }, 'could not write the poison record'))
      .finally(() => this.writes.delete(write));
    this.writes.add(write);
  }

  /** Waits for background writes (before the mirror is flushed at shutdown). */
  async settle(): Promise<void> {
    await Promise.all([...this.writes]);
  }

  private async poison(issue: number, ownerId: string, reason: string): Promise<void> {
    const result = await this.o.ledger.poison(issue, ownerId, reason);
    if (!result.ok || result.sha === null) return;
    const tip = {
      issue,
      ownerId,
      attempt: '',
      epoch: result.epoch,
      sha: result.sha,
      retries: this.o.maxRetries,
    };
    this.mirror?.desire({
      issue,
      label: 'failed',
      comment: {
        owner: ownerId,
        status: 'failed',
        attempt: this.o.maxRetries,
        maxAttempts: this.o.maxRetries,
        since: new Date().toISOString(),
        epoch: result.epoch,
        outcome: 'poisoned',
        error: reason,
      },
      holds: () => this.o.ledger.stillHolds(tip),
    });
  }
}
