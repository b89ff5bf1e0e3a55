/** Pull request reviews and the GraphQL un-draft mutation, against the fake over real HTTP. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, REPO } from './helpers.js';
import { type FakeWithGit, openPull, REVIEW_TOKENS, startFakeWithGit } from './pull-setup.js';

let ctx: FakeWithGit;
/** `test-token` acts as test-user (the author of every PR here); `rev` as reviewer-bot. */
const api = (method: string, path: string, body?: unknown, token?: string) =>
  call(ctx.fake.url, method, path, { body, token });
const reviews = (n: number) => `${REPO}/pulls/${n}/reviews`;

beforeAll(async () => {
  ctx = await startFakeWithGit({
    tokens: [...REVIEW_TOKENS, { token: 'pr-read', login: 'reader', pullRequests: 'read' as const }],
  });
});
afterAll(() => ctx.stop());

describe('pull request reviews', () => {
  it("refuses the author's own approval and change request, as GitHub does", async () => {
    const pr = await openPull(ctx, 'reviews/own');
    const approve = await api('POST', reviews(pr.number), { event: 'APPROVE' });
    expect(approve.status).toBe(422);
    expect(approve.body.message).toBe('Unprocessable Entity');
    expect(approve.body.errors).toEqual(['Can not approve your own pull request']);
    const changes = await api('POST', reviews(pr.number), { event: 'REQUEST_CHANGES', body: 'no' });
    expect(changes.body.errors).toEqual(['Can not request changes on your own pull request']);
    // A comment on one's own pull request is allowed.
    const comment = await api('POST', reviews(pr.number), { event: 'COMMENT', body: 'note to self' });
    expect(comment.status).toBe(200);
    expect(comment.body.state).toBe('COMMENTED');
  });

  it("records another user's verdicts on the head commit, listed in order with their association", async () => {
    const pr = await openPull(ctx, 'reviews/other');
    const changes = await api('POST', reviews(pr.number), { event: 'REQUEST_CHANGES', body: 'fix x' }, 'rev');
    expect(changes.status).toBe(200);
    expect(changes.body).toMatchObject({ state: 'CHANGES_REQUESTED', body: 'fix x', commit_id: pr.head.sha });
    expect(changes.body.user.login).toBe('reviewer-bot');
    const human = await api('POST', reviews(pr.number), { event: 'APPROVE' }, 'human');
    expect(human.body).toMatchObject({ state: 'APPROVED', author_association: 'COLLABORATOR' });
    const list = await api('GET', reviews(pr.number));
    expect(list.body.map((r: { id: number; state: string }) => [r.id, r.state])).toEqual([
      [changes.body.id, 'CHANGES_REQUESTED'],
      [human.body.id, 'APPROVED'],
    ]);
    const one = await api('GET', `${reviews(pr.number)}/${human.body.id}`);
    expect(one.body.submitted_at).toBe(human.body.submitted_at);
    // Another pull request's review id is not found under this one.
    const other = await openPull(ctx, 'reviews/other2');
    expect((await api('GET', `${reviews(other.number)}/${human.body.id}`)).status).toBe(404);
  });

  it('requires a body for REQUEST_CHANGES and COMMENT and a known event', async () => {
    const pr = await openPull(ctx, 'reviews/body');
    const bare = await api('POST', reviews(pr.number), { event: 'REQUEST_CHANGES' }, 'rev');
    expect(bare.status).toBe(422);
    expect(bare.body.errors[0]).toMatch(/Body is required/);
    const unknown = await api('POST', reviews(pr.number), { event: 'MERGE' }, 'rev');
    expect(unknown.status).toBe(422);
    expect(unknown.body.message).toMatch(/'event'/);
    const readOnly = await api('POST', reviews(pr.number), { event: 'APPROVE' }, 'pr-read');
    expect(readOnly.status).toBe(403);
  });

  it('keeps a pending review private to its author, one per user', async () => {
    const pr = await openPull(ctx, 'reviews/pending');
    const pending = await api('POST', reviews(pr.number), { body: 'draft' }, 'rev');
    expect(pending.body.state).toBe('PENDING');
    expect(pending.body.submitted_at).toBeUndefined();
    expect((await api('POST', reviews(pr.number), {}, 'rev')).body.errors).toEqual([
      'User can only have one pending review per pull request',
    ]);
    expect((await api('GET', reviews(pr.number), undefined, 'rev')).body).toHaveLength(1);
    expect((await api('GET', reviews(pr.number))).body).toHaveLength(0);
  });

  it('dismisses an approval or a change request, never a comment', async () => {
    const pr = await openPull(ctx, 'reviews/dismiss');
    const approval = await api('POST', reviews(pr.number), { event: 'APPROVE' }, 'rev');
    const path = `${reviews(pr.number)}/${approval.body.id}/dismissals`;
    expect((await api('PUT', path, {})).status).toBe(422);
    const dismissed = await api('PUT', path, {
      message: 'fenced: the reviewer lost its claim',
      event: 'DISMISS',
    });
    expect(dismissed.status).toBe(200);
    expect(dismissed.body.state).toBe('DISMISSED');
    expect((await api('GET', reviews(pr.number))).body[0].state).toBe('DISMISSED');
    const comment = await api('POST', reviews(pr.number), { event: 'COMMENT', body: 'c' }, 'rev');
    const refused = await api('PUT', `${reviews(pr.number)}/${comment.body.id}/dismissals`, { message: 'm' });
    expect(refused.body.errors).toEqual(['Can not dismiss a commented pull request review']);
  });
});

describe('GraphQL markPullRequestReadyForReview', () => {
  const MUTATION = `mutation Ready($id: ID!) {
    markPullRequestReadyForReview(input: { pullRequestId: $id }) { pullRequest { number isDraft } }
  }`;

  it('takes a draft out of draft, which REST PATCH cannot', async () => {
    const pr = await openPull(ctx, 'reviews/draft', { draft: true });
    expect(pr.draft).toBe(true);
    // REST ignores `draft`, as GitHub does.
    await api('PATCH', `${REPO}/pulls/${pr.number}`, { draft: false });
    expect((await api('GET', `${REPO}/pulls/${pr.number}`)).body.draft).toBe(true);
    const reply = await api('POST', '/graphql', { query: MUTATION, variables: { id: pr.node_id } });
    expect(reply.status).toBe(200);
    expect(reply.body).toEqual({
      data: { markPullRequestReadyForReview: { pullRequest: { number: pr.number, isDraft: false } } },
    });
    expect((await api('GET', `${REPO}/pulls/${pr.number}`)).body.draft).toBe(false);
  });

  it('answers an unknown node and any other query with errors, as GraphQL does', async () => {
    const missing = await api('POST', '/graphql', { query: MUTATION, variables: { id: 'nope' } });
    expect(missing.status).toBe(200);
    expect(missing.body.errors[0]).toMatchObject({ type: 'NOT_FOUND' });
    const other = await api('POST', '/graphql', { query: '{ viewer { login } }' });
    expect(other.body.errors[0].message).toMatch(/does not serve query.viewer/);
    // A permission GraphQL lacks is refused per field, in a 200 (not a 403 as REST answers).
    const readOnly = await api('POST', '/graphql', { query: MUTATION, variables: { id: 'x' } }, 'pr-read');
    expect(readOnly.status).toBe(200);
    expect(readOnly.body.data).toEqual({ markPullRequestReadyForReview: null });
    expect(readOnly.body.errors[0]).toMatchObject({
      type: 'FORBIDDEN',
      path: ['markPullRequestReadyForReview'],
      extensions: { saml_failure: false },
      message: 'Resource not accessible by personal access token',
    });
  });
});
