import type { VariableName } from './variables.js';

/** The Jira board, as configured (jira-variables.ts); undefined without JIRA_BASE_URL. */
export interface JiraConfig {
  baseUrl: string;
  email: string | undefined;
  apiToken: string | undefined;
  bearerToken: string | undefined;
  jql: string;
  labels: { ignore: string; retry: string; working: string; done: string; failed: string };
  statuses: { working: string; review: string; done: string };
  priorityLabels: Record<string, number>;
}

export function jiraConfig(
  get: <T>(name: VariableName) => T,
  problems: string[],
  context: { ledgerRemote: string | undefined; priorityLabels: Record<string, number> },
): JiraConfig | undefined {
  const baseUrl = get<string | undefined>('JIRA_BASE_URL');
  if (baseUrl === undefined) return undefined;
  const email = get<string | undefined>('JIRA_EMAIL');
  const apiToken = get<string | undefined>('JIRA_API_TOKEN');
  const bearerToken = get<string | undefined>('JIRA_BEARER_TOKEN');
  const jql = get<string | undefined>('JIRA_JQL');
  if (bearerToken === undefined && (email === undefined || apiToken === undefined)) {
    problems.push(
      `JIRA_BASE_URL is set but ${email === undefined ? 'JIRA_EMAIL' : 'JIRA_API_TOKEN'} is not: set JIRA_EMAIL and JIRA_API_TOKEN (Jira Cloud), or JIRA_BEARER_TOKEN`,
    );
  }
  if (jql === undefined)
    problems.push(
      'JIRA_BASE_URL is set but JIRA_JQL is not: say which issues are tasks, e.g. JIRA_JQL="project = OPS AND labels = codex"',
    );
  else if (/\border\s+by\b/i.test(jql))
    problems.push(
      `JIRA_JQL=${JSON.stringify(jql)} has an ORDER BY: remove it (the daemon orders by updated to list incrementally)`,
    );
  if (context.ledgerRemote === undefined) {
    problems.push(
      'JIRA_BASE_URL is set but LEDGER_REMOTE is not: Jira has no compare-and-swap, so claims live in a git repository; set LEDGER_REMOTE to a URL (or a remote name of CODEX_MONITOR_REPO_DIR) this user can push to',
    );
  }
  const status = (name: VariableName) => {
    const value = get<string>(name);
    return value === '-' ? '' : value;
  };
  return {
    baseUrl: baseUrl.replace(/\/+$/, ''),
    email,
    apiToken,
    bearerToken,
    jql: jql ?? '',
    labels: {
      ignore: get('JIRA_LABEL_IGNORE'),
      retry: get('JIRA_LABEL_RETRY'),
      working: get('JIRA_LABEL_WORKING'),
      done: get('JIRA_LABEL_DONE'),
      failed: get('JIRA_LABEL_FAILED'),
    },
    statuses: {
      working: status('JIRA_STATUS_WORKING'),
      review: status('JIRA_STATUS_REVIEW'),
      done: status('JIRA_STATUS_DONE'),
    },
    priorityLabels: context.priorityLabels,
  };
}
