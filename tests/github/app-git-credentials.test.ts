/**
 * git over HTTPS with a GitHub App's installation token: a smart-HTTP remote that accepts
 * exactly the tokens the fake GitHub holds live, pushes through the askpass program, and a
 * token that expires between two pushes — the second push asks afresh and gets a new one.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createGitHubAppAuth } from '../../src/boards/github/http/index.js';
import { ManualClock } from '../../src/core/clock.js';
import { commitAll, ensureAskpass, pushBranch, tokenGitCredentials } from '../../src/workspaces/index.js';
import { makeTestApp } from '../support/github-app.js';
import { type FakeGitHub, startFakeGitHub } from '../support/github-fake/index.js';
import { useTempDirs } from '../support/temp-dir.js';
import { gitFixture } from '../workspaces/git-fixture.js';
import { type GitHttpServer, startGitHttpServer } from '../workspaces/git-http-server.js';

const tempDir = useTempDirs();
const app = makeTestApp();
let fake: FakeGitHub;
const servers: GitHttpServer[] = [];

beforeAll(async () => {
  fake = await startFakeGitHub({ apps: [app.fake] });
});
afterAll(() => fake.close());
afterEach(async () => {
  for (const server of servers.splice(0)) await server.close();
});

describe('git with a GitHub App installation token', () => {
  it('pushes with the live token, and with a fresh one once the first has expired', async () => {
    const repo = gitFixture(tempDir());
    // GitHub's git accepts the installation's live tokens, nothing else.
    const tokens = {
      read: [] as string[],
      get write() {
        return fake.apps.liveTokens();
      },
    };
    const server = await startGitHttpServer(join(repo.dir, 'remote'), tokens);
    servers.push(server);
    repo.git(['remote', 'set-url', 'origin', `${server.url}/acme/widgets.git`]);
    const clock = new ManualClock(Date.now());
    const auth = createGitHubAppAuth({ credentials: app.credentials, baseUrl: fake.url, clock });
    const credentials = tokenGitCredentials(
      async () => (await auth.installationToken()).token,
      ensureAskpass(join(repo.dir, 'state')),
    );
    const push = async (branch: string) => {
      writeFileSync(join(repo.clone, `${branch.replace(/\W/g, '-')}.txt`), branch);
      await commitAll(repo.clone, { message: branch, env: repo.env });
      return pushBranch(repo.clone, {
        remote: 'origin',
        branch,
        expectedRemoteSha: null,
        env: repo.env,
        credentials,
      });
    };

    expect(await push('codex/1-first')).toMatchObject({ ok: true });
    const first = server.passwordsSeen.at(-1)!;
    expect(first).toMatch(/^ghs_/);

    clock.advance(55 * 60_000); // inside the refresh margin of a one-hour token
    fake.apps.expireTokens(); // and GitHub no longer takes it
    expect(await push('codex/2-second')).toMatchObject({ ok: true });
    const second = server.passwordsSeen.at(-1)!;
    expect(second).toMatch(/^ghs_/);
    expect(second).not.toBe(first);
    expect(repo.git(['rev-parse', 'refs/heads/codex/2-second'], repo.remote)).toBe(
      repo.git(['rev-parse', 'HEAD']),
    );
  });
});
