import { describe, expect, it } from 'vitest';
import { ConfigError } from '../core/errors.js';
import { loadConfig } from './config.js';

function problems(env: Record<string, string>, repo: Record<string, string> = REPO): string[] {
  try {
    loadConfig({ ...repo, ...env }, { cwd: '/work' });
    return [];
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    return [...error.problems];
  }
}

const REPO = { GITHUB_REPOSITORY: 'acme/widgets', GITHUB_TOKEN: 'test-token', EXECUTOR: 'noop' };
const project = (env: Record<string, string>) =>
  loadConfig({ ...REPO, ...env }, { cwd: '/work' }).github.project;

describe('GitHub Projects configuration', () => {
  it('is off without GITHUB_PROJECT', () => {
    expect(project({})).toBeUndefined();
  });

  it('reads a number (the repository owner’s project) or an org, user or view URL', () => {
    expect(project({ GITHUB_PROJECT: '3' })).toEqual({
      owner: null,
      number: 3,
      statusField: 'Status',
      statusMap: { claimed: 'In progress', review: 'In review', done: 'Done', poisoned: 'Blocked' },
      readyStatus: undefined,
    });
    expect(project({ GITHUB_PROJECT: 'https://github.com/orgs/acme/projects/12' })).toMatchObject({
      owner: 'acme',
      number: 12,
    });
    expect(project({ GITHUB_PROJECT: 'https://github.com/users/mona/projects/4/views/2' })).toMatchObject({
      owner: 'mona',
      number: 4,
    });
  });

  it('maps states to options; a state mapped to nothing leaves the card alone', () => {
    const config = project({
      GITHUB_PROJECT: '1',
      PROJECT_STATUS_FIELD: 'Stage',
      PROJECT_STATUS_MAP: 'claimed=Doing, done=Shipped, poisoned=',
      PROJECT_READY_STATUS: 'Ready',
    });
    expect(config).toMatchObject({
      statusField: 'Stage',
      statusMap: { claimed: 'Doing', done: 'Shipped' },
      readyStatus: 'Ready',
    });
  });

  it('names the bad value and what to do', () => {
    expect(problems({ GITHUB_PROJECT: '3' }, {}).join('\n')).toMatch(
      /GITHUB_PROJECT="3" is set but GITHUB_REPOSITORY is not/,
    );
    expect(problems({ GITHUB_PROJECT: 'acme/3' }).join('\n')).toMatch(/GITHUB_PROJECT.*acme\/3/);
    expect(problems({ GITHUB_PROJECT: '0' }).join('\n')).toMatch(/GITHUB_PROJECT="0" is not a project/);
    expect(problems({ GITHUB_PROJECT: '1', PROJECT_STATUS_MAP: 'working=Doing' }).join('\n')).toMatch(
      /unknown state "working"; use claimed, review, done, poisoned/,
    );
    expect(problems({ GITHUB_PROJECT: '1', PROJECT_STATUS_MAP: 'done=A,done=B' }).join('\n')).toMatch(
      /done is mapped twice/,
    );
    expect(problems({ GITHUB_PROJECT: '1', PROJECT_STATUS_MAP: 'Doing' }).join('\n')).toMatch(
      /PROJECT_STATUS_MAP/,
    );
  });
});
