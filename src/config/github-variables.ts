import { z } from 'zod';
import { GITHUB_APP_VARIABLES } from './github-app-variables.js';
import { bool, text, type VariableSpec } from './variable-schemas.js';

/**
 * The GitHub board's variables: the repository, credentials (a token or a GitHub App), pacing,
 * which issues are tasks and whose comments count. Spread into the daemon's section, so the
 * README table and `.env.example` keep their order.
 */
export const GITHUB_VARIABLES = [
  {
    name: 'GITHUB_TOKEN',
    board: 'github',
    schema: text,
    expected: 'a GitHub token',
    doc: 'Token for the GitHub board (needs issues: write and contents: write for the ref ledger). Or a GitHub App (GITHUB_APP_*), never both.',
  },
  ...GITHUB_APP_VARIABLES,
  {
    name: 'GITHUB_REPOSITORY',
    board: 'github',
    schema: text.regex(/^[\w.-]+\/[\w.-]+$/),
    expected: 'owner/name, for example acme/widgets',
    doc: 'Repository whose issues are the tasks. Unset: the embedded local board is used.',
  },
  {
    name: 'GITHUB_API_URL',
    board: 'github',
    // fetch refuses URLs with credentials, and they would be printed: the token goes in GITHUB_TOKEN.
    schema: z.url({ protocol: /^https?$/ }).refine((url) => !/^[a-z]+:\/\/[^/]*@/i.test(url)),
    default: 'https://api.github.com',
    expected: 'an http(s) URL without a user name or password (the token goes in GITHUB_TOKEN)',
    doc: 'GitHub API base URL (GitHub Enterprise, or the fake in tests).',
  },
  {
    name: 'GITHUB_PACE_WRITES',
    board: 'github',
    schema: bool,
    default: 'true',
    expected: 'true or false',
    doc: 'Serialise and pace writes as GitHub asks (≥ 1 s apart). Turn off only against a test server.',
  },
  {
    name: 'CODEX_MONITOR_TASK_LABELS',
    board: 'github',
    schema: text,
    expected: 'a comma-separated list of label names',
    doc: 'If set, only issues carrying one of these labels are tasks; applying one (triage rights) also makes an issue trusted.',
  },
  {
    name: 'CODEX_MONITOR_TRUSTED_ASSOCIATIONS',
    board: 'github',
    schema: text.regex(/^[A-Z_]+(\s*,\s*[A-Z_]+)*$/),
    default: 'OWNER,MEMBER,COLLABORATOR',
    expected: 'a comma-separated list of author associations (OWNER, MEMBER, COLLABORATOR, CONTRIBUTOR, ...)',
    doc: 'Issues written by these author associations are eligible without a task label. Issue text is untrusted input.',
  },
  {
    name: 'CODEX_MONITOR_STATE_COMMENT_LOGINS',
    board: 'github',
    schema: text.regex(/^[A-Za-z0-9][A-Za-z0-9-]*(\[bot\])?(\s*,\s*[A-Za-z0-9][A-Za-z0-9-]*(\[bot\])?)*$/),
    expected: 'a comma-separated list of GitHub logins, e.g. codex-bot,my-app[bot]',
    doc: 'Comments by these logins count as state comments whatever their author association (bot accounts); otherwise only comments by CODEX_MONITOR_TRUSTED_ASSOCIATIONS do.',
  },
  {
    name: 'CODEX_MONITOR_PUBLISH_ERRORS',
    board: 'github',
    schema: bool,
    default: 'false',
    expected: 'true or false',
    doc: 'Show a redacted error summary (tokens, credentials in URLs, home paths removed; 500 characters at most) in the public state comment and in notifications. Off: only the artifact id is shown, and notifications carry no error.',
  },
  {
    name: 'CODEX_MONITOR_PRIORITY_LABELS',
    board: 'github',
    schema: text.regex(/^[^=,]+=-?\d+(\s*,\s*[^=,]+=-?\d+)*$/),
    default: 'priority:high=10,priority:low=-10',
    expected: 'label=number pairs separated by commas, e.g. priority:high=10,priority:low=-10',
    doc: 'Priority of an issue from its labels (the highest match wins, 0 without one).',
  },
] as const satisfies readonly VariableSpec[];
