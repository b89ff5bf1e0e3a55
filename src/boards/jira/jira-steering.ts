/**
 * Human steering on Jira: the ignore label keeps automation off an issue (a running attempt stops
 * at its next heartbeat), the retry label resets its ledger chain with a fresh retry budget and is
 * then removed. `codex-monitor retry|ignore|unignore <KEY>` write the same labels and reset.
 */
import { InputError } from '../../core/errors.js';
import type { Logger } from '../../core/logger.js';
import type { BoardSteering, SteeringResult } from '../../daemon/steering.js';
import type { SharedState } from '../../state/shared-state.js';
import type { RefLedger } from '../github/ledger/index.js';
import type { JiraApi } from './jira-api.js';
import type { JiraSnapshot } from './jira-issue.js';

export interface JiraLabels {
  ignore: string;
  retry: string;
}

export interface JiraSteeringOptions {
  api: JiraApi;
  ledger: Pick<RefLedger, 'reset'>;
  store: SharedState;
  logger: Logger;
  labels: JiraLabels;
  issues: Map<number, JiraSnapshot>;
  taskId: (key: string) => string;
  /** Who a reset names (this daemon's owner id). */
  actor: string;
  /** An issue not synced (a one-shot CLI command): read from Jira by key; null when Jira has none. */
  lookup?: (key: string) => Promise<JiraSnapshot | null>;
}

const has = (issue: JiraSnapshot, label: string) =>
  issue.labels.some((l) => l.toLowerCase() === label.toLowerCase());

export class JiraSteering implements BoardSteering {
  constructor(private readonly o: JiraSteeringOptions) {}

  /** A key (`OPS-12`, any case), a task id (`jira:OPS-12`) or a numeric issue id. */
  private async find(ref: string): Promise<JiraSnapshot> {
    const want = ref
      .trim()
      .replace(/^jira:/i, '')
      .toUpperCase();
    for (const issue of this.o.issues.values())
      if (issue.key === want || String(issue.id) === want) return issue;
    const looked = /^[A-Z][A-Z0-9_]*-\d+$|^\d+$/.test(want) ? await this.o.lookup?.(want) : null;
    if (looked) {
      this.o.issues.set(looked.id, looked);
      return looked;
    }
    throw new InputError(
      `no Jira issue ${JSON.stringify(ref)}: name it by its key (e.g. OPS-12), one that JIRA_JQL selects.`,
    );
  }

  async retry(ref: string): Promise<SteeringResult> {
    const issue = await this.find(ref);
    const changed = await this.reset(issue);
    if (has(issue, this.o.labels.retry)) await this.label(issue, { remove: [this.o.labels.retry] });
    const task = this.o.taskId(issue.key);
    const message = changed
      ? `${issue.key} may be claimed again, with a fresh retry budget`
      : `${issue.key} needed no retry`;
    return { task, action: 'retry', changed, message };
  }

  async ignore(ref: string, reason: string): Promise<SteeringResult> {
    const issue = await this.find(ref);
    const changed = !has(issue, this.o.labels.ignore);
    if (changed) await this.label(issue, { add: [this.o.labels.ignore] });
    const task = this.o.taskId(issue.key);
    if (this.o.store.get(task)) this.o.store.setIgnored(task, reason, 'cli');
    const message = `${issue.key} is ignored (${this.o.labels.ignore}): ${reason}`;
    return { task, action: 'ignore', changed, reason, message };
  }

  async unignore(ref: string): Promise<SteeringResult> {
    const issue = await this.find(ref);
    const changed = has(issue, this.o.labels.ignore);
    if (changed) await this.label(issue, { remove: [this.o.labels.ignore] });
    const task = this.o.taskId(issue.key);
    if (this.o.store.get(task)) this.o.store.clearIgnored(task, 'cli');
    return { task, action: 'unignore', changed, message: `${issue.key} may be worked again` };
  }

  /**
   * Synced labels: the ignore label is the truth on Jira (the CLI writes it too), mirrored into
   * the local gate; the retry label resets the chain once and is taken off.
   */
  async apply(changed: readonly JiraSnapshot[]): Promise<void> {
    for (const issue of changed) {
      const task = this.o.taskId(issue.key);
      const local = this.o.store.get(task);
      if (local && has(issue, this.o.labels.ignore) && !local.ignored) {
        this.o.store.setIgnored(task, `labelled ${this.o.labels.ignore}`, 'jira');
      } else if (local?.ignored && !has(issue, this.o.labels.ignore)) {
        this.o.store.clearIgnored(task, 'label removed');
      }
      if (!has(issue, this.o.labels.retry)) continue;
      try {
        await this.retry(issue.key);
      } catch (error) {
        this.o.logger.warn(
          { err: error, issue: issue.key },
          `${this.o.labels.retry} on ${issue.key} not applied`,
        );
      }
    }
  }

  private async reset(issue: JiraSnapshot): Promise<boolean> {
    for (let attempt = 0; attempt < 3; attempt++) {
      const result = await this.o.ledger.reset(issue.id, this.o.actor);
      if (result.ok) {
        this.o.store.reset(this.o.taskId(issue.key), { includeDone: true, actor: this.o.actor });
        return result.changed;
      }
      if (result.reason === 'held') {
        throw new InputError(
          `${issue.key} is held by a live owner (${result.detail}): ignore it first, or wait for its attempt to end.`,
        );
      }
    }
    throw new InputError(`${issue.key}: the ledger chain kept moving during the retry; try again.`);
  }

  private async label(issue: JiraSnapshot, change: { add?: string[]; remove?: string[] }): Promise<void> {
    await this.o.api.editLabels(issue.key, change);
    const drop = new Set((change.remove ?? []).map((l) => l.toLowerCase()));
    const labels = issue.labels.filter((l) => !drop.has(l.toLowerCase()));
    for (const l of change.add ?? []) if (!labels.includes(l)) labels.push(l);
    this.o.issues.set(issue.id, { ...issue, labels });
  }
}
