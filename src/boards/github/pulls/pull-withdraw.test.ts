/** withdrawPull against scripted GitHub answers: what a fenced attempt takes back, and what it leaves. */
import nock from 'nock';
import { describe, expect, it } from 'vitest';
import { useStrictNock } from '../../../../tests/support/strict-nock.js';
import { silentLogger } from '../../../core/logger.js';
import { MemoryKeyValueStore } from '../../../state/kv-store.js';
import { createGitHubClient } from '../http/index.js';
import { PullRequests } from './pull-requests.js';
import { withdrawPull } from './pull-withdraw.js';

const API = 'https://api.github.test';
const LIST = '/repos/acme/widgets/pulls?state=open&head=acme%3Acodex%2F7-fix&per_page=100';
const REF = '/repos/acme/widgets/git/ref/heads%2Fcodex%2F7-fix';
const DELETE_REF = '/repos/acme/widgets/git/refs/heads%2Fcodex%2F7-fix';
const PUSHED = 'a'.repeat(40);
const DELIVERED = { number: 12, branch: 'codex/7-fix', pushedSha: PUSHED };

function context() {
  const client = createGitHubClient({
    baseUrl: API,
    token: 'ghp_test',
    etags: new MemoryKeyValueStore(),
    logger: silentLogger(),
    pacing: false,
    waitUnitMs: 1,
  });
  return {
    client,
    owner: 'acme',
    repo: 'widgets',
    pulls: new PullRequests({ client, owner: 'acme', repo: 'widgets' }),
  };
}

const pr = (number: number, headSha: string) => ({
  number,
  html_url: `https://github.com/acme/widgets/pull/${number}`,
  title: 'Fix it',
  body: 'Fixes #7',
  draft: false,
  head: { ref: 'codex/7-fix', label: 'acme:codex/7-fix', sha: headSha },
  base: { ref: 'main' },
  labels: [],
});
const ref = (sha: string) => ({ ref: 'refs/heads/codex/7-fix', object: { sha, type: 'commit' } });
/** The list read bypasses the ETag cache: the fenced attempt needs the head as it is now. */
const freshList = (body: unknown[]) =>
  nock(API, { badheaders: ['if-none-match'] })
    .get(LIST)
    .reply(200, body);

useStrictNock();

describe('withdrawPull', () => {
  it('closes the pull request and deletes its branch while the branch holds what the attempt pushed', async () => {
    freshList([pr(12, PUSHED)]);
    nock(API)
      .patch('/repos/acme/widgets/pulls/12', { state: 'closed' })
      .reply(200, pr(12, PUSHED))
      .get(REF)
      .reply(200, ref(PUSHED))
      .delete(DELETE_REF)
      .reply(204);
    expect(await withdrawPull(context(), DELIVERED)).toBe('withdrawn');
  });

  it('leaves both to the owner who pushed on top', async () => {
    freshList([pr(12, 'b'.repeat(40))]);
    expect(await withdrawPull(context(), DELIVERED)).toBe('adopted');
  });

  it('does nothing when the pull request is no longer open, or another one is', async () => {
    freshList([]);
    expect(await withdrawPull(context(), DELIVERED)).toBe('gone');
    freshList([pr(14, PUSHED)]);
    expect(await withdrawPull(context(), DELIVERED)).toBe('gone');
  });

  it('keeps the branch when it moved after the check, and takes a branch already deleted as done', async () => {
    freshList([pr(12, PUSHED)]);
    nock(API)
      .patch('/repos/acme/widgets/pulls/12', { state: 'closed' })
      .reply(200, pr(12, PUSHED))
      .get(REF)
      .reply(200, ref('c'.repeat(40)));
    expect(await withdrawPull(context(), DELIVERED)).toBe('withdrawn');

    freshList([pr(12, PUSHED)]);
    nock(API)
      .patch('/repos/acme/widgets/pulls/12', { state: 'closed' })
      .reply(200, pr(12, PUSHED))
      .get(REF)
      .reply(404, { message: 'Not Found' });
    expect(await withdrawPull(context(), DELIVERED)).toBe('withdrawn');
  });
});
