import { describeValue, parseDuration } from '../../core/duration.js';
import { PAYLOAD_KINDS, type TaskPayload } from '../../core/payload.js';
import { taskIdProblem } from '../../core/safe-path.js';

/** A path inside one task entry: `['deps', 1]` is field `deps[1]`. */
export type FieldPath = readonly (string | number)[];

/** Where readTask reports, per field; the sink adds the task's name and the location. */
export interface FieldNotes {
  problem(field: FieldPath, message: string): void;
  warning(field: FieldPath, message: string): void;
}

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
}

const TASK_FIELDS = new Set(['id', 'title', 'name', 'agent', 'deps', 'priority', 'payload', 'workspace']);
const PAYLOAD_FIELDS: Record<(typeof PAYLOAD_KINDS)[number], ReadonlySet<string>> = {
  noop: new Set(['kind', 'duration']),
  shell: new Set(['kind', 'cmd', 'timeout', 'stdinFile']),
};

export function fieldName(path: FieldPath): string {
  return path.map((p, i) => (typeof p === 'number' ? `[${p}]` : i === 0 ? p : `.${p}`)).join('');
}

export function isMapping(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

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

function readText(value: unknown, field: FieldPath, notes: FieldNotes): string | undefined {
  if (typeof value === 'number') return String(value);
  if (typeof value === 'string' && value.trim() !== '') return value;
  notes.problem(field, `expected a non-empty string, got ${describeValue(value)}`);
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

function readPayload(value: unknown, notes: FieldNotes): TaskPayload | undefined {
  const known = `known kinds: ${PAYLOAD_KINDS.join(', ')}`;
  if (!isMapping(value)) {
    notes.problem(['payload'], `expected a mapping with a "kind" (${known}), got ${describeValue(value)}`);
    return undefined;
  }
  const kind = value.kind;
  if (kind == null) {
    notes.problem(['payload', 'kind'], `missing; ${known}`);
    return undefined;
  }
  if (typeof kind !== 'string') {
    notes.problem(['payload', 'kind'], `expected a string, got ${describeValue(kind)}; ${known}`);
    return undefined;
  }
  if (!(PAYLOAD_KINDS as readonly string[]).includes(kind)) {
    notes.problem(['payload', 'kind'], `unknown kind ${JSON.stringify(kind)}; ${known}`);
    return undefined;
  }
  const fields = PAYLOAD_FIELDS[kind as keyof typeof PAYLOAD_FIELDS];
  for (const key of Object.keys(value)) {
    if (!fields.has(key)) notes.warning(['payload', key], `not a known field of a ${kind} payload; ignored`);
  }
  const duration = (key: string, positive: boolean): number | undefined | null => {
    if (value[key] == null) return undefined;
    const read = parseDuration(value[key]);
    const problem = 'problem' in read ? read.problem : positive && read.ms === 0 ? 'must be above 0' : null;
    if (problem === null) return (read as { ms: number }).ms;
    notes.problem(['payload', key], problem);
    return null;
  };
  if (kind === 'noop') {
    const durationMs = duration('duration', false);
    if (durationMs === null) return undefined;
    return durationMs === undefined ? { kind } : { kind, durationMs };
  }
  const cmd = readCommand(value.cmd, notes);
  const timeoutMs = duration('timeout', true);
  let stdinFile: string | undefined;
  if (value.stdinFile != null) stdinFile = readText(value.stdinFile, ['payload', 'stdinFile'], notes);
  if (cmd === undefined || timeoutMs === null || (value.stdinFile != null && stdinFile === undefined)) {
    return undefined;
  }
  return {
    kind: 'shell',
    cmd,
    ...(timeoutMs === undefined ? {} : { timeoutMs }),
    ...(stdinFile === undefined ? {} : { stdinFile }),
  };
}

function readCommand(value: unknown, notes: FieldNotes): string | string[] | undefined {
  const hint = 'a shell payload needs "cmd": a command line or a list of words';
  if (value == null) notes.problem(['payload', 'cmd'], `missing; ${hint}`);
  else if (typeof value === 'string') {
    // A folded block (`cmd: >`) ends in a newline: not part of the command.
    if (value.trim() !== '') return value.trim();
    notes.problem(['payload', 'cmd'], `empty; ${hint}`);
  } else if (Array.isArray(value) && value.length > 0) {
    const words = value.map((word, i) => {
      // `cmd: [sleep, 5]`: YAML reads 5 as a number; it is still the word "5".
      if (typeof word === 'string' || typeof word === 'number') return String(word);
      notes.problem(['payload', 'cmd', i], `expected a string, got ${describeValue(word)}`);
      return undefined;
    });
    if (words.every((w) => w !== undefined)) return words as string[];
  } else {
    notes.problem(
      ['payload', 'cmd'],
      `expected a non-empty string or list of strings, got ${describeValue(value)}`,
    );
  }
  return undefined;
}
