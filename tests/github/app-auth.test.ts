/**
 * The REST client authenticated as a GitHub App installation, against the fake: the bot is the
 * author of what it writes, its budget is the installation's own, the token is refreshed
 * before it expires, ETags, retries and rate limits work as with a token, and a wrong key or
 * installation fails at the first request, clearly.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createGitHubAppAuth,
  createGitHubClient,
  GitHubAppAuthError,
  type GitHubAppCredentials,
  GitHubRateLimitedError,
  GitHubUnavailableError,
  type LimitInfo,
} from '../../src/boards/github/http/index.js';
import { ManualClock } from '../../src/core/clock.js';
import { silentLogger } from '../../src/core/logger.js';
import { MemoryKeyValueStore } from '../../src/state/kv-store.js';
import { foreignPrivateKey, makeTestApp } from '../support/github-app.js';
import { type FakeGitHub, startFakeGitHub } from '../support/github-fake/index.js';

const app = makeTestApp({ slug: 'codex-fleet' });
/** An installation with a budget of 3 requests an hour. */
const tiny = makeTestApp({ slug: 'tiny', appId: 5, installationId: 6 });
let fake: FakeGitHub;

beforeAll(async () => {
  fake = await startFakeGitHub({ apps: [app.fake, { ...tiny.fake, primaryLimit: 3 }] });
});
afterAll(() => fake.close());

function appClient(
  credentials: GitHubAppCredentials = app.credentials,
  clock = new ManualClock(Date.now()),
  onLimit?: (info: LimitInfo) => void,
) {
  const auth = createGitHubAppAuth({ credentials, baseUrl: fake.url, clock });
  const client = createGitHubClient({
    baseUrl: fake.url,
    app: auth,
    etags: new MemoryKeyValueStore(),
    logger: silentLogger(),
    pacing: false,
    waitUnitMs: 1,
    ...(onLimit ? { onLimit } : {}),
  });
  return { auth, client, clock };
}

describe('a GitHub App installation', () => {
  it("writes as the app's bot user", async () => {
    const { client } = appClient();
    const { data: issue } = await client.rest.issues.create({
      owner: 'acme',
      repo: 'widgets',
      title: 'by the app',
    });
    const { data: comment } = await client.rest.issues.createComment({
      owner: 'acme',
      repo: 'widgets',
      issue_number: issue.number,
      body: 'hello from the fleet',
    });
    expect(comment.user).toMatchObject({ login: 'codex-fleet[bot]', type: 'Bot' });
    expect(comment.author_association).toBe('NONE');
    expect(fake.state.comments('acme/widgets', issue.number).at(-1)?.user).toBe('codex-fleet[bot]');
  });

  it("spends the installation's budget, not the user's", async () => {
    fake.resetLimits();
    const { client } = appClient();
    await client.rest.repos.get({ owner: 'acme', repo: 'widgets' });
    await client.rest.repos.get({ owner: 'acme', repo: 'widgets' }); // 304: free
    await client.rest.issues.listForRepo({ owner: 'acme', repo: 'widgets' });
    const installation = (await client.rest.rateLimit.get()).data.resources.core;
    const user = createGitHubClient({
      baseUrl: fake.url,
      token: 'test-token',
      etags: new MemoryKeyValueStore(),
      logger: silentLogger(),
      pacing: false,
    });
    const mine = (await user.rest.rateLimit.get()).data.resources.core;
    expect(installation).toMatchObject({ limit: 5000, used: 2 });
    expect(mine).toMatchObject({ limit: 5000, used: 0 });
    expect(fake.stats().notModified).toBeGreaterThan(0);
  });

  it('refreshes the token before it expires; requests go on with the new one', async () => {
    const { client, auth, clock } = appClient();
    const before = fake.apps.tokensIssued();
    await client.rest.repos.get({ owner: 'acme', repo: 'widgets' });
    const first = await auth.installationToken();
    expect(fake.apps.tokensIssued()).toBe(before + 1);

    // 55 minutes on: inside the refresh margin of a one-hour token. GitHub then ends it.
    clock.advance(55 * 60_000);
    fake.apps.expireTokens();
    const { data } = await client.rest.issues.listForRepo({ owner: 'acme', repo: 'widgets' });
    expect(Array.isArray(data)).toBe(true);
    expect(fake.apps.tokensIssued()).toBe(before + 2);
    // The old token is refused now (it is in no request that succeeded above).
    const old = await fetch(`${fake.url}/repos/acme/widgets`, {
      headers: { authorization: `token ${first.token}` },
    });
    expect(old.status).toBe(401);
  });

  it('a key that is not the app’s fails at the first request with what to check', async () => {
    const { client } = appClient({ ...app.credentials, privateKey: foreignPrivateKey() });
    const error = await client.rest.repos.get({ owner: 'acme', repo: 'widgets' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GitHubAppAuthError);
    expect(error).toMatchObject({ code: 'GITHUB_APP_AUTH', status: 401 });
    expect((error as Error).message).toMatch(/GITHUB_APP_PRIVATE_KEY/);
    expect((error as Error).message).toMatch(/A JSON web token could not be decoded/);
  });

  it('an installation id the app does not have is named', async () => {
    const { auth } = appClient({ ...app.credentials, installationId: 999 });
    const error = await auth.installationToken().catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'GITHUB_APP_AUTH', status: 404 });
    expect((error as Error).message).toMatch(/GITHUB_APP_INSTALLATION_ID/);
  });

  it('the app endpoint takes the JWT', async () => {
    const { client } = appClient();
    const { data } = await client.rest.apps.getAuthenticated();
    expect(data).toMatchObject({ id: app.fake.appId, slug: 'codex-fleet' });
  });

  it('retries a 5xx and meets the installation’s rate limit as a token’s', async () => {
    const { client } = appClient();
    await client.rest.repos.get({ owner: 'acme', repo: 'widgets' }); // the token is cached
    fake.resetStats();
    fake.setKnobs({ errorRate: 1 });
    try {
      const failed = await client.rest.issues
        .get({ owner: 'acme', repo: 'widgets', issue_number: 1 })
        .catch((e) => e);
      expect(failed).toBeInstanceOf(GitHubUnavailableError);
      expect(fake.stats().injected5xx).toBe(4); // the request and its 3 retries
    } finally {
      fake.setKnobs({ errorRate: 0 });
    }

    const limits: LimitInfo[] = [];
    const small = appClient(tiny.credentials, undefined, (info) => limits.push(info)).client;
    for (let i = 0; i < 3; i++)
      await small.rest.issues.listForRepo({ owner: 'acme', repo: 'widgets', page: i + 1 });
    const refused = await small.rest.issues
      .listForRepo({ owner: 'acme', repo: 'widgets', page: 9 })
      .catch((e) => e);
    expect(refused).toBeInstanceOf(GitHubRateLimitedError);
    expect(refused).toMatchObject({ kind: 'primary' });
    expect(limits.map((l) => l.kind)).toContain('primary');
  });
});
