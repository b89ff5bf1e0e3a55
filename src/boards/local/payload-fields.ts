/**
 * The `payload` of a DAG entry: `kind: noop` (optional `duration`), `kind: shell` (`cmd`,
 * optional `timeout`, `stdinFile`) or `kind: mcp-call` (`server`, `tool`, optional
 * `arguments`, `timeout`). Every problem is reported with its field, none stops the reading.
 */
import { describeValue, parseDuration } from '../../core/duration.js';
import { PAYLOAD_KINDS, type TaskPayload } from '../../core/payload.js';
import { type FieldNotes, isMapping, readText } from './field-notes.js';

const PAYLOAD_FIELDS: Record<(typeof PAYLOAD_KINDS)[number], ReadonlySet<string>> = {
  noop: new Set(['kind', 'duration']),
  shell: new Set(['kind', 'cmd', 'timeout', 'stdinFile']),
  'mcp-call': new Set(['kind', 'server', 'tool', 'arguments', 'timeout']),
};

export function readPayload(value: unknown, notes: FieldNotes): TaskPayload | undefined {
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
  if (kind === 'mcp-call') {
    const server = readCommand(
      value.server,
      'server',
      'an mcp-call payload needs "server": the MCP server\'s command line or a list of words',
      notes,
    );
    const tool = value.tool == null ? undefined : readText(value.tool, ['payload', 'tool'], notes);
    if (value.tool == null)
      notes.problem(
        ['payload', 'tool'],
        'missing; an mcp-call payload needs "tool": the name of the tool to call',
      );
    const args = readArguments(value.arguments, notes);
    const timeoutMs = duration('timeout', true);
    if (server === undefined || tool === undefined || args === null || timeoutMs === null) return undefined;
    return {
      kind,
      server,
      tool,
      ...(args === undefined ? {} : { arguments: args }),
      ...(timeoutMs === undefined ? {} : { timeoutMs }),
    };
  }
  const cmd = readCommand(
    value.cmd,
    'cmd',
    'a shell payload needs "cmd": a command line or a list of words',
    notes,
  );
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

/** A command line or a list of words (`cmd` of a shell payload, `server` of an mcp-call). */
function readCommand(
  value: unknown,
  key: string,
  hint: string,
  notes: FieldNotes,
): string | string[] | undefined {
  if (value == null) notes.problem(['payload', key], `missing; ${hint}`);
  else if (typeof value === 'string') {
    // A folded block (`cmd: >`) ends in a newline: not part of the command.
    if (value.trim() !== '') return value.trim();
    notes.problem(['payload', key], `empty; ${hint}`);
  } else if (Array.isArray(value) && value.length > 0) {
    const words = value.map((word, i) => {
      // `cmd: [sleep, 5]`: YAML reads 5 as a number; it is still the word "5".
      if (typeof word === 'string' || typeof word === 'number') return String(word);
      notes.problem(['payload', key, i], `expected a string, got ${describeValue(word)}`);
      return undefined;
    });
    if (words.every((w) => w !== undefined)) return words as string[];
  } else {
    notes.problem(
      ['payload', key],
      `expected a non-empty string or list of strings, got ${describeValue(value)}`,
    );
  }
  return undefined;
}

/** The tool's arguments: a mapping (JSON object); null when malformed, undefined when absent. */
function readArguments(value: unknown, notes: FieldNotes): Record<string, unknown> | undefined | null {
  if (value == null) return undefined;
  if (!isMapping(value)) {
    notes.problem(
      ['payload', 'arguments'],
      `expected a mapping of argument names to values, got ${describeValue(value)}`,
    );
    return null;
  }
  // Sent as JSON: a value JSON cannot carry (a YAML timestamp, binary) would change on the way.
  const bad = Object.entries(value).find(([, v]) => !isJsonValue(v));
  if (bad !== undefined) {
    notes.problem(
      ['payload', 'arguments', bad[0]],
      `expected a JSON value (string, number, true/false, null, list, mapping), got ${describeValue(bad[1])}`,
    );
    return null;
  }
  return value;
}

function isJsonValue(value: unknown): boolean {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return true;
  if (typeof value === 'number') return Number.isFinite(value);
  if (Array.isArray(value)) return value.every(isJsonValue);
  return (
    isMapping(value) &&
    Object.getPrototypeOf(value) === Object.prototype &&
    Object.values(value).every(isJsonValue)
  );
}
