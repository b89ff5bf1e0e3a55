/**
 * Workspaces: a git worktree per attempt, and delivering its work (commit, push by lease).
 * The one entry module of src/workspaces: other code imports only this file.
 */

export {
  GitError,
  type GitErrorCode,
  type GitResult,
  gitBaseEnv,
  type RunGitOptions,
  runGit,
} from '../host/git-runner.js';
export { BranchPrefixError, branchFor, normalizePrefix, slugify } from './branch-name.js';
export { type CommitOptions, changedSince, commitAll, commitMessage } from './commit.js';
export {
  ensureAskpass,
  GIT_TOKEN_USER,
  GIT_TOKEN_VAR,
  type GitCredentials,
  gitAuthEnv,
  tokenGitCredentials,
  userGitCredentials,
} from './credentials.js';
export {
  deleteRemoteBranch,
  type PushFailure,
  type PushOptions,
  type PushResult,
  pushBranch,
} from './push.js';
export { repositoryOfUrl } from './remote-url.js';
export {
  type CheckRepositoryOptions,
  checkRepository,
  type ProbePushOptions,
  type ProbeResult,
  probePush,
  RepositoryCheckError,
  type RepositoryInfo,
} from './repo-check.js';
export { UnknownWorkspaceError, WorkspaceBusyError } from './worktrees/worktree-errors.js';
export type {
  PreparedWorktree,
  PrepareRequest,
  WorktreeEntry,
  WorktreeState,
  WorktreesOptions,
} from './worktrees/worktree-types.js';
export { Worktrees } from './worktrees/worktrees.js';
