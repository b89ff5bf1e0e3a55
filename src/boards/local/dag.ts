import { isNode, LineCounter, parseDocument } from 'yaml';
import { describeValue } from '../../core/duration.js';
import { InputError } from '../../core/errors.js';
import { findCycles, formatCycle } from './cycles.js';
import type { DagTask } from './dag-task.js';
import { type FieldPath, fieldName, isMapping, type ReadTask, readTask } from './task-fields.js';
import { verifyIdProblems, withVerifications } from './verify-tasks.js';

export type { DagTask, Verifies } from './dag-task.js';

export interface DagResult {
  tasks: DagTask[];
  /** Things that were ignored (unknown fields, repeated deps): worth showing, never fatal. */
  warnings: string[];
}

export interface DagOptions {
  /** The file name, for messages. */
  source?: string;
  /** Ids already on the board: deps may name them as well as tasks of the file. */
  knownIds?: ReadonlySet<string>;
}

/** Where in the source a field is (1-based); absent when the tasks did not come from text. */
export type Locate = (index: number, field: FieldPath) => { line: number; col: number } | undefined;

/** Every problem of a DAG (or of a seed), one per line, so a user fixes them all in one go. */
export class DagError extends InputError {
  constructor(
    readonly header: string,
    readonly problems: readonly string[],
    readonly warnings: readonly string[] = [],
  ) {
    const count = `${problems.length} problem${problems.length === 1 ? '' : 's'}`;
    super(`${header} (${count}):\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  }
}

export function taskLabel(id: string | undefined, index: number): string {
  return id === undefined ? `task at index ${index}` : `task ${JSON.stringify(id)}`;
}

function prefix(source: string | undefined, at: { line: number; col: number } | undefined): string {
  if (at) return source ? `${source}:${at.line}:${at.col}: ` : `line ${at.line}, column ${at.col}: `;
  return source ? `${source}: ` : '';
}

/**
 * Parses a DAG file: a YAML list of tasks, or a mapping with a `tasks` list. Pure: returns the
 * tasks or throws one DagError listing every problem with its file position.
 */
export function parseDag(text: string, options: DagOptions = {}): DagResult {
  const { source } = options;
  const header = `Invalid task DAG${source ? ` ${source}` : ''}`;
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false });
  const at = (offset: number) => prefix(source, lines.linePos(offset));
  if (doc.errors.length > 0) {
    throw new DagError(
      header,
      doc.errors.map((e) => `${at(e.pos[0])}YAML syntax error: ${e.message.split('\n')[0]}`),
    );
  }
  const warnings = doc.warnings.map((w) => `${at(w.pos[0])}YAML: ${w.message}`);
  let root: unknown;
  try {
    root = doc.toJS();
  } catch (error) {
    // Only an alias bomb gets here: the text parsed, but expanding it would not end well.
    throw new DagError(header, [`${prefix(source, undefined)}${(error as Error).message}`]);
  }
  let base: string[] = [];
  let entries = root;
  if (isMapping(root) && 'tasks' in root) {
    base = ['tasks'];
    entries = root.tasks;
    for (const key of Object.keys(root)) {
      if (key !== 'tasks')
        warnings.push(`${prefix(source, undefined)}unknown top-level field "${key}" ignored`);
    }
  }
  if (!Array.isArray(entries)) {
    const what = base.length
      ? '"tasks" must be a list'
      : 'expected a list of tasks (or a mapping with a "tasks" list)';
    throw new DagError(header, [`${prefix(source, undefined)}${what}, got ${describeValue(entries)}`]);
  }
  const locate: Locate = (index, field) => {
    // The closest node that exists: a missing field is reported where its task starts.
    for (let path = [...base, index, ...field]; ; path = path.slice(0, -1)) {
      const node = path.length > 0 ? doc.getIn(path, true) : doc.contents;
      if (isNode(node) && node.range) return lines.linePos(node.range[0]);
      if (path.length === 0) return undefined;
    }
  };
  return validateTasks(entries, { ...options, locate, warnings });
}

/**
 * Validates task entries given as plain values (parsed YAML, or `tasks add` input): fields,
 * unique ids, deps that exist (in the entries or `knownIds`), and no dependency cycle.
 */
export function validateTasks(
  entries: readonly unknown[],
  options: DagOptions & { locate?: Locate; warnings?: string[] } = {},
): DagResult {
  const { source, locate, knownIds } = options;
  const where = (index: number, field: FieldPath) => prefix(source, locate?.(index, field));
  const problems: { index: number; text: string }[] = [];
  const warnings = [...(options.warnings ?? [])];
  const note = (index: number, id: string | undefined, field: FieldPath, message: string) => {
    const name = field.length > 0 ? ` field "${fieldName(field)}"` : '';
    return `${where(index, field)}${taskLabel(id, index)}${name}: ${message}`;
  };

  const reads: ReadTask[] = entries.map((raw, index) => {
    // Collected first and worded after: the task's name is known only once its id is read.
    const pending: { problem: boolean; field: FieldPath; message: string }[] = [];
    const read = readTask(raw, {
      problem: (field, message) => pending.push({ problem: true, field, message }),
      warning: (field, message) => pending.push({ problem: false, field, message }),
    });
    for (const p of pending) {
      const text = note(index, read.id, p.field, p.message);
      if (p.problem) problems.push({ index, text });
      else warnings.push(text);
    }
    return read;
  });

  const firstAt = new Map<string, number>();
  reads.forEach((read, index) => {
    if (read.id === undefined) return;
    const first = firstAt.get(read.id);
    if (first === undefined) {
      firstAt.set(read.id, index);
      return;
    }
    const line = locate?.(first, ['id'])?.line;
    const other = `the task at index ${first}${line === undefined ? '' : ` (line ${line})`}`;
    problems.push({ index, text: note(index, read.id, ['id'], `duplicate id, also used by ${other}`) });
  });
  reads.forEach((read, index) => {
    for (const dep of read.deps) {
      if (firstAt.has(dep.id) || knownIds?.has(dep.id)) continue;
      problems.push({ index, text: note(index, read.id, ['deps', dep.index], `unknown task "${dep.id}"`) });
    }
  });
  // The first definition of a repeated id stands for it: the repeat is already an error.
  const graph = new Map([...firstAt].map(([id, index]) => [id, reads[index]!.deps.map((d) => d.id)]));
  for (const cycle of findCycles(graph)) {
    const index = firstAt.get(cycle.taskId)!;
    const field = ['deps', reads[index]!.deps[cycle.depIndex]!.index];
    const text = note(index, cycle.taskId, field, `dependency cycle ${formatCycle(cycle.members)}`);
    problems.push({ index, text });
  }

  for (const p of verifyIdProblems(reads)) {
    problems.push({ index: p.index, text: note(p.index, reads[p.index]!.id, ['verify'], p.message) });
  }

  if (problems.length > 0) {
    const header = `Invalid task DAG${source ? ` ${source}` : ''}`;
    // Stable sort: a task's problems stay together, in the order they were found.
    throw new DagError(
      header,
      problems.sort((a, b) => a.index - b.index).map((p) => p.text),
      warnings,
    );
  }
  const tasks = reads.map((r) => ({
    id: r.id!,
    title: r.title!,
    agent: r.agent,
    deps: r.deps.map((d) => d.id),
    priority: r.priority,
    payload: r.payload!,
    ...(r.workspace ? { workspace: true } : {}),
    ...(r.verify ? { verify: r.verify } : {}),
  }));
  return { tasks: withVerifications(tasks, knownIds), warnings };
}
