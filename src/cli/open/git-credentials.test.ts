import { describe, expect, it } from 'vitest';
import { makeTestApp } from '../../../tests/support/github-app.js';
import { useTempDirs } from '../../../tests/support/temp-dir.js';
import type { GitHubAppAuth } from '../../boards/github/http/index.js';
import { loadConfig } from '../../config/config.js';
import { GIT_TOKEN_VAR } from '../../workspaces/index.js';
import { gitCredentialsFor } from './git-credentials.js';

const tempDir = useTempDirs();
const config = (env: Record<string, string>) =>
  loadConfig({ CODEX_MONITOR_STATE_DIR: tempDir(), ...env }, { cwd: '/work' });

/** An app whose installation token changes on every call, as one refreshed hourly does. */
function rotatingApp(): GitHubAppAuth {
  let n = 0;
  return {
    installationToken: async () => ({ token: `ghs_${++n}`, expiresAt: '2030-01-01T00:00:00Z' }),
  } as GitHubAppAuth;
}

describe('the credentials git gets', () => {
  it('are the user’s own unless GIT_PUSH_WITH_TOKEN=true', async () => {
    expect(await gitCredentialsFor(config({ GITHUB_TOKEN: 't' }), undefined)()).toEqual({});
    expect(await gitCredentialsFor(config({}), rotatingApp())()).toEqual({});
  });

  it('carry GITHUB_TOKEN through the askpass program', async () => {
    const env = await gitCredentialsFor(
      config({ GITHUB_TOKEN: 'ghp_x', GIT_PUSH_WITH_TOKEN: 'true' }),
      undefined,
    )();
    expect(env).toMatchObject({
      [GIT_TOKEN_VAR]: 'ghp_x',
      GIT_ASKPASS: expect.stringMatching(/git-askpass\.sh$/),
    });
  });

  it('ask the app for its installation token before every git call', async () => {
    const { credentials: app } = makeTestApp();
    const withApp = config({
      GIT_PUSH_WITH_TOKEN: 'true',
      GITHUB_APP_ID: app.appId,
      GITHUB_APP_PRIVATE_KEY: app.privateKey,
      GITHUB_APP_INSTALLATION_ID: String(app.installationId),
    });
    const credentials = gitCredentialsFor(withApp, rotatingApp());
    expect((await credentials())[GIT_TOKEN_VAR]).toBe('ghs_1');
    expect((await credentials())[GIT_TOKEN_VAR]).toBe('ghs_2');
  });
});
