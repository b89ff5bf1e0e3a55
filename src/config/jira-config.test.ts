import { describe, expect, it } from 'vitest';
import { ConfigError } from '../core/errors.js';
import { loadConfig } from './config.js';

function problems(env: Record<string, string>): string[] {
  try {
    loadConfig(env, { cwd: '/work' });
    return [];
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    return [...error.problems];
  }
}

const FULL = {
  JIRA_BASE_URL: 'https://acme.atlassian.net/',
  JIRA_EMAIL: 'bot@acme.test',
  JIRA_API_TOKEN: 'secret-token',
  JIRA_JQL: 'project = OPS AND labels = codex',
  LEDGER_REMOTE: 'git@github.com:acme/ledger.git',
};

describe('Jira configuration', () => {
  it('is off without JIRA_BASE_URL', () => {
    expect(loadConfig({}, { cwd: '/work' }).jira).toBeUndefined();
  });

  it('reads the site, credentials, query, labels and statuses ("-": leave the status alone)', () => {
    const config = loadConfig(
      { ...FULL, JIRA_STATUS_DONE: '-', JIRA_LABEL_IGNORE: 'hands-off' },
      { cwd: '/work' },
    );
    expect(loadConfig({ ...FULL, JIRA_STATUS_REVIEW: '-' }, { cwd: '/work' }).jira?.statuses.review).toBe('');
    expect(config.jira).toMatchObject({
      baseUrl: 'https://acme.atlassian.net',
      email: 'bot@acme.test',
      jql: FULL.JIRA_JQL,
      labels: { ignore: 'hands-off', retry: 'codex-retry', working: 'codex-working' },
      statuses: { working: 'In Progress', review: 'In Review', done: '' },
    });
  });

  it('names what is missing: credentials, the query, the ledger remote', () => {
    const found = problems({ JIRA_BASE_URL: 'https://acme.atlassian.net', JIRA_EMAIL: 'bot@acme.test' });
    expect(found).toEqual([
      expect.stringContaining('JIRA_API_TOKEN is not'),
      expect.stringContaining('JIRA_JQL is not'),
      expect.stringContaining('LEDGER_REMOTE is not'),
    ]);
  });

  it('refuses an ORDER BY in the query and a label with a space, naming the value', () => {
    expect(problems({ ...FULL, JIRA_JQL: 'project = OPS ORDER BY rank' })).toEqual([
      expect.stringContaining('has an ORDER BY'),
    ]);
    expect(problems({ ...FULL, JIRA_LABEL_DONE: 'codex done' })).toEqual([
      expect.stringMatching(/^JIRA_LABEL_DONE="codex done": expected a Jira label/),
    ]);
  });

  it('accepts a bearer token instead of email and API token; never passes either token to an agent', () => {
    const { JIRA_EMAIL: _e, JIRA_API_TOKEN: _t, ...rest } = FULL;
    expect(problems({ ...rest, JIRA_BEARER_TOKEN: 'pat' })).toEqual([]);
    expect(problems({ ...FULL, EXECUTOR_ENV_PASSTHROUGH: 'JIRA_API_TOKEN' })).toEqual([
      expect.stringContaining('EXECUTOR_ENV_PASSTHROUGH names JIRA_API_TOKEN'),
    ]);
  });
});
