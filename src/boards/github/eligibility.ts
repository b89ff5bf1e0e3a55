import type { PendingWork } from '../../daemon/board.js';
import { findCycles } from './dependencies.js';
import { type IssueSnapshot, isTrusted, type TrustPolicy } from './issues.js';
import type { LedgerView } from './ledger-view.js';

/** Labels that keep automation off an issue (the human one and the daemon's final states). */
export const SKIP_LABELS = ['codex:ignore', 'codex:done', 'codex:failed'];

export interface EligibilityInput {
  issues: ReadonlyMap<number, IssueSnapshot>;
  ledger: LedgerView | undefined;
  agent: string | null;
  policy: TrustPolicy;
  /** Claimed in this workstation's state by a live daemon (the local conflict check). */
  heldLocally: (issue: number) => boolean;
  now: number;
}

export interface Eligibility {
  /** Claimable now, best first: priority, then age (lower number). */
  candidates: IssueSnapshot[];
  pending: PendingWork;
  /** Open tasks waiting on dependencies, with the issues they wait on. */
  blocked: { issue: number; waitingOn: number[] }[];
  /** Dependency cycles among open tasks: reported, never looped on. */
  cycles: number[][];
  /** Open issues that are not tasks for this daemon, and why (for status). */
  skipped: { issue: number; reason: string }[];
}

const has = (issue: IssueSnapshot, label: string) => issue.labels.some((l) => l.toLowerCase() === label);

/**
 * Which open issues this daemon may claim now, which it waits for, and which are dead —
 * untrusted, steered away by a label, done or poisoned in the ledger, or behind a dependency
 * that can never be satisfied (closed as not planned, in a cycle).
 */
export function assessIssues(input: EligibilityInput): Eligibility {
  const { issues, ledger, policy } = input;
  const taskLabels = policy.taskLabels.map((l) => l.toLowerCase());
  const tasks = [...issues.values()].filter(
    (i) => i.state === 'open' && (taskLabels.length === 0 || taskLabels.some((l) => has(i, l))),
  );
  const cycles = findCycles(new Map(tasks.map((t) => [t.number, t.deps])));
  const inCycle = new Set(cycles.flat());
  const result: Eligibility = {
    candidates: [],
    pending: { runnable: 0, held: 0, waiting: 0, nextWakeAt: null },
    blocked: [],
    cycles,
    skipped: [],
  };
  const wake = (at: number) => {
    if (result.pending.nextWakeAt === null || at < result.pending.nextWakeAt) result.pending.nextWakeAt = at;
  };

  for (const issue of tasks) {
    const skip = (reason: string) => result.skipped.push({ issue: issue.number, reason });
    if (!isTrusted(issue, policy)) {
      skip(`untrusted author (${issue.authorAssociation}) and no task label`);
      continue;
    }
    const steered = SKIP_LABELS.find((l) => has(issue, l));
    if (steered) {
      skip(`labelled ${steered}`);
      continue;
    }
    const chain = ledger?.tasks.get(issue.number);
    if (chain?.state === 'done' || chain?.state === 'poisoned') {
      skip(`${chain.state} in the ledger`);
      continue;
    }
    if (inCycle.has(issue.number)) {
      skip('in a dependency cycle');
      continue;
    }
    const deps = issue.deps.map((n) => ({ n, dep: issues.get(n) }));
    const dead = deps.find(({ dep }) => dep?.state === 'closed' && dep.stateReason !== 'completed');
    if (dead) {
      skip(`depends on #${dead.n}, closed as ${dead.dep!.stateReason ?? 'not completed'}`);
      continue;
    }
    if (input.agent !== null && issue.agent !== null && issue.agent !== input.agent) {
      skip(`for agent ${issue.agent}`);
      continue;
    }
    if (chain?.state === 'held' || input.heldLocally(issue.number)) {
      result.pending.held++;
      continue;
    }
    const waitingOn = deps.filter(({ dep }) => dep?.state !== 'closed').map(({ n }) => n);
    if (waitingOn.length > 0) {
      result.blocked.push({ issue: issue.number, waitingOn });
      result.pending.waiting++;
      continue;
    }
    if (chain?.state === 'backoff') {
      result.pending.waiting++;
      wake(input.now + (chain.waitMs ?? 0));
      continue;
    }
    result.pending.runnable++;
    result.candidates.push(issue);
  }
  result.candidates.sort((a, b) => b.priority - a.priority || a.number - b.number);
  return result;
}
