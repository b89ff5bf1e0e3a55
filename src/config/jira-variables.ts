import { text, type VariableSpec } from './variable-schemas.js';

/** Jira label names: Jira refuses labels with spaces. */
const label = text.regex(/^\S+$/);
const LABEL_EXPECTED = 'a Jira label (no spaces), e.g. codex-working';

/** The Jira board (issue 16): set JIRA_BASE_URL to use it instead of GitHub issues. */
export const JIRA_VARIABLES = [
  {
    name: 'JIRA_BASE_URL',
    schema: text.url(),
    expected: 'the Jira site URL, e.g. https://acme.atlassian.net',
    doc: 'The Jira site whose issues are the board. Set: the daemon works Jira issues (JIRA_JQL), with the claims in the git ledger at LEDGER_REMOTE (required).',
  },
  {
    name: 'JIRA_EMAIL',
    schema: text,
    expected: 'the email address of the Jira account the daemon acts as',
    doc: 'With JIRA_API_TOKEN: Jira Cloud basic auth.',
  },
  {
    name: 'JIRA_API_TOKEN',
    schema: text,
    expected: 'an API token of the JIRA_EMAIL account (id.atlassian.com → Security → API tokens)',
    doc: 'The API token of JIRA_EMAIL. A secret: never logged, never given to an agent.',
  },
  {
    name: 'JIRA_BEARER_TOKEN',
    schema: text,
    expected: 'a bearer token (a Jira Data Center personal access token)',
    doc: 'Instead of JIRA_EMAIL + JIRA_API_TOKEN: sent as `Authorization: Bearer`. A secret.',
  },
  {
    name: 'JIRA_JQL',
    schema: text,
    expected: 'a JQL query without ORDER BY, e.g. project = OPS AND labels = codex',
    doc: 'Which issues are tasks. The daemon adds `updated >=` and its own ORDER BY; keep ORDER BY out. Keep selecting an issue while it is worked (not `status = "To Do"`: the mirror moves it to In Progress, and a failed attempt must still be retried); `statusCategory != Done` is the usual filter.',
  },
  {
    name: 'JIRA_LABEL_IGNORE',
    schema: label,
    default: 'codex-ignore',
    expected: LABEL_EXPECTED,
    doc: 'A human’s label: keep automation off the issue (a running attempt stops at its next heartbeat).',
  },
  {
    name: 'JIRA_LABEL_RETRY',
    schema: label,
    default: 'codex-retry',
    expected: LABEL_EXPECTED,
    doc: 'A human’s label: a poisoned or failed issue gets a fresh retry budget; the daemon removes the label.',
  },
  {
    name: 'JIRA_LABEL_WORKING',
    schema: label,
    default: 'codex-working',
    expected: LABEL_EXPECTED,
    doc: 'The mirror’s label while an attempt holds the issue.',
  },
  {
    name: 'JIRA_LABEL_DONE',
    schema: label,
    default: 'codex-done',
    expected: LABEL_EXPECTED,
    doc: 'The mirror’s label once an attempt completed.',
  },
  {
    name: 'JIRA_LABEL_FAILED',
    schema: label,
    default: 'codex-failed',
    expected: LABEL_EXPECTED,
    doc: 'The mirror’s label after a failed attempt (and when poisoned).',
  },
  {
    name: 'JIRA_STATUS_WORKING',
    schema: text,
    default: 'In Progress',
    expected: 'a workflow status name, or "-" to leave the status alone',
    doc: 'Status the mirror moves a claimed issue to, by a transition found by this target name; skipped with a warning where the workflow has none. "-": never.',
  },
  {
    name: 'JIRA_STATUS_REVIEW',
    schema: text,
    default: 'In Review',
    expected: 'a workflow status name, or "-" to leave the status alone',
    doc: 'Status the mirror moves an issue to when its attempt completed with a pull request (WORKSPACE=worktree and GITHUB_REPOSITORY), as JIRA_STATUS_WORKING. "-": never (such an issue goes to JIRA_STATUS_DONE).',
  },
  {
    name: 'JIRA_STATUS_DONE',
    schema: text,
    default: 'Done',
    expected: 'a workflow status name, or "-" to leave the status alone',
    doc: 'Status the mirror moves an issue to when its attempt completed without a pull request (as JIRA_STATUS_WORKING). "-": never.',
  },
] as const satisfies readonly VariableSpec[];
