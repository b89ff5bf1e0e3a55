import { createHash } from 'node:crypto';
import { walkDepthFirst } from '../../../core/graph.js';
import type { PendingWork } from '../../../daemon/board.js';
import type { LedgerView } from '../ledger/index.js';
import { findCycles } from './dependencies.js';
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

export interface Eligibility {
  /** Claimable now, best first: priority, then age (lower number). */
  candidates: IssueSnapshot[];
  /** Candidates that recover lost work (a silent owner's, or our own earlier run's): claim these first. */
  recover: Set<number>;
  pending: PendingWork;
  /** Open tasks waiting on dependencies, with the issues they wait on. */
  blocked: { issue: number; waitingOn: number[] }[];
  /** Dependency cycles among open tasks: reported, never looped on. */
  cycles: number[][];
  /** Open issues that are not tasks for this daemon now, and why (for status). */
  skipped: { issue: number; reason: string }[];
  /** Every open task and what this daemon makes of it: runnable, held, waiting, or why not. */
  verdicts: Map<number, string>;
}

/**
 * `waiting`: on a backoff, or on a dependency some daemon may still finish; `human`: on a
 * dependency nobody here will finish (done but not yet closed, untrusted, ignored...), which
 * shows in status but keeps no `--until-idle` daemon alive.
 */
type Verdict = 'runnable' | 'held' | 'waiting' | 'human' | { skip: string };

const has = (issue: IssueSnapshot, label: string) => issue.labels.some((l) => l.toLowerCase() === label);

/**
 * Which open issues this daemon may claim now, which it waits for, and which are dead —
 * untrusted, steered away by a label, done or poisoned in the ledger, or behind a dependency
 * that can never be satisfied (closed as not planned, in a cycle).
 */
export function assessIssues(input: EligibilityInput): Eligibility {
  const { issues, ledger, policy } = input;
  const taskLabels = policy.taskLabels.map((l) => l.toLowerCase());
  const isTask = (i: IssueSnapshot | undefined): i is IssueSnapshot =>
    i !== undefined && i.state === 'open' && (taskLabels.length === 0 || taskLabels.some((l) => has(i, l)));
  const tasks = [...issues.values()].filter(isTask);
  // An untrusted issue's text is not read as dependencies at all: a stranger's chain of
  // "depends on #N" neither blocks nor burdens anything.
  const depsOf = (i: IssueSnapshot) => (isTrusted(i, policy) ? i.deps : []);
  const cycles = findCycles(new Map(tasks.map((t) => [t.number, depsOf(t)])));
  const inCycle = new Set(cycles.flat());
  const result: Eligibility = {
    candidates: [],
    recover: new Set(),
    pending: { runnable: 0, held: 0, waiting: 0, nextWakeAt: null },
    blocked: [],
    cycles,
    skipped: [],
    verdicts: new Map(),
  };
  const verdicts = new Map<number, Verdict>();

  // A dependency's verdict is decided before its dependents' (post-order on the shared
  // iterative walk: chains thousands deep must not overflow the stack). An issue still on the
  // walk's path when a dependent asks is in a cycle.
  const cycleGuard: Verdict = { skip: 'in a dependency cycle' };
  const judge = (issue: IssueSnapshot): Verdict => verdicts.get(issue.number) ?? cycleGuard;
  const openTaskDeps = (n: number): number[] => {
    const issue = issues.get(n);
    return issue ? depsOf(issue).filter((d) => isTask(issues.get(d))) : [];
  };
  const decide = (issue: IssueSnapshot): Verdict => {
    if (!isTrusted(issue, policy))
      return { skip: `untrusted author (${issue.authorAssociation}) and no task label` };
    const steered = SKIP_LABELS.find((l) => has(issue, l));
    if (steered) return { skip: `labelled ${steered}` };
    const chain = ledger?.tasks.get(issue.number);
    if (chain?.state === 'done' || chain?.state === 'poisoned')
      return { skip: `${chain.state} in the ledger` };
    if (chain?.state === 'bad') return { skip: chain.detail };
    if (inCycle.has(issue.number)) return { skip: 'in a dependency cycle' };
    const gated = chain === undefined ? input.startGate?.(issue.number) : null;
    if (gated) return { skip: gated };
    const deps = depsOf(issue).map((n) => ({ n, dep: issues.get(n) }));
    const dead = deps.find(({ dep }) => dep?.state === 'closed' && dep.stateReason !== 'completed');
    if (dead) return { skip: `depends on #${dead.n}, closed as ${dead.dep!.stateReason ?? 'not completed'}` };
    if (input.agent !== null && issue.agent !== null && issue.agent !== input.agent) {
      return { skip: `for agent ${issue.agent}` };
    }
    const orphan =
      chain?.state === 'held' &&
      input.self &&
      chain.holder === input.self.ownerId &&
      !input.self.holds(issue.number);
    if (chain?.state === 'stale' || orphan) result.recover.add(issue.number);
    else if (chain?.state === 'held' || input.heldLocally(issue.number)) return 'held';
    const open = deps.filter(({ dep }) => dep?.state !== 'closed');
    if (open.length > 0) {
      result.blocked.push({ issue: issue.number, waitingOn: open.map(({ n }) => n) });
      const progressing = open.some(
        ({ dep }) => isTask(dep) && typeof judge(dep) === 'string' && judge(dep) !== 'human',
      );
      return progressing ? 'waiting' : 'human';
    }
    if (chain?.state === 'backoff') {
      const at = input.now + (chain.waitMs ?? 0);
      if (result.pending.nextWakeAt === null || at < result.pending.nextWakeAt)
        result.pending.nextWakeAt = at;
      return 'waiting';
    }
    return 'runnable';
  };

  walkDepthFirst(
    tasks.map((t) => t.number),
    openTaskDeps,
    { leave: (n) => verdicts.set(n, decide(issues.get(n)!)) },
  );
  for (const issue of tasks) {
    const verdict = judge(issue);
    result.verdicts.set(issue.number, typeof verdict === 'string' ? verdict : verdict.skip);
    if (typeof verdict !== 'string') result.skipped.push({ issue: issue.number, reason: verdict.skip });
    else if (verdict === 'runnable') result.candidates.push(issue);
    else if (verdict !== 'human') result.pending[verdict]++;
  }
  result.pending.runnable = result.candidates.length;
  result.blocked.sort((a, b) => a.issue - b.issue);
  result.candidates.sort((a, b) => b.priority - a.priority || a.number - b.number);
  return result;
}

/**
 * Candidates in priority-then-age order, except that the first few of the top priority are
 * rotated by a hash of the owner id: a fleet that all went for the oldest issue first would
 * lose nearly every compare-and-swap to each other (each loss is a wasted commit write).
 */
export function spreadOut<T extends { priority: number }>(
  candidates: readonly T[],
  ownerId: string,
  window = 24,
): T[] {
  const top = candidates.filter((c) => c.priority === candidates[0]?.priority).slice(0, window);
  if (top.length < 2) return [...candidates];
  // A real hash: owner ids differ in one character, and neighbours must not pick neighbours.
  const shift = createHash('sha256').update(ownerId).digest().readUInt32BE(0) % top.length;
  return [...top.slice(shift), ...top.slice(0, shift), ...candidates.slice(top.length)];
}
