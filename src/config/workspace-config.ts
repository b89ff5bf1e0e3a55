import { resolve } from 'node:path';
import type { VariableName } from './variables.js';

/** Workspaces and delivery, as configured (see workspace-variables.ts). */
export interface WorkspaceConfig {
  /** worktree: a git worktree per attempt and a pull request per completed issue. */
  mode: 'worktree' | 'none';
  repoDir: string;
  remote: string;
  /** Undefined: the repository's default branch (local board: the repo dir's current branch). */
  baseBranch: string | undefined;
  branchPrefix: string;
  freshRetry: boolean;
  keepFailedMs: number;
  noChanges: 'complete' | 'failed';
  pr: { draft: boolean; labels: string[] };
  commitAuthor: { name: string; email: string } | undefined;
  pushWithToken: boolean;
  /** The claim ledger's transport, and its git remote when set (see cli/open-ledger.ts). */
  ledger: { transport: 'git' | 'rest' | 'auto'; remote: string | undefined };
}

/** Agent presets change code: they get worktrees unless told otherwise; noop and shell do not. */
const WORKTREE_BY_DEFAULT = new Set(['codex', 'claude', 'gemini', 'opencode', 'aider', 'custom']);

export function workspaceConfig(
  get: <T>(name: VariableName) => T,
  list: (value: string | undefined) => string[],
  cwd: string,
): WorkspaceConfig {
  const author = get<string | undefined>('COMMIT_AUTHOR');
  const match = author === undefined ? null : /^(.+?)\s*<([^<>]+)>$/.exec(author.trim());
  return {
    mode:
      get<'worktree' | 'none' | undefined>('WORKSPACE') ??
      (WORKTREE_BY_DEFAULT.has(get<string>('EXECUTOR')) ? 'worktree' : 'none'),
    repoDir: resolve(cwd, get<string | undefined>('CODEX_MONITOR_REPO_DIR') ?? '.'),
    remote: get('WORKSPACE_REMOTE'),
    baseBranch: get('WORKSPACE_BASE_BRANCH'),
    branchPrefix: get('WORKSPACE_BRANCH_PREFIX'),
    freshRetry: get('WORKSPACE_FRESH_RETRY'),
    keepFailedMs: get('WORKSPACE_KEEP_FAILED'),
    noChanges: get('NO_CHANGES'),
    pr: { draft: get('PR_DRAFT'), labels: list(get('PR_LABELS')) },
    commitAuthor: match ? { name: match[1]!, email: match[2]! } : undefined,
    pushWithToken: get('GIT_PUSH_WITH_TOKEN'),
    ledger: { transport: get('LEDGER_TRANSPORT'), remote: get('LEDGER_REMOTE') },
  };
}
