/**
 * Reading fields of a DAG entry: where a field is, where problems about it go, and the small
 * readers both the task's fields (task-fields.ts) and its payload's (payload-fields.ts) use.
 */
import { describeValue } from '../../core/duration.js';

/** A path inside one task entry: `['deps', 1]` is field `deps[1]`. */
export type FieldPath = readonly (string | number)[];

/** Where readTask reports, per field; the sink adds the task's name and the location. */
export interface FieldNotes {
  problem(field: FieldPath, message: string): void;
  warning(field: FieldPath, message: string): void;
}

export function fieldName(path: FieldPath): string {
  return path.map((p, i) => (typeof p === 'number' ? `[${p}]` : i === 0 ? p : `.${p}`)).join('');
}

export function isMapping(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function readText(value: unknown, field: FieldPath, notes: FieldNotes): string | undefined {
  if (typeof value === 'number') return String(value);
  if (typeof value === 'string' && value.trim() !== '') return value;
  notes.problem(field, `expected a non-empty string, got ${describeValue(value)}`);
  return undefined;
}
