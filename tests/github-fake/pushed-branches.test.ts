/**
 * Branches pushed over git, seen through the API: the single-ref read and the delete reach the
 * bare repository; and the knob that holds the answer to a pull request's create.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { branchSha, pushBranch } from '../support/github-fake/index.js';
import { call, REPO } from './helpers.js';
import { type FakeWithGit, startFakeWithGit } from './pull-setup.js';

let ctx: FakeWithGit;
afterEach(() => ctx.stop());

describe('branches pushed over git, through the git data API', () => {
  it('GET /git/ref/heads/… reads the pushed branch, DELETE /git/refs/heads/… removes it', async () => {
    ctx = await startFakeWithGit();
    const sha = pushBranch(ctx.remote, 'codex/7-fix', { 'fix.txt': 'fixed\n' });
    const read = await call(ctx.fake.url, 'GET', `${REPO}/git/ref/heads/codex/7-fix`);
    expect(read.status).toBe(200);
    expect(read.body).toMatchObject({ ref: 'refs/heads/codex/7-fix', object: { sha, type: 'commit' } });

    expect((await call(ctx.fake.url, 'DELETE', `${REPO}/git/refs/heads/codex/7-fix`)).status).toBe(204);
    expect(branchSha(ctx.remote, 'codex/7-fix')).toBeNull();
    expect((await call(ctx.fake.url, 'GET', `${REPO}/git/ref/heads/codex/7-fix`)).status).toBe(404);
    const again = await call(ctx.fake.url, 'DELETE', `${REPO}/git/refs/heads/codex/7-fix`);
    expect(again.status).toBe(422);
  });
});

describe('knob pullCreateAnswerDelayMs', () => {
  it('creates the pull request at once and holds only its answer', async () => {
    ctx = await startFakeWithGit({ knobs: { pullCreateAnswerDelayMs: 10_000 } });
    pushBranch(ctx.remote, 'codex/7-fix', { 'fix.txt': 'fixed\n' });
    const body = { title: 'Fix', head: 'acme:codex/7-fix', base: 'main' };
    let answered = false;
    const pending = call(ctx.fake.url, 'POST', `${REPO}/pulls`, { body }).then(
      () => {
        answered = true;
      },
      () => undefined,
    );
    for (let i = 0; i < 100 && ctx.fake.state.pulls('acme/widgets').length === 0; i++) {
      await new Promise((r) => setTimeout(r, 20));
    }
    expect(ctx.fake.state.pulls('acme/widgets').map((p) => p.title)).toEqual(['Fix']);
    expect(answered).toBe(false);
    await ctx.stop(); // cuts the held answer
    await pending;
  });
});
