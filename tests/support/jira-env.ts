/** The settings of a daemon (or a reader) on the Jira fake, its claims in a git ledger. */
import { DEFAULT_USER, type FakeJira } from './jira-fake/index.js';

/** JIRA_* for the fake's default user and the OPS issues labelled `codex`; the ledger over git at `ledger`. */
export function jiraEnv(fake: FakeJira, ledger: string): Record<string, string> {
  return {
    JIRA_BASE_URL: fake.url,
    JIRA_EMAIL: DEFAULT_USER.email,
    JIRA_API_TOKEN: DEFAULT_USER.apiToken,
    JIRA_JQL: 'project = OPS AND labels = codex',
    LEDGER_REMOTE: ledger,
    LEDGER_TRANSPORT: 'git',
  };
}
