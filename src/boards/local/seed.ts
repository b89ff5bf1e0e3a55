import { InputError } from '../../core/errors.js';
import type { SharedState } from '../../state/shared-state.js';
import type { TaskView } from '../../state/tasks/task-rows.js';
import { findCycles, formatCycle } from './cycles.js';
import { DagError, type DagTask, taskLabel, validateTasks } from './dag.js';
import { storedPayload } from './task-workspace.js';

export interface SeedOptions {
  /** Wall-clock ms stamped on the rows written (the store does not expose its clock). */
  now: number;
  /** Where the tasks came from (a file name, `tasks add`), for the `seeded` event. */
  source?: string;
}

export interface SeedReport {
  added: string[];
  updated: string[];
  unchanged: string[];
  /** Done on the board: never redefined, so finished work is never rerun or rewritten. */
  finishedLeftAlone: string[];
  /** Local tasks on the board that the file does not mention: kept as they are. */
  notInFile: string[];
}

/**
 * Writes validated DAG tasks to the local board in one transaction: new tasks are inserted
 * ready (in file order, which breaks priority ties), changed definitions of unfinished tasks
 * are updated without touching their claim, done tasks and tasks missing from the file are
 * left alone. The resulting whole graph is checked first; on any problem nothing is written.
 */
export function seedTasks(store: SharedState, tasks: readonly DagTask[], options: SeedOptions): SeedReport {
  return store.transaction(() => seedInto(store, store.list(), tasks, options));
}

/**
 * Adds one task (`codex-monitor tasks add`): the same rules as a DAG entry, its deps must be on
 * the board, and its id must not be. `input` has the shape of a DAG entry.
 */
export function addTask(
  store: SharedState,
  input: unknown,
  options: SeedOptions,
): { task: DagTask; warnings: string[] } {
  return store.transaction(() => {
    const board = store.list();
    const local = new Set(board.filter((t) => t.source === 'local').map((t) => t.id));
    const { tasks, warnings } = validateTasks([input], { knownIds: local });
    const task = tasks[0]!;
    const existing = board.find((t) => t.id === task.id);
    if (existing) {
      throw new InputError(
        `task ${JSON.stringify(task.id)} already exists on the board (${existing.state}); ` +
          'choose another id, or change its definition in the DAG file and seed again',
      );
    }
    seedInto(store, board, tasks, options);
    return { task, warnings };
  });
}

function seedInto(
  store: SharedState,
  board: readonly TaskView[],
  tasks: readonly DagTask[],
  options: SeedOptions,
): SeedReport {
  const report = plan(board, tasks);
  const byId = new Map(tasks.map((t) => [t.id, t]));
  const defs = (ids: string[]) =>
    ids.map((id) => {
      const task = byId.get(id)!;
      return { ...task, payload: storedPayload(task) };
    });
  store.writeDefinitions({ added: defs(report.added), updated: defs(report.updated) }, options.now);
  const counts = Object.fromEntries(Object.entries(report).map(([key, ids]) => [key, ids.length]));
  store.events.append({ type: 'seeded', data: { ...counts, source: options.source ?? null } });
  return report;
}

/** Decides what each task becomes, and refuses (throwing, before any write) a broken result. */
function plan(board: readonly TaskView[], tasks: readonly DagTask[]): SeedReport {
  const report: SeedReport = { added: [], updated: [], unchanged: [], finishedLeftAlone: [], notInFile: [] };
  const onBoard = new Map(board.map((t) => [t.id, t]));
  const inFile = new Set<string>();
  const problems: string[] = [];
  tasks.forEach((task, index) => {
    const label = taskLabel(task.id, index);
    if (inFile.has(task.id)) problems.push(`${label}: listed twice`);
    inFile.add(task.id);
    const existing = onBoard.get(task.id);
    if (!existing) report.added.push(task.id);
    else if (existing.source !== 'local') {
      problems.push(`${label}: the id is taken by a task from ${existing.source}; choose another id`);
    } else if (existing.state === 'done') report.finishedLeftAlone.push(task.id);
    else if (sameDefinition(existing, task)) report.unchanged.push(task.id);
    else report.updated.push(task.id);
  });
  for (const t of board) if (t.source === 'local' && !inFile.has(t.id)) report.notInFile.push(t.id);

  // The graph as it will be: the file's deps, except where the board keeps its own (done tasks).
  const kept = new Set(report.finishedLeftAlone);
  const graph = new Map<string, string[]>();
  for (const task of tasks) graph.set(task.id, kept.has(task.id) ? onBoard.get(task.id)!.deps : task.deps);
  for (const t of board) if (t.source === 'local' && !graph.has(t.id)) graph.set(t.id, t.deps);
  tasks.forEach((task, index) => {
    if (kept.has(task.id)) return;
    task.deps.forEach((dep, i) => {
      if (!graph.has(dep))
        problems.push(`${taskLabel(task.id, index)} field "deps[${i}]": unknown task "${dep}"`);
    });
  });
  for (const cycle of findCycles(graph)) {
    const where = `task ${JSON.stringify(cycle.taskId)} field "deps[${cycle.depIndex}]"`;
    problems.push(`${where}: dependency cycle ${formatCycle(cycle.members)}`);
  }
  if (problems.length > 0) throw new DagError('Cannot seed the board', problems);
  return report;
}

function sameDefinition(existing: TaskView, task: DagTask): boolean {
  return (
    existing.title === task.title &&
    existing.agent === task.agent &&
    existing.priority === task.priority &&
    canonical(existing.payload) === canonical(storedPayload(task)) &&
    canonical([...existing.deps].sort()) === canonical([...task.deps].sort())
  );
}

/** JSON with sorted keys: a payload read back from the board compares equal to the file's. */
function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : 1)))
      : v,
  );
}
