import { z } from 'zod';
import { GITHUB_VARIABLES } from './github-variables.js';
import { JIRA_VARIABLES } from './jira-variables.js';
import { NOTIFY_VARIABLES } from './notify-variables.js';
import { PROJECT_VARIABLES } from './project-variables.js';
import { REVIEW_VARIABLES } from './review-variables.js';
import { SERVE_VARIABLES } from './serve-variables.js';
import { bool, DAY_MS, durationMs, int, text, type VariableSpec } from './variable-schemas.js';
import { WORKSPACE_VARIABLES } from './workspace-variables.js';

/**
 * The daemon's own variables: claims, GitHub, the executor, logs. With WORKSPACE_VARIABLES
 * they are every environment variable codex-monitor reads: its parser, its default and what
 * it means. These tables feed validation, `.env.example` and the README's tables
 * (`npm run docs:env` writes both; a test fails when they drift).
 * Names inherited from the original codex-monitor keep their meaning and defaults.
 */
const DAEMON_VARIABLES = [
  {
    name: 'SHARED_STATE_ENABLED',
    schema: bool,
    default: 'true',
    expected: 'true or false',
    doc: 'Coordinate claims through the shared state (local SQLite, and the ref ledger on GitHub). Always on: it is the claim authority, so false is refused.',
  },
  {
    name: 'SHARED_STATE_HEARTBEAT_INTERVAL_MS',
    ...durationMs(100),
    default: '60000',
    doc: 'How often a daemon renews its heartbeat.',
  },
  {
    name: 'SHARED_STATE_STALE_THRESHOLD_MS',
    ...durationMs(500),
    default: '300000',
    doc: 'An owner silent this long (on the observer’s own clock) is stale and its claims may be taken over. At least twice the heartbeat interval.',
  },
  {
    name: 'SHARED_STATE_RENEW_DEADLINE_MS',
    ...durationMs(100),
    doc: 'Self-fencing: an owner that has not completed a heartbeat for this long stops its work. Default: halfway between the heartbeat interval and the stale threshold.',
  },
  {
    name: 'SHARED_STATE_MAX_RETRIES',
    schema: int(0, 1000),
    default: '3',
    expected: 'a whole number from 0 to 1000',
    doc: 'Failed attempts after which a task is poisoned (kept out of the queue until reset).',
  },
  {
    name: 'SHARED_STATE_BACKOFF_BASE_MS',
    ...durationMs(0),
    default: '10000',
    doc: 'Backoff after the first failure; doubles with each further failure, with jitter.',
  },
  {
    name: 'SHARED_STATE_BACKOFF_MAX_MS',
    ...durationMs(0),
    default: '600000',
    doc: 'Upper bound of the retry backoff.',
  },
  {
    name: 'TASK_CLAIM_OWNER_STALE_TTL_MS',
    ...durationMs(1000),
    default: '600000',
    doc: 'A registered local owner silent this long is forgotten: its id may be reused and it leaves the status.',
  },
  ...GITHUB_VARIABLES,
  {
    name: 'CODEX_MONITOR_AGENT',
    schema: text.regex(/^[\w.-]+$/),
    expected: 'a capability name (letters, digits, . _ -)',
    doc: 'Only claim tasks for this agent capability. Unset: any task.',
  },
  {
    name: 'CODEX_MONITOR_OWNER_ID',
    schema: text.regex(/^[\w.:@/-]+$/).max(200),
    expected: 'letters, digits and . _ : @ / - (at most 200)',
    doc: 'This daemon’s identity in claims. Default: <hostname>/<agent or "any">. Unique per live daemon.',
  },
  {
    name: 'CODEX_MONITOR_STATE_DIR',
    schema: text,
    default: '.codex-monitor',
    expected: 'a directory path',
    doc: 'Where the local state (SQLite), caches, artifacts and attempts’ workspaces live, relative to the working directory.',
  },
  {
    name: 'MAX_PARALLEL',
    schema: int(1, 256),
    default: '1',
    expected: 'a whole number from 1 to 256',
    doc: 'Tasks one daemon runs at once; on GitHub one more may run to recover work a crashed owner left behind.',
  },
  {
    name: 'POLL_INTERVAL_MS',
    ...durationMs(100, DAY_MS),
    default: '3000',
    doc: 'Time between cycles when idle (with jitter). A finished task, or a cycle that saw the board change, starts a cycle at once; GitHub’s X-Poll-Interval, when sent, is the least wait.',
  },
  {
    name: 'ISSUE_FULL_RESYNC_MS',
    board: 'github',
    ...durationMs(1000, DAY_MS),
    default: '600000',
    doc: 'How often a daemon lists every open issue, for what the incremental listing cannot show (issues transferred, deleted, or skipped while a listing was paged); with ±20% jitter.',
  },
  {
    name: 'EXECUTOR',
    board: 'github',
    schema: z.enum(['noop', 'shell', 'codex', 'claude', 'gemini', 'opencode', 'aider', 'custom']),
    default: 'shell',
    expected: 'one of noop, shell, codex, claude, gemini, opencode, aider, custom',
    doc: 'Executor for GitHub issues (the local board takes each task’s payload). codex, claude, gemini, opencode, aider: agent CLI presets; custom: EXECUTOR_COMMAND with the prompt as EXECUTOR_PROMPT says.',
  },
  {
    name: 'EXECUTOR_COMMAND',
    board: 'github',
    schema: text,
    expected: 'a command line',
    doc: 'The command the shell executor runs for GitHub issues (never built from issue text); with EXECUTOR=custom, the agent CLI and its fixed arguments.',
  },
  {
    name: 'EXECUTOR_PROMPT',
    board: 'github',
    // The same forms executors/custom-preset.ts reads: refused here, before anything starts.
    schema: text.regex(/^\s*(stdin|file-flag:--?[A-Za-z0-9][\w.-]*=?)\s*$/),
    default: 'stdin',
    expected: 'stdin or file-flag:<flag> (e.g. EXECUTOR_PROMPT=file-flag:--message-file)',
    doc: 'EXECUTOR=custom: how the agent CLI gets the prompt file — stdin, or file-flag:<flag> for `<flag> <path>` (file-flag:<flag>= for `<flag>=<path>`). The prompt is never a word of the command line.',
  },
  {
    name: 'EXECUTOR_ALLOWLIST',
    schema: text.regex(/^[\w./+-]+(\s*,\s*[\w./+-]+)*$/),
    default: 'node,npm,npx,git,codex,claude,gemini,opencode,aider,echo,true,false,sleep',
    expected: 'a comma-separated list of program names or paths',
    doc: 'Programs the shell executor may start: a name allows what the attempt’s PATH finds for it, a path allows that file. Any other program fails its attempt.',
  },
  {
    name: 'EXECUTOR_ENV_PASSTHROUGH',
    schema: text.regex(/^[A-Za-z_]\w*(\s*,\s*[A-Za-z_]\w*)*$/),
    expected: 'a comma-separated list of environment variable names',
    doc: 'Variables passed on to attempts besides PATH, HOME, USER, LOGNAME, SHELL, TERM, TMPDIR, LANG, LC_*, TZ and the attempt’s CODEX_MONITOR_* (nothing else of the daemon’s environment is). E.g. OPENAI_API_KEY for codex, ANTHROPIC_API_KEY or CLAUDE_CODE_OAUTH_TOKEN for claude, GEMINI_API_KEY for gemini, the model provider’s key for opencode and aider. Never GITHUB_TOKEN.',
  },
  {
    name: 'EXECUTOR_TIMEOUT_MS',
    ...durationMs(100),
    default: '3600000',
    doc: 'Default time limit of one attempt; a task’s payload may set its own.',
  },
  {
    name: 'EXECUTOR_KILL_GRACE_MS',
    ...durationMs(0),
    default: '5000',
    doc: 'Between SIGTERM and SIGKILL to an attempt’s process group (timeout, shutdown).',
  },
  {
    name: 'SHUTDOWN_GRACE_MS',
    ...durationMs(0, DAY_MS),
    default: '15000',
    doc: 'On SIGINT/SIGTERM: how long running attempts get to stop before they are killed and released.',
  },
  {
    name: 'LOCAL_POLL_INTERVAL_MS',
    board: 'local',
    ...durationMs(10, DAY_MS),
    default: '500',
    doc: 'Poll interval on the embedded local board, where a poll is one SQLite query and costs nothing.',
  },
  {
    name: 'CODEX_MONITOR_CLOCK_OFFSET_MS',
    schema: int(-31_536_000_000, 31_536_000_000),
    default: '0',
    expected: 'a whole number of milliseconds (may be negative)',
    doc: 'Testing only: shifts this daemon’s wall clock, to prove that clock skew causes no takeover.',
  },
  {
    name: 'LOG_LEVEL',
    schema: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']),
    default: 'info',
    expected: 'one of fatal, error, warn, info, debug, trace, silent',
    doc: 'Log verbosity.',
  },
  {
    name: 'EVENT_LOG_MAX_EVENTS',
    schema: int(100, 1_000_000_000),
    default: '100000',
    expected: 'a whole number from 100 to 1000000000',
    doc: 'The event log keeps at most this many events (oldest pruned first).',
  },
  {
    name: 'EVENT_LOG_RETENTION_DAYS',
    schema: int(1, 36_500),
    default: '30',
    expected: 'a whole number of days from 1 to 36500',
    doc: 'Events older than this are pruned.',
  },
] as const satisfies readonly VariableSpec[];

