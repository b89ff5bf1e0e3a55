/**
 * Which tasks of a ledger board a daemon may claim now, which it waits for, and which are dead,
 * over a board-neutral view: the board says what a task is, why it keeps automation off one, and
 * what each task waits on; the ledger's chains, the local gate and the dependency graph are read
 * here the same way for every board whose authority is the git ledger (GitHub issues, Jira).
 */
import { stronglyConnected, walkDepthFirst } from '../../core/graph.js';
import type { PendingWork } from '../../daemon/board.js';
import type { LedgerView } from '../github/ledger/index.js';

/**
 * What eligibility needs of a task besides its ledger chain number (the key it is listed under:
 * a GitHub issue number, a Jira numeric id; also the tie-break between equal priorities).
 */
export interface LedgerTask {
  priority: number;
  /** The capability it asks for (null: any agent). */
  agent: string | null;
}

/** Something a task waits on: open, done, or dead (it can never be done: `dead` says why). */
export interface Dependency {
  id: number;
  state: 'open' | 'done' | 'dead';
  /** For `dead`: the skip reason of the task that waits on it. */
  dead?: string;
}

export interface TaskEligibilityInput<T extends LedgerTask> {
  /** The board's tasks by chain number, in the order verdicts are listed. */
  tasks: ReadonlyMap<number, T>;
  /**
   * Why the board keeps automation off a task before the ledger is asked (closed, untrusted,
   * steered away by a label, or a board's extra eligibility predicate), or null.
   */
  steeredOff: (task: T) => string | null;
  /** What a task waits on. A dependency that is not among `tasks` is never finished here. */
  dependencies: (task: T) => readonly Dependency[];
  /** The skip reason of a task in a dependency cycle. */
  cycleReason: string;
  /**
   * A task waiting only on dependencies no daemon here will finish: by default it shows as
   * waiting on a person (verdict `human`, counted nowhere); a board may skip it with a reason.
   */
  stuck?: (task: T, open: readonly Dependency[]) => string;
  ledger: LedgerView | null | undefined;
  agent: string | null;
  /** Claimed in this workstation's state by a live daemon (the local conflict check). */
  heldLocally: (id: number) => boolean;
  now: number;
  /**
   * This daemon's owner id, and whether this very process holds a task: a ledger claim under
   * our id that this process does not hold is an orphan of an earlier run of ours (a crash and
   * restart) and is ours to take back at once.
   */
  self?: { ownerId: string; holds: (id: number) => boolean } | undefined;
  /**
   * Why a task the ledger has never seen may not start (null: it may), e.g. its GitHub project
   * card is not in the Ready column. Work the ledger knows (claimed, retried, stale) is never
   * gated: it is finished or recovered wherever the board shows it.
   */
  startGate?: ((id: number) => string | null) | undefined;
}

export interface TaskEligibility<T extends LedgerTask> {
  /** Claimable now, best first: priority, then age (lower number). */
  candidates: T[];
  /** Candidates that recover lost work (a silent owner's, or our own earlier run's): claim these first. */
  recover: Set<number>;
  pending: PendingWork;
  /** Tasks waiting on open dependencies, with what they wait on. */
  blocked: { issue: number; waitingOn: number[] }[];
  /** Dependency cycles among the tasks: reported, never looped on. */
  cycles: number[][];
  /** Tasks that are not for this daemon now, and why (for status). */
  skipped: { issue: number; reason: string }[];
  /** Every task and what this daemon makes of it: runnable, held, waiting, human, or why not. */
  verdicts: Map<number, string>;
}

/**
 * `waiting`: on a backoff, or on a dependency some daemon may still finish; `human`: on a
 * dependency nobody here will finish, which shows in status but keeps no `--until-idle` daemon alive.
 */
type Verdict = 'runnable' | 'held' | 'waiting' | 'human' | { skip: string };

