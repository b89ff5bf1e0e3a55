/**
 * Which synced Jira issues this daemon may claim now, which it waits for, and which are dead —
 * closed in Jira, steered away by the ignore label, done or poisoned in the ledger, for another
 * agent, or blocked by an issue nobody here will finish. One reading for claims and `pending`.
 */
import { stronglyConnected, walkDepthFirst } from '../../core/graph.js';
import type { PendingWork } from '../../daemon/board.js';
import type { LedgerView } from '../github/ledger/index.js';
import type { JiraSnapshot } from './jira-issue.js';

export interface JiraEligibilityInput {
  issues: ReadonlyMap<number, JiraSnapshot>;
  ledger: LedgerView | undefined;
  agent: string | null;
  ignoreLabel: string;
  /** Claimed in this workstation's state by a live daemon (the local conflict check). */
  heldLocally: (id: number) => boolean;
  now: number;
  /** A ledger claim under our id that this process does not hold is an orphan of our earlier run. */
  self?: { ownerId: string; holds: (id: number) => boolean };
}

export interface JiraEligibility {
  /** Claimable now, best first: priority, then age (lower id). */
  candidates: JiraSnapshot[];
  /** Candidates that recover lost work: claimed first, and the only ones a recovery slot takes. */
  recover: Set<number>;
  pending: PendingWork;
  verdicts: Map<number, string>;
}

type Verdict = 'runnable' | 'held' | 'waiting' | { skip: string };

export function assessJiraIssues(input: JiraEligibilityInput): JiraEligibility {
  const { issues, ledger } = input;
  const ignore = input.ignoreLabel.toLowerCase();
  const ignored = (i: JiraSnapshot) => i.labels.some((l) => l.toLowerCase() === ignore);
  const result: JiraEligibility = {
    candidates: [],
    recover: new Set(),
    pending: { runnable: 0, held: 0, waiting: 0, nextWakeAt: null },
    verdicts: new Map(),
  };
  // A blocker's status as the link showed it is as old as the blocked issue's snapshot (Jira does
  // not touch an issue when its blocker moves): a blocker on the board is judged by its own.
  const done = (b: JiraSnapshot['blockedBy'][number]) => issues.get(b.id)?.closed ?? b.done;
  // Blockers on the board that are not done yet: the edges verdicts are decided along.
  const openBlockers = (id: number) =>
    (issues.get(id)?.blockedBy ?? []).filter((b) => !done(b) && issues.has(b.id)).map((b) => b.id);
  const inCycle = new Set<number>();
  for (const component of stronglyConnected(issues.keys(), openBlockers)) {
    const [first] = component;
    if (component.length > 1 || openBlockers(first!).includes(first!))
      for (const id of component) inCycle.add(id);
  }
  const verdicts = new Map<number, Verdict>();
  const decide = (issue: JiraSnapshot): Verdict => {
    if (issue.closed) return { skip: `closed in Jira (${issue.status})` };
    if (ignored(issue)) return { skip: `labelled ${input.ignoreLabel}` };
    const chain = ledger?.tasks.get(issue.id);
    if (chain?.state === 'done' || chain?.state === 'poisoned')
      return { skip: `${chain.state} in the ledger` };
    if (chain?.state === 'bad') return { skip: chain.detail };
    if (inCycle.has(issue.id)) return { skip: 'in a cycle of "blocks" links' };
    if (input.agent !== null && issue.agent !== null && issue.agent !== input.agent) {
      return { skip: `for agent ${issue.agent}` };
    }
    const orphan =
      chain?.state === 'held' &&
      input.self &&
      chain.holder === input.self.ownerId &&
      !input.self.holds(issue.id);
    if (chain?.state === 'stale' || orphan) result.recover.add(issue.id);
    else if (chain?.state === 'held' || input.heldLocally(issue.id)) return 'held';
    const open = issue.blockedBy.filter((b) => !done(b));
    if (open.length > 0) {
      // Waiting only on a blocker some daemon may still finish (decided first: post-order);
      // one off the board, ignored, closed undone or dead makes it a human's wait.
      const progressing = open.some((b) => {
        const v = verdicts.get(b.id);
        return v !== undefined && typeof v === 'string';
      });
      const keys = open.map((b) => b.key).join(', ');
      return progressing ? 'waiting' : { skip: `blocked by ${keys}, which no daemon here will finish` };
    }
    if (chain?.state === 'backoff') {
      const at = input.now + (chain.waitMs ?? 0);
      if (result.pending.nextWakeAt === null || at < result.pending.nextWakeAt)
        result.pending.nextWakeAt = at;
      return 'waiting';
    }
    return 'runnable';
  };
  walkDepthFirst(issues.keys(), openBlockers, { leave: (id) => verdicts.set(id, decide(issues.get(id)!)) });
  for (const issue of issues.values()) {
    const verdict = verdicts.get(issue.id)!;
    result.verdicts.set(issue.id, typeof verdict === 'string' ? verdict : verdict.skip);
    if (verdict === 'runnable') result.candidates.push(issue);
    else if (typeof verdict === 'string') result.pending[verdict]++;
  }
  result.pending.runnable = result.candidates.length;
  result.candidates.sort((a, b) => b.priority - a.priority || a.id - b.id);
  return result;
}
