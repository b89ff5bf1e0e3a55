import { describeValue } from '../../core/duration.js';
import type { TaskPayload } from '../../core/payload.js';
import { taskIdProblem } from '../../core/safe-path.js';
import { type FieldNotes, type FieldPath, isMapping, readText } from './field-notes.js';
import { readPayload } from './payload-fields.js';
import { readVerify, type VerifySpec } from './verify-fields.js';

export { type FieldNotes, type FieldPath, fieldName, isMapping } from './field-notes.js';

/** One task entry as read: whatever could be read, even when other fields were wrong. */
export interface ReadTask {
  id: string | undefined;
  title: string | undefined;
  agent: string | null;
  /** Unique deps, each with its position in the entry (for messages). */
  deps: { id: string; index: number }[];
  priority: number;
  payload: TaskPayload | undefined;
  /** Runs in a git worktree of its own (WORKSPACE=worktree); its result is a local branch. */
  workspace: boolean;
  /** `verify:`: the capability (and payload) of the task generated to verify this one. */
  verify: VerifySpec | null;
}

const TASK_FIELDS = new Set([
  'id',
  'title',
  'name',
  'agent',
  'deps',
  'priority',
  'payload',
  'workspace',
  'verify',
]);

/** Ids may be written as numbers in YAML (`id: 12`); they are compared as strings. */
function readId(value: unknown, field: FieldPath, notes: FieldNotes): string | undefined {
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  if (typeof value === 'string') {
    // The board folds deps into one column with a control character between ids.
    if ([...value].some((c) => c < ' ')) notes.problem(field, 'must not contain control characters');
    else if (value.trim() === '')
      notes.problem(field, 'empty; a task id must be a non-empty string or a number');
    else {
      // Ids name artifact directories and reach agents' environments: a safe set, bounded.
      const problem = taskIdProblem(value);
      if (problem === null) return value;
      notes.problem(field, problem);
    }
  } else {
    notes.problem(field, `expected a string or a number, got ${describeValue(value)}`);
  }
  return undefined;
}

/**
 * Reads one task entry, reporting every problem it finds rather than stopping at the first.
 * Empty values (`agent:` with nothing after it) mean the default, as an absent field does.
 */
export function readTask(raw: unknown, notes: FieldNotes): ReadTask {
  const task: ReadTask = {
    id: undefined,
    title: undefined,
    agent: null,
    deps: [],
    priority: 0,
    payload: undefined,
    workspace: false,
    verify: null,
  };
  if (!isMapping(raw)) {
    notes.problem([], `expected a mapping with at least an "id", got ${describeValue(raw)}`);
    return task;
  }
  if (raw.id === undefined || raw.id === null) notes.problem(['id'], 'missing; every task needs a unique id');
  else task.id = readId(raw.id, ['id'], notes);

  for (const key of Object.keys(raw)) {
    if (!TASK_FIELDS.has(key)) notes.warning([key], 'not a known field; ignored');
  }
  const { title, name } = raw;
  if (title != null && name != null && title !== name) {
    notes.warning([], 'both "title" and "name" given; using "title"');
  }
  if (title != null) task.title = readText(title, ['title'], notes);
  else if (name != null) task.title = readText(name, ['name'], notes);
  else task.title = task.id;
  if (raw.agent != null) task.agent = readText(raw.agent, ['agent'], notes) ?? null;
  if (raw.priority != null) {
    if (Number.isSafeInteger(raw.priority)) task.priority = raw.priority as number;
    else notes.problem(['priority'], `expected an integer, got ${describeValue(raw.priority)}`);
  }
  if (raw.workspace != null) {
    if (typeof raw.workspace === 'boolean') task.workspace = raw.workspace;
    else notes.problem(['workspace'], `expected true or false, got ${describeValue(raw.workspace)}`);
  }
  if (raw.verify != null) task.verify = readVerify(raw.verify, notes);
  task.deps = readDeps(raw.deps, notes);
  task.payload = raw.payload == null ? { kind: 'noop' } : readPayload(raw.payload, notes);
  return task;
}

function readDeps(value: unknown, notes: FieldNotes): ReadTask['deps'] {
  if (value == null) return [];
  if (!Array.isArray(value)) {
    notes.problem(['deps'], `expected a list of task ids, got ${describeValue(value)}`);
    return [];
  }
  const deps: ReadTask['deps'] = [];
  value.forEach((item, index) => {
    const id = readId(item, ['deps', index], notes);
    if (id === undefined) return;
    // task_deps has one row per pair: a repeated dep would break the insert, and means nothing.
    if (deps.some((d) => d.id === id)) notes.warning(['deps', index], `"${id}" listed twice; counted once`);
    else deps.push({ id, index });
  });
  return deps;
}
