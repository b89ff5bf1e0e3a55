/** The errors of the Worktrees class. */
import { CodexMonitorError } from '../../core/errors.js';

/** Another live process holds the task's branch in one of our worktrees. */
export class WorkspaceBusyError extends CodexMonitorError {
  constructor(branch: string, where: string, advice: string) {
    super('WORKSPACE_BUSY', `Branch ${branch} is checked out in ${where}. ${advice}`);
  }
}

/** `finish` was given a directory that is not one of these worktrees. */
export class UnknownWorkspaceError extends CodexMonitorError {
  constructor(dir: string, root: string) {
    super('WORKSPACE_UNKNOWN', `${dir} is not a worktree created under ${root}; nothing was removed.`);
  }
}
