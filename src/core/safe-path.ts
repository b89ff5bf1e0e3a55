/**
 * Task ids become paths (`artifacts/<task>/<epoch>/`) and environment values. Ids are checked
 * at the door (DAG files, `tasks add`), but paths are made safe by construction here whatever
 * the id — GitHub ids, ids seeded before the check existed: one path segment, never `.` or
 * `..`, never hidden, bounded in length.
 */
import { createHash } from 'node:crypto';

/** Longest task id accepted (characters). */
export const TASK_ID_MAX_LENGTH = 200;
/** Letters, digits and `. _ - : / # @ +`, starting with a letter or a digit. */
const TASK_ID = /^[A-Za-z0-9][A-Za-z0-9._:/#@+-]*$/;
export const TASK_ID_RULE = `letters, digits and . _ - : / # @ +, starting with a letter or a digit, at most ${TASK_ID_MAX_LENGTH} characters`;

/** Why `id` is not an acceptable task id, or null when it is. */
export function taskIdProblem(id: string): string | null {
  if (id.length > TASK_ID_MAX_LENGTH) {
    return `is ${id.length} characters long; a task id has at most ${TASK_ID_MAX_LENGTH}`;
  }
  if (!TASK_ID.test(id)) return `${JSON.stringify(id)} is not a valid task id: use ${TASK_ID_RULE}`;
  return null;
}

/** Longest directory name produced: far below any file system's limit (255 bytes). */
const MAX_SEGMENT = 120;
const KEEP = 96;

/**
 * The directory name of a task: its id percent-encoded (so `/` and every byte outside
 * `A-Za-z0-9-_.!~*'()` is escaped), leading dots escaped too (never `.`, `..` or hidden), and
 * a long name cut with `%h` and a hash of the whole id (percent-encoding never writes `%h`,
 * so distinct ids keep distinct directories).
 */
export function taskDirName(id: string): string {
  let encoded: string;
  try {
    encoded = encodeURIComponent(id);
  } catch {
    return `%h${hashOf(id)}`; // a lone surrogate: no encoding, only the hash
  }
  encoded = encoded.replace(/^\.+/, (dots) => '%2E'.repeat(dots.length));
  if (encoded === '') return `%h${hashOf(id)}`;
  if (encoded.length <= MAX_SEGMENT) return encoded;
  return `${encoded.slice(0, KEEP)}%h${hashOf(id)}`;
}

/** Hash of the id's UTF-16 code units: distinct for any two distinct strings. */
function hashOf(id: string): string {
  return createHash('sha256').update(Buffer.from(id, 'utf16le')).digest('hex').slice(0, 20);
}