export const VARIABLES = [
  ...DAEMON_VARIABLES,
  ...WORKSPACE_VARIABLES,
  ...NOTIFY_VARIABLES,
  ...SERVE_VARIABLES,
  ...REVIEW_VARIABLES,
  ...PROJECT_VARIABLES,
  ...JIRA_VARIABLES,
] as const;

/** How the variables are grouped in `.env.example` and in the README (one table each). */
export const VARIABLE_SECTIONS: readonly VariableSection[] = [
  { id: 'daemon', variables: DAEMON_VARIABLES },
  {
    id: 'workspaces',
    title: 'Workspaces and delivery (issue → branch → pull request)',
    variables: WORKSPACE_VARIABLES,
  },
  { id: 'notify', title: 'Notifications (webhooks, Telegram)', variables: NOTIFY_VARIABLES },
  {
    id: 'serve',
    title: 'The dashboard and JSON API (codex-monitor serve, run --serve)',
    variables: SERVE_VARIABLES,
  },
  {
    id: 'review',
    title: 'Reviews: a second agent verifies a pull request (REVIEW_EXECUTOR)',
    variables: REVIEW_VARIABLES,
  },
  {
    id: 'project',
    title: 'GitHub Projects (v2): the card follows the issue (GITHUB_PROJECT)',
    variables: PROJECT_VARIABLES,
  },
  { id: 'jira', title: 'The Jira board (instead of GitHub issues)', variables: JIRA_VARIABLES },
];

export interface VariableSection {
  /** Names the README's table: `<!-- variables:start <id> -->`. */
  id: string;
  /** A heading in `.env.example`; the first section has none. */
  title?: string;
  variables: readonly VariableSpec[];
}

export type VariableName = (typeof VARIABLES)[number]['name'];
