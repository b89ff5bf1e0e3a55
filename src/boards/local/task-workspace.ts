/**
 * A local task's `workspace: true` as the board stores it: beside the payload's own fields in
 * the payload column (the tasks table has no column of its own for it), and taken out again
 * before the payload reaches an executor. Absent means false, so rows seeded before the flag
 * existed read unchanged.
 */
import type { TaskPayload } from '../../core/payload.js';
import type { WorkRequest } from '../../daemon/workspace.js';
import type { DagTask, Verifies } from './dag-task.js';

const FLAG = 'workspace';
/** A generated verification task's link to the task it verifies (verify-tasks.ts), stored the same way. */
const VERIFIES = 'verifies';

/** What the payload column holds for a task. */
export function storedPayload(task: Pick<DagTask, 'payload' | 'workspace' | 'verifies'>): unknown {
  return {
    ...task.payload,
    ...(task.workspace ? { [FLAG]: true } : {}),
    ...(task.verifies ? { [VERIFIES]: task.verifies } : {}),
  };
}

export interface StoredPayload {
  payload: TaskPayload;
  workspace: boolean;
  verifies: Verifies | null;
}

/** The payload column read back: the executor's payload, whether the task asked for a worktree, what it verifies. */
export function readStoredPayload(stored: unknown): StoredPayload {
  if (stored === null || typeof stored !== 'object') {
    return { payload: { kind: 'noop' }, workspace: false, verifies: null };
  }
  const { [FLAG]: flag, [VERIFIES]: verifies, ...payload } = stored as Record<string, unknown>;
  return {
    payload: payload as unknown as TaskPayload,
    workspace: flag === true,
    verifies: isVerifies(verifies) ? verifies : null,
  };
}

function isVerifies(value: unknown): value is Verifies {
  const v = value as Partial<Verifies> | null | undefined;
  return typeof v?.id === 'string' && typeof v.title === 'string';
}

/**
 * The work of a local task that asked for a worktree: keyed by its id (a branch
 * `codex/<id>-<title>`), referred to by title only, and never continuing another's branch
 * (the board records none: a retry finds the branch by name in the repository).
 */
export function localWork(id: string, title: string): WorkRequest {
  return { key: id, title, reference: null, branch: null };
}
