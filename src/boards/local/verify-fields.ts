/**
 * `verify` of a DAG entry: the capability that must verify the task's result before anything
 * that depends on it runs. `verify: reviewer` (the verifier's payload is a noop: useful only when
 * the verifying agent's daemon is what matters) or `verify: {agent: reviewer, payload: {...}}`.
 */
import { describeValue } from '../../core/duration.js';
import type { TaskPayload } from '../../core/payload.js';
import { type FieldNotes, isMapping, readText } from './field-notes.js';
import { readPayload } from './payload-fields.js';

export interface VerifySpec {
  agent: string;
  payload: TaskPayload;
}

const VERIFY_FIELDS = new Set(['agent', 'payload']);

export function readVerify(value: unknown, notes: FieldNotes): VerifySpec | null {
  if (typeof value === 'string' || typeof value === 'number') {
    const agent = readText(value, ['verify'], notes);
    return agent === undefined ? null : { agent, payload: { kind: 'noop' } };
  }
  if (!isMapping(value)) {
    notes.problem(['verify'], `expected an agent name or {agent, payload}, got ${describeValue(value)}`);
    return null;
  }
  for (const key of Object.keys(value)) {
    if (!VERIFY_FIELDS.has(key)) notes.warning(['verify', key], 'not a known field of "verify"; ignored');
  }
  if (value.agent == null) {
    notes.problem(['verify', 'agent'], 'missing; the capability that verifies this task');
    return null;
  }
  const agent = readText(value.agent, ['verify', 'agent'], notes);
  // readPayload names its fields from `payload`: under `verify` here.
  const nested: FieldNotes = {
    problem: (field, message) => notes.problem(['verify', ...field], message),
    warning: (field, message) => notes.warning(['verify', ...field], message),
  };
  const payload = value.payload == null ? { kind: 'noop' as const } : readPayload(value.payload, nested);
  return agent === undefined || payload === undefined ? null : { agent, payload };
}
