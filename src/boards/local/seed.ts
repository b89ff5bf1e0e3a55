import { InputError } from '../../core/errors.js';
import type { SharedState } from '../../state/shared-state.js';
import type { TaskView } from '../../state/tasks/task-rows.js';
import { findCycles, formatCycle } from './cycles.js';
import { DagError, type DagTask, taskLabel, validateTasks } from './dag.js';

export interface SeedOptions {
  /** Wall-clock ms from the state's clock (SharedState does not expose its clock). */
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
export function seedTasks(state: SharedState, tasks: readonly DagTask[], options: SeedOptions): SeedReport {
  return state.transaction(() => seedInto(state, state.list(), tasks, options));
}

/**
 * Adds one task (`codex-monitor tasks add`): the same rules as a DAG entry, its deps must be on
 * the board, and its id must not be. `input` has the shape of a DAG entry.
 */
export function addTask(
  state: SharedState,
  input: unknown,
  options: SeedOptions,
): { task: DagTask; warnings: string[] } {
  return state.transaction(() => {
    const board = state.list();
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
    seedInto(state, board, tasks, options);
    return { task, warnings };
  });
}

function seedInto(
  state: SharedState,
  board: readonly TaskView[],
  tasks: readonly DagTask[],
  options: SeedOptions,
): SeedReport {
  const report = plan(board, tasks);
  const byId = new Map(tasks.map((t) => [t.id, t]));
  const { db } = state;
  const insert = db.prepare(
    `INSERT INTO tasks (id, source, title, agent, priority, payload, state, created_at, updated_at)
     VALUES (@id, 'local', @title, @agent, @priority, @payload, 'ready', @now, @now)`,
  );
  // Only the definition: the claim, lease and retry columns belong to whoever holds the task.
  const update = db.prepare(
    `UPDATE tasks SET title = @title, agent = @agent, priority = @priority, payload = @payload,
       updated_at = @now WHERE id = @id AND state != 'done'`,
  );
  const clearDeps = db.prepare('DELETE FROM task_deps WHERE task_id = ?');
  const addDep = db.prepare('INSERT INTO task_deps (task_id, dep_id) VALUES (?, ?)');
  const write = (ids: string[], statement: typeof insert) => {
    for (const id of ids) {
      const t = byId.get(id)!;
      const row = { id, title: t.title, agent: t.agent, priority: t.priority, now: options.now };
      statement.run({ ...row, payload: JSON.stringify(t.payload) });
      clearDeps.run(id);
      for (const dep of t.deps) addDep.run(id, dep);
    }
  };
  // `added` is in file order and inserted in it: rowid is the scheduler's last tiebreak.
  write(report.added, insert);
  write(report.updated, update);
  const counts = Object.fromEntries(Object.entries(report).map(([key, ids]) => [key, ids.length]));
  state.events.append({ type: 'seeded', data: { ...counts, source: options.source ?? null } });
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
    canonical(existing.payload) === canonical(task.payload) &&
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
