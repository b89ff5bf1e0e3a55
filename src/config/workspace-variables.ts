import { z } from 'zod';
import { parseDuration } from '../core/duration.js';
import { bool, text, type VariableSpec } from './variable-schemas.js';

/** A branch-name prefix: ref-name segments, ending in '/' or '-' (e.g. `codex/`). */
const PREFIX = /^[A-Za-z0-9_][A-Za-z0-9._-]*(\/[A-Za-z0-9_][A-Za-z0-9._-]*)*[/-]?$/;

/** A human duration (`1d`, `36h`, `0`): how long a failed attempt's worktree is kept. */
const keepDuration = text.transform((value, ctx) => {
  // Kept worktrees are judged by age, never put in a timer: a year is the bound.
  const parsed = parseDuration(value, { maxMs: 365 * 86_400_000 });
  if ('ms' in parsed) return parsed.ms;
  ctx.addIssue({ code: 'custom', message: parsed.problem });
  return z.NEVER;
});

/** Workspaces and delivery (issue → branch → pull request). */
export const WORKSPACE_VARIABLES = [
  {
    name: 'WORKSPACE',
    schema: z.enum(['worktree', 'none']),
    expected: 'worktree or none',
    doc: 'worktree: each attempt runs in a git worktree of its own on the issue’s branch, and a completed attempt is pushed and opened as a pull request. none: an empty directory per attempt, nothing delivered. Default: worktree for the agent presets (codex, claude, gemini, opencode, aider, custom), none for noop and shell.',
  },
  {
    name: 'CODEX_MONITOR_REPO_DIR',
    schema: text,
    expected: 'a directory path',
    doc: 'With worktrees: the clone of GITHUB_REPOSITORY the worktrees are made from (never modified itself). Default: the working directory.',
  },
  {
    name: 'WORKSPACE_REMOTE',
    schema: text.regex(/^[\w.-]+$/),
    default: 'origin',
    expected: 'a git remote name',
    doc: 'The remote of CODEX_MONITOR_REPO_DIR that is GITHUB_REPOSITORY: fetched from and pushed to.',
  },
  {
    name: 'WORKSPACE_BASE_BRANCH',
    schema: text.regex(/^[\w./-]+$/),
    expected: 'a branch name',
    doc: 'The branch work starts from and pull requests target. Default: the repository’s default branch (on the local board: the branch checked out in CODEX_MONITOR_REPO_DIR).',
  },
  {
    name: 'WORKSPACE_BRANCH_PREFIX',
    schema: text.regex(PREFIX),
    default: 'codex/',
    expected: 'a branch name prefix such as codex/ (letters, digits, . _ - and /)',
    doc: 'Work branches are named <prefix><issue>-<title words>, e.g. codex/12-fix-login-timeout.',
  },
  {
    name: 'WORKSPACE_FRESH_RETRY',
    schema: bool,
    default: 'false',
    expected: 'true or false',
    doc: 'A retry starts afresh from the base branch instead of continuing the issue’s branch.',
  },
  {
    name: 'WORKSPACE_KEEP_FAILED',
    schema: keepDuration,
    default: '1d',
    expected: 'a duration such as 1d, 12h or 0',
    doc: 'How long a failed attempt’s worktree is kept for inspection (codex-monitor workspaces ls); 0 removes it at once.',
  },
  {
    name: 'NO_CHANGES',
    schema: z.enum(['complete', 'failed']),
    default: 'complete',
    expected: 'complete or failed',
    doc: 'What an attempt that completes without changing anything counts as: complete (no pull request) or failed.',
  },
  {
    name: 'PR_DRAFT',
    board: 'github',
    schema: bool,
    default: 'false',
    expected: 'true or false',
    doc: 'Open pull requests as drafts.',
  },
  {
    name: 'PR_LABELS',
    board: 'github',
    schema: text.regex(/^[^,]+(,[^,]+)*$/),
    expected: 'a comma-separated list of label names',
    doc: 'Labels added to the pull requests the daemon opens.',
  },
  {
    name: 'COMMIT_AUTHOR',
    schema: text.regex(/^[^<>\n]+<[^<>\s]+@[^<>\s]+>$/),
    expected: 'Name <email>',
    doc: 'Author of the commits the daemon makes of an agent’s uncommitted changes. Default: the repository’s git user.',
  },
  {
    name: 'GIT_PUSH_WITH_TOKEN',
    board: 'github',
    schema: bool,
    default: 'false',
    expected: 'true or false',
    doc: 'Fetch and push with GITHUB_TOKEN, or the GitHub App’s installation token (handed to git by an askpass program, asked afresh for every call, never on a command line or in a file). Default: the user’s own git credentials (credential helper, ssh).',
  },
  {
    name: 'LEDGER_TRANSPORT',
    board: 'github',
    schema: z.enum(['git', 'rest', 'auto']),
    default: 'auto',
    expected: 'git, rest or auto',
    doc: 'How the claim ledger is spoken. git: `git push --force-with-lease` and `git fetch` of refs/codex-monitor/* (no REST requests; any git host). rest: GitHub’s git-data API. auto: git when LEDGER_REMOTE is set or CODEX_MONITOR_REPO_DIR is a clone of GITHUB_REPOSITORY this user can push to, else rest.',
  },
  {
    name: 'LEDGER_REMOTE',
    board: 'github',
    schema: text,
    expected: 'a git URL, a path, or a remote name of CODEX_MONITOR_REPO_DIR',
    doc: 'Where the git ledger lives: a git URL, a path, or a remote name of CODEX_MONITOR_REPO_DIR. Default: the push URL of WORKSPACE_REMOTE there. Every daemon of a fleet must use the same repository.',
  },
] as const satisfies readonly VariableSpec[];
