import { assessTasks, type Dependency, type TaskEligibility } from '../../ledger/index.js';
import type { LedgerView } from '../ledger/index.js';
import { type IssueSnapshot, isTrusted, type TrustPolicy } from './issue-snapshot.js';

/** Labels that keep automation off an issue (the human one and the daemon's final states). */
export const SKIP_LABELS = ['codex:ignore', 'codex:done', 'codex:verified', 'codex:failed'];

export interface EligibilityInput {
  issues: ReadonlyMap<number, IssueSnapshot>;
  ledger: LedgerView | undefined;
  agent: string | null;
  policy: TrustPolicy;
  /** Claimed in this workstation's state by a live daemon (the local conflict check). */
  heldLocally: (issue: number) => boolean;
  now: number;
  /**
   * This daemon's owner id, and whether this very process holds an issue: a ledger claim under
   * our id that this process does not hold is an orphan of an earlier run of ours (a crash and
   * restart) and is ours to take back at once.
   */
  self?: { ownerId: string; holds: (issue: number) => boolean };
  /**
   * Why an issue the ledger has never seen may not start (null: it may), e.g. its project card is
   * not in the Ready column (project/ready-gate.ts). Work the ledger knows is never gated.
   */
  startGate?: (issue: number) => string | null;
}

/** What this daemon makes of the open issues (the ledger core's reading: task-eligibility.ts). */
export type Eligibility = TaskEligibility<IssueSnapshot>;

const has = (issue: IssueSnapshot, label: string) => issue.labels.some((l) => l.toLowerCase() === label);

/**
 * Why an issue is kept off before the ledger is asked: untrusted, or steered away by a label.
 * The one place a GitHub-only eligibility predicate goes (return its reason, or null).
 */
function steeredOff(issue: IssueSnapshot, input: EligibilityInput): string | null {
  if (!isTrusted(issue, input.policy))
    return `untrusted author (${issue.authorAssociation}) and no task label`;
  const steered = SKIP_LABELS.find((l) => has(issue, l));
  if (steered) return `labelled ${steered}`;
  return null;
}

/**
 * Which open issues this daemon may claim now, which it waits for, and which are dead —
 * untrusted, steered away by a label, done or poisoned in the ledger, or behind a dependency
 * that can never be satisfied (closed as not planned, in a cycle).
 */
export function assessIssues(input: EligibilityInput): Eligibility {
  const { issues, policy } = input;
  const taskLabels = policy.taskLabels.map((l) => l.toLowerCase());
  const isTask = (i: IssueSnapshot) =>
    i.state === 'open' && (taskLabels.length === 0 || taskLabels.some((l) => has(i, l)));
  // An untrusted issue's text is not read as dependencies at all: a stranger's chain of
  // "depends on #N" neither blocks nor burdens anything.
  const dependencies = (issue: IssueSnapshot): Dependency[] =>
    (isTrusted(issue, policy) ? issue.deps : []).map((n) => {
      const dep = issues.get(n);
      if (dep?.state !== 'closed') return { id: n, state: 'open' };
      if (dep.stateReason === 'completed') return { id: n, state: 'done' };
      return {
        id: n,
        state: 'dead',
        dead: `depends on #${n}, closed as ${dep.stateReason ?? 'not completed'}`,
      };
    });
  return assessTasks({
    ...input,
    tasks: new Map([...issues].filter(([, i]) => isTask(i))),
    steeredOff: (issue) => steeredOff(issue, input),
    dependencies,
    cycleReason: 'in a dependency cycle',
  });
}
