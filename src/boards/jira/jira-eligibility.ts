/**
 * Which synced Jira issues this daemon may claim now, which it waits for, and which are dead —
 * closed in Jira, steered away by the ignore label, done or poisoned in the ledger, for another
 * agent, or blocked by an issue nobody here will finish. The ledger core reads them
 * (task-eligibility.ts); this says what a Jira issue is to it.
 */
import type { LedgerView } from '../github/ledger/index.js';
import { assessTasks, type TaskEligibility } from '../ledger/index.js';
import type { JiraSnapshot } from './jira-issue.js';

export interface JiraEligibilityInput {
  issues: ReadonlyMap<number, JiraSnapshot>;
  ledger: LedgerView | null | undefined;
  agent: string | null;
  ignoreLabel: string;
  /** Claimed in this workstation's state by a live daemon (the local conflict check). */
  heldLocally: (id: number) => boolean;
  now: number;
  /** A ledger claim under our id that this process does not hold is an orphan of our earlier run. */
  self?: { ownerId: string; holds: (id: number) => boolean } | undefined;
}

export type JiraEligibility = TaskEligibility<JiraSnapshot>;

export function assessJiraIssues(input: JiraEligibilityInput): JiraEligibility {
  const { issues } = input;
  const ignore = input.ignoreLabel.toLowerCase();
  // A blocker's status as the link showed it is as old as the blocked issue's snapshot (Jira does
  // not touch an issue when its blocker moves): a blocker on the board is judged by its own.
  const done = (b: JiraSnapshot['blockedBy'][number]) => issues.get(b.id)?.closed ?? b.done;
  return assessTasks({
    ...input,
    tasks: issues,
    steeredOff: (issue) => {
      if (issue.closed) return `closed in Jira (${issue.status})`;
      if (issue.labels.some((l) => l.toLowerCase() === ignore)) return `labelled ${input.ignoreLabel}`;
      return null;
    },
    dependencies: (issue) => issue.blockedBy.map((b) => ({ id: b.id, state: done(b) ? 'done' : 'open' })),
    cycleReason: 'in a cycle of "blocks" links',
    // Waiting only on blockers off the board, ignored, closed undone or dead.
    stuck: (issue, open) => {
      const keys = issue.blockedBy.filter((b) => open.some((d) => d.id === b.id)).map((b) => b.key);
      return `blocked by ${keys.join(', ')}, which no daemon here will finish`;
    },
  });
}
