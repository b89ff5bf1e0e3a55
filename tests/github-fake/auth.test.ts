/** Authentication and fine-grained token permissions. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FakeGitHub, startFakeGitHub } from '../support/github-fake/index.js';
import { call, REPO } from './helpers.js';

let fake: FakeGitHub;
let sha: string;

beforeAll(async () => {
  fake = await startFakeGitHub({
    tokens: [
      { token: 'full' },
      { token: 'issues-only', contents: 'none', issues: 'write' },
      { token: 'contents-read', contents: 'read', issues: 'read' },
    ],
  });
  sha = fake.state.ref('acme/widgets', 'heads/main')!;
});
afterAll(async () => {
  await fake.close();
});

describe('authentication', () => {
  it('401 "Requires authentication" without a token, "Bad credentials" with an unknown one', async () => {
    const none = await call(fake.url, 'GET', REPO, { token: null });
    expect(none.status).toBe(401);
    expect(none.body.message).toBe('Requires authentication');
    const bad = await call(fake.url, 'GET', REPO, { token: 'nope' });
    expect(bad.status).toBe(401);
    expect(bad.body.message).toBe('Bad credentials');
    expect(bad.body.documentation_url).toMatch(/^https:\/\/docs\.github\.com\//);
    expect(fake.stats().byStatus['401']).toBe(2);
  });

  it('a revoked token is answered 401 "Bad credentials" until it is restored', async () => {
    fake.auth.revoke('full');
    try {
      const revoked = await call(fake.url, 'GET', REPO, { token: 'full' });
      expect([revoked.status, revoked.body.message]).toEqual([401, 'Bad credentials']);
    } finally {
      fake.auth.restore('full');
    }
    expect((await call(fake.url, 'GET', REPO, { token: 'full' })).status).toBe(200);
  });

  it('accepts both `token X` and `Bearer X`', async () => {
    const bearer = await call(fake.url, 'GET', REPO, {
      token: null,
      headers: { authorization: 'Bearer full' },
    });
    expect(bearer.status).toBe(200);
    expect(bearer.body.full_name).toBe('acme/widgets');
  });

  it('the default token profile when none is configured is test-token with full rights', async () => {
    const f = await startFakeGitHub();
    try {
      const reply = await call(f.url, 'POST', `${REPO}/git/refs`, {
        body: { ref: 'refs/x/y', sha: f.state.ref('acme/widgets', 'heads/main') },
      });
      expect(reply.status).toBe(201);
    } finally {
      await f.close();
    }
  });

  it('an unknown repository is a 404', async () => {
    const reply = await call(fake.url, 'GET', '/repos/acme/missing/issues', { token: 'full' });
    expect(reply.status).toBe(404);
    expect(reply.body.message).toBe('Not Found');
  });
});

describe('permissions', () => {
  it('a token without contents permission cannot touch git data, but works on issues', async () => {
    const opts = { token: 'issues-only' };
    const create = await call(fake.url, 'POST', `${REPO}/git/refs`, {
      ...opts,
      body: { ref: 'refs/a/b', sha },
    });
    expect(create.status).toBe(403);
    expect(create.body.message).toBe('Resource not accessible by personal access token');
    expect(create.headers.get('x-accepted-github-permissions')).toBe('contents=write');
    expect(fake.state.ref('acme/widgets', 'a/b')).toBeUndefined();
    expect((await call(fake.url, 'GET', `${REPO}/git/ref/heads/main`, opts)).status).toBe(403);
    expect((await call(fake.url, 'POST', `${REPO}/issues`, { ...opts, body: { title: 'ok' } })).status).toBe(
      201,
    );
    // Repository metadata is always readable.
    const repo = await call(fake.url, 'GET', REPO, opts);
    expect(repo.status).toBe(200);
    expect(repo.body.permissions.push).toBe(false);
  });

  it('read permission allows GETs and refuses writes', async () => {
    const opts = { token: 'contents-read' };
    expect((await call(fake.url, 'GET', `${REPO}/git/ref/heads/main`, opts)).status).toBe(200);
    expect((await call(fake.url, 'GET', `${REPO}/issues`, opts)).status).toBe(200);
    const patch = await call(fake.url, 'PATCH', `${REPO}/git/refs/heads/main`, { ...opts, body: { sha } });
    expect(patch.status).toBe(403);
    const label = await call(fake.url, 'POST', `${REPO}/labels`, { ...opts, body: { name: 'x' } });
    expect(label.status).toBe(403);
    expect(label.headers.get('x-accepted-github-permissions')).toBe('issues=write');
  });

  it('content created with a token carries its user and association', async () => {
    const reply = await call(fake.url, 'POST', `${REPO}/issues`, { token: 'full', body: { title: 'who' } });
    expect(reply.body.user.login).toBe('test-user');
    expect(reply.body.author_association).toBe('MEMBER');
  });
});
