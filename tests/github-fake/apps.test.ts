/**
 * The fake's GitHub App endpoints over real HTTP: the JWT checked as GitHub checks it (RS256
 * signature by the app's key, issuer, iat, exp within 10 minutes), installation tokens that
 * expire, the bot identity, and the answers against GitHub's OpenAPI schemas.
 */
import { createPrivateKey, sign } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { foreignPrivateKey, makeTestApp } from '../support/github-app.js';
import { type FakeGitHub, startFakeGitHub } from '../support/github-fake/index.js';
import { call, REPO } from './helpers.js';
import { type SchemaCase, validatesAgainstOpenApi } from './openapi-schema.js';

const app = makeTestApp({ slug: 'fleet-bot', appId: 11, installationId: 22 });
let fake: FakeGitHub;

beforeAll(async () => {
  fake = await startFakeGitHub({ apps: [app.fake] });
});
afterAll(() => fake.close());

const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

/** A JWT as @octokit/auth-app makes one (iat 30 s back, exp 10 min on), with overrides. */
function jwt(claims: Record<string, unknown> = {}, key = app.credentials.privateKey, alg = 'RS256'): string {
  const now = Math.floor(Date.now() / 1000);
  const head = `${b64({ alg, typ: 'JWT' })}.${b64({ iat: now - 30, exp: now + 570, iss: 11, ...claims })}`;
  const signature = sign('RSA-SHA256', Buffer.from(head), createPrivateKey(key)).toString('base64url');
  return `${head}.${signature}`;
}

const asApp = (method: string, path: string, token = jwt()) =>
  call(fake.url, method, path, { token: null, headers: { authorization: `Bearer ${token}` } });
const tokenPath = '/app/installations/22/access_tokens';

async function installationToken(): Promise<string> {
  return (await asApp('POST', tokenPath)).body.token as string;
}

describe('GitHub App authentication', () => {
  it('trades a valid JWT for an installation token that acts as the bot', async () => {
    const reply = await asApp('POST', tokenPath);
    expect(reply.status).toBe(201);
    expect(reply.body.token).toMatch(/^ghs_/);
    const expires = Date.parse(reply.body.expires_at);
    expect(expires - Date.now()).toBeGreaterThan(59 * 60_000);
    const issue = await call(fake.url, 'POST', `${REPO}/issues`, { body: { title: 'a task' } });
    const comment = await call(fake.url, 'POST', `${REPO}/issues/${issue.body.number}/comments`, {
      token: reply.body.token,
      body: { body: 'from the app' },
    });
    expect(comment.status).toBe(201);
    expect(comment.body.user).toMatchObject({ login: 'fleet-bot[bot]', type: 'Bot' });
  });

  it.each([
    [
      'a JWT signed by another key',
      () => jwt({}, foreignPrivateKey()),
      'A JSON web token could not be decoded',
    ],
    [
      'another algorithm',
      () => jwt({}, app.credentials.privateKey, 'HS256'),
      'A JSON web token could not be decoded',
    ],
    ['an unknown app id', () => jwt({ iss: 12 }), 'A JSON web token could not be decoded'],
    [
      'an expired JWT',
      () => jwt({ exp: Math.floor(Date.now() / 1000) - 1 }),
      "'Expiration time' claim ('exp') must be",
    ],
    [
      'a JWT valid for more than 10 minutes',
      () => jwt({ exp: Math.floor(Date.now() / 1000) + 3600 }),
      "'Expiration time' claim ('exp') is too far in the future",
    ],
    [
      'a JWT issued in the future',
      () => jwt({ iat: Math.floor(Date.now() / 1000) + 300 }),
      "'Issued at' claim",
    ],
    ['a garbled JWT', () => 'eyJhbGciOi.eyJpc3Mi.c2ln', 'A JSON web token could not be decoded'],
  ])('refuses %s with 401 in GitHub’s shape', async (_what, make, message) => {
    const reply = await asApp('POST', tokenPath, make());
    expect(reply.status).toBe(401);
    expect(reply.body.message).toContain(message);
    expect(reply.body).toMatchObject({
      status: '401',
      documentation_url: expect.stringContaining('docs.github.com'),
    });
  });

  it('keeps credentials to their endpoints', async () => {
    expect((await call(fake.url, 'GET', '/app')).status).toBe(401); // a user's token
    expect((await asApp('GET', REPO)).status).toBe(403); // the JWT outside /app
    expect((await asApp('POST', '/app/installations/23/access_tokens')).status).toBe(404);
    const token = await installationToken();
    expect((await call(fake.url, 'GET', '/user', { token })).body.message).toBe(
      'Resource not accessible by integration',
    );
  });

  it('an expired installation token is Bad credentials; the budget is the installation’s', async () => {
    fake.resetLimits();
    const first = await installationToken();
    await call(fake.url, 'GET', REPO, { token: first });
    const second = await installationToken();
    const limits = await call(fake.url, 'GET', '/rate_limit', { token: second });
    expect(limits.body.resources.core).toMatchObject({ limit: 5000, used: 1 }); // shared by both tokens
    fake.apps.expireTokens();
    const refused = await call(fake.url, 'GET', REPO, { token: first });
    expect(refused.status).toBe(401);
    expect(refused.body.message).toBe('Bad credentials');
  });
});

const cases: SchemaCase[] = [
  ['POST', '/app/installations/{installation_id}/access_tokens', 201, () => asApp('POST', tokenPath)],
  [
    'POST',
    '/app/installations/{installation_id}/access_tokens',
    401,
    () => asApp('POST', tokenPath, jwt({}, foreignPrivateKey())),
  ],
  ['GET', '/app', 200, () => asApp('GET', '/app')],
  [
    'GET',
    '/installation/repositories',
    200,
    async () => call(fake.url, 'GET', '/installation/repositories', { token: await installationToken() }),
  ],
  ['GET', '/user', 200, () => call(fake.url, 'GET', '/user')],
];
validatesAgainstOpenApi(cases);