export function assessTasks<T extends LedgerTask>(input: TaskEligibilityInput<T>): TaskEligibility<T> {
  const { tasks, ledger } = input;
  // Open dependencies on the board: the edges verdicts are decided along, and cycles found on.
  const edges = (id: number): number[] => {
    const task = tasks.get(id);
    if (!task) return [];
    return input
      .dependencies(task)
      .filter((d) => d.state === 'open' && tasks.has(d.id))
      .map((d) => d.id);
  };
  const cycles = cyclesOf(tasks.keys(), edges);
  const inCycle = new Set(cycles.flat());
  const result: TaskEligibility<T> = {
    candidates: [],
    recover: new Set(),
    pending: { runnable: 0, held: 0, waiting: 0, nextWakeAt: null },
    blocked: [],
    cycles,
    skipped: [],
    verdicts: new Map(),
  };
  // A dependency's verdict is decided before its dependents' (post-order on the shared iterative
  // walk: chains thousands deep must not overflow the stack). One not decided yet when a
  // dependent asks is on the walk's path: in a cycle.
  const verdicts = new Map<number, Verdict>();
  const decide = (id: number, task: T): Verdict => {
    const steered = input.steeredOff(task);
    if (steered !== null) return { skip: steered };
    const chain = ledger?.tasks.get(id);
    if (chain?.state === 'done' || chain?.state === 'poisoned')
      return { skip: `${chain.state} in the ledger` };
    if (chain?.state === 'bad') return { skip: chain.detail };
    if (inCycle.has(id)) return { skip: input.cycleReason };
    const gated = chain === undefined ? input.startGate?.(id) : null;
    if (gated) return { skip: gated };
    const deps = input.dependencies(task);
    const dead = deps.find((d) => d.state === 'dead');
    if (dead) return { skip: dead.dead ?? `waits on ${dead.id}, which can never be done` };
    if (input.agent !== null && task.agent !== null && task.agent !== input.agent) {
      return { skip: `for agent ${task.agent}` };
    }
    const self = input.self;
    const orphan = chain?.state === 'held' && self && chain.holder === self.ownerId && !self.holds(id);
    if (chain?.state === 'stale' || orphan) result.recover.add(id);
    else if (chain?.state === 'held' || input.heldLocally(id)) return 'held';
    const open = deps.filter((d) => d.state === 'open');
    if (open.length > 0) {
      result.blocked.push({ issue: id, waitingOn: open.map((d) => d.id) });
      const progressing = open.some((d) => {
        const v = verdicts.get(d.id);
        return typeof v === 'string' && v !== 'human';
      });
      if (progressing) return 'waiting';
      return input.stuck ? { skip: input.stuck(task, open) } : 'human';
    }
    if (chain?.state === 'backoff') {
      const at = input.now + (chain.waitMs ?? 0);
      if (result.pending.nextWakeAt === null || at < result.pending.nextWakeAt)
        result.pending.nextWakeAt = at;
      return 'waiting';
    }
    return 'runnable';
  };
  walkDepthFirst(tasks.keys(), edges, { leave: (id) => verdicts.set(id, decide(id, tasks.get(id)!)) });
  const runnable: [number, T][] = [];
  for (const [id, task] of tasks) {
    const verdict = verdicts.get(id)!;
    result.verdicts.set(id, typeof verdict === 'string' ? verdict : verdict.skip);
    if (typeof verdict !== 'string') result.skipped.push({ issue: id, reason: verdict.skip });
    else if (verdict === 'runnable') runnable.push([id, task]);
    else if (verdict !== 'human') result.pending[verdict]++;
  }
  runnable.sort(([a, x], [b, y]) => y.priority - x.priority || a - b);
  result.candidates = runnable.map(([, task]) => task);
  result.pending.runnable = result.candidates.length;
  result.blocked.sort((a, b) => a.issue - b.issue);
  return result;
}

/**
 * Dependency cycles, each reported once: every strongly connected set of tasks (and any task that
 * depends on itself). A simple cycle is listed in dependency order starting at its smallest
 * number (`[1, 2, 3]` for 1 → 2 → 3 → 1); a tangle of several cycles is listed as its members,
 * ascending. Cycles are ordered by their first number.
 */
export function cyclesOf(nodes: Iterable<number>, next: (n: number) => readonly number[]): number[][] {
  const cycles: number[][] = [];
  for (const component of stronglyConnected(nodes, next)) {
    const members = new Set(component);
    if (component.length === 1 && !next(component[0]!).includes(component[0]!)) continue;
    const inside = (n: number) => [...new Set(next(n))].filter((w) => members.has(w));
    const start = Math.min(...component);
    if (!component.every((n) => inside(n).length === 1)) {
      cycles.push([...component].sort((a, b) => a - b));
      continue;
    }
    const order = [start];
    for (let n = inside(start)[0]!; n !== start; n = inside(n)[0]!) order.push(n);
    cycles.push(order);
  }
  return cycles.sort((a, b) => a[0]! - b[0]!);
}
