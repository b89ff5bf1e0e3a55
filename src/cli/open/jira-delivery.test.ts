import { describe, expect, it } from 'vitest';
import { useTempDirs } from '../../../tests/support/temp-dir.js';
import { loadConfig } from '../../config/config.js';
import { systemClock } from '../../core/clock.js';
import { silentLogger } from '../../core/logger.js';
import { openSharedState } from '../../state/open-state.js';
import type { SharedState } from '../../state/shared-state.js';
import { jiraDoctorStatuses } from '../commands/doctor.js';
import { githubIssuesRepository } from './board-kind.js';
import { jiraDeliversPulls, openJiraDelivery } from './jira-delivery.js';

const JIRA = {
  JIRA_BASE_URL: 'https://acme.atlassian.net',
  JIRA_EMAIL: 'bot@acme.test',
  JIRA_API_TOKEN: 'secret',
  JIRA_JQL: 'project = OPS',
  LEDGER_REMOTE: '/srv/git/ledger.git',
  EXECUTOR: 'codex',
};
const config = (env: Record<string, string>) => loadConfig({ ...JIRA, ...env }, { cwd: '/work' });
const deps = { clock: systemClock(), logger: silentLogger() };
// Not read without a repository for pull requests: the store holds the GitHub client's ETags only.
const store = {} as SharedState;
const tempDir = useTempDirs();

describe('the Jira board’s delivery', () => {
  it('WORKSPACE=none: none (an empty directory per attempt, nothing delivered)', async () => {
    const c = config({ WORKSPACE: 'none', GITHUB_REPOSITORY: 'acme/widgets', GITHUB_TOKEN: 't' });
    expect(jiraDeliversPulls(c)).toBe(false);
    expect(await openJiraDelivery(c, store, deps)).toBeUndefined();
    expect(jiraDoctorStatuses(c)).toEqual({ working: 'In Progress', done: 'Done' });
  });

  it('worktrees without GITHUB_REPOSITORY: a branch, no pull request, no review status', async () => {
    const c = config({ WORKSPACE: 'worktree' });
    expect(jiraDeliversPulls(c)).toBe(false);
    expect(await openJiraDelivery(c, store, deps)).toEqual({
      pulls: null,
      pullRequests: { draft: false, labels: [] },
    });
    expect(jiraDoctorStatuses(c)).not.toHaveProperty('review');
  });

  it('worktrees with GITHUB_REPOSITORY: pull requests, and doctor checks the review status', async () => {
    const c = config({
      WORKSPACE: 'worktree',
      GITHUB_REPOSITORY: 'acme/widgets',
      GITHUB_TOKEN: 't',
      JIRA_STATUS_REVIEW: 'QA',
    });
    expect(jiraDeliversPulls(c)).toBe(true);
    expect(jiraDoctorStatuses(c)).toEqual({ working: 'In Progress', review: 'QA', done: 'Done' });
    // The board is still Jira's: status and the dashboard read no GitHub fleet.
    expect(githubIssuesRepository(c)).toBeUndefined();
    const { JIRA_BASE_URL: _, ...githubOnly } = {
      ...JIRA,
      GITHUB_REPOSITORY: 'acme/widgets',
      GITHUB_TOKEN: 't',
    };
    expect(githubIssuesRepository(loadConfig(githubOnly, { cwd: '/work' }))).toEqual({
      owner: 'acme',
      repo: 'widgets',
    });
    const state = openSharedState({ ...c, stateDir: tempDir() });
    try {
      const delivery = await openJiraDelivery(c, state, deps);
      expect(delivery?.pulls).not.toBeNull();
      expect(typeof delivery?.withdraw).toBe('function');
    } finally {
      state.close();
    }
  });
});
