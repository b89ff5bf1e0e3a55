/**
 * `verify: <agent>` as tasks: a task that declares it gets a generated task `<id>.verify`, run by
 * that capability and depending on it; whatever depended on the task depends on its verification
 * instead. So nothing downstream starts before a second agent has verified the result — the
 * local board's shape of propose → verify → apply (on GitHub: a review of the pull request).
 */
import { taskIdProblem } from '../../core/safe-path.js';
import type { DagTask } from './dag-task.js';
import type { ReadTask } from './task-fields.js';

/** The generated verification task's id. */
export const verifyTaskId = (id: string): string => `${id}.verify`;

/** Generated ids that are not valid task ids, or that a task of the file uses already. */
export function verifyIdProblems(reads: readonly ReadTask[]): { index: number; message: string }[] {
  const declared = new Set(reads.flatMap((r) => (r.id === undefined ? [] : [r.id])));
  const problems: { index: number; message: string }[] = [];
  reads.forEach((read, index) => {
    if (!read.verify || read.id === undefined) return;
    const id = verifyTaskId(read.id);
    const invalid = taskIdProblem(id);
    if (invalid !== null) problems.push({ index, message: `its verification task's id ${invalid}` });
    else if (declared.has(id)) {
      problems.push({
        index,
        message: `its verification task would be "${id}", an id the file uses already`,
      });
    }
    // An id on the board already is this file's own generated task seeded before: a replan.
  });
  return problems;
}

/** The tasks with their verification tasks added and deps pointed past what is verified. */
export function withVerifications(
  tasks: readonly (DagTask & { verify?: ReadTask['verify'] })[],
  knownIds?: ReadonlySet<string>,
): DagTask[] {
  const verified = new Set(tasks.filter((t) => t.verify).map((t) => t.id));
  const gate = (dep: string) =>
    verified.has(dep) || (!tasks.some((t) => t.id === dep) && knownIds?.has(verifyTaskId(dep)))
      ? verifyTaskId(dep)
      : dep;
  const out: DagTask[] = [];
  for (const { verify, ...task } of tasks) {
    out.push({ ...task, deps: task.deps.map(gate) });
    if (!verify) continue;
    out.push({
      id: verifyTaskId(task.id),
      title: `Verify: ${task.title}`,
      agent: verify.agent,
      deps: [task.id],
      priority: task.priority,
      payload: verify.payload,
      ...(task.workspace ? { workspace: true } : {}),
      verifies: { id: task.id, title: task.title },
    });
  }
  return out;
}
