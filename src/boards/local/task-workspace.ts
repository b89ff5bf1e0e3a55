/**
 * A local task's `workspace: true` as the board stores it: beside the payload's own fields in
 * the payload column (the tasks table has no column of its own for it), and taken out again
 * before the payload reaches an executor. Absent means false, so rows seeded before the flag
 * existed read unchanged.
 */
import type { TaskPayload } from '../../core/payload.js';
import type { WorkRequest } from '../../daemon/workspace.js';
import type { DagTask } from './dag.js';

const FLAG = 'workspace';

/** What the payload column holds for a task. */
export function storedPayload(task: Pick<DagTask, 'payload' | 'workspace'>): unknown {
  return task.workspace ? { ...task.payload, [FLAG]: true } : task.payload;
}

/** The payload column read back: the executor's payload, and whether the task asked for a worktree. */
export function readStoredPayload(stored: unknown): { payload: TaskPayload; workspace: boolean } {
  if (stored === null || typeof stored !== 'object') return { payload: { kind: 'noop' }, workspace: false };
  const { [FLAG]: flag, ...payload } = stored as Record<string, unknown>;
  return { payload: payload as unknown as TaskPayload, workspace: flag === true };
}

/**
 * The work of a local task that asked for a worktree: keyed by its id (a branch
 * `codex/<id>-<title>`), referred to by title only, and never continuing another's branch
 * (the board records none: a retry finds the branch by name in the repository).
 */
export function localWork(id: string, title: string): WorkRequest {
  return { key: id, title, reference: null, branch: null };
}
