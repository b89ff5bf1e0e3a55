/** Octokit, unchanged, against the fake: typed methods, paginate, errors, conditional requests. */
import { Octokit } from '@octokit/rest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FakeGitHub, startFakeGitHub } from '../support/github-fake/index.js';

let fake: FakeGitHub;
let octokit: Octokit;
const repo = { owner: 'acme', repo: 'widgets' };

beforeAll(async () => {
  const issues = Array.from({ length: 45 }, (_, i) => ({
    title: `issue ${i + 1}`,
    comments: i === 0 ? Array.from({ length: 130 }, (_, j) => ({ body: `comment ${j}` })) : [],
  }));
  fake = await startFakeGitHub({ seed: { repos: [{ owner: 'acme', name: 'widgets', issues }] } });
  // Octokit logs failed requests; the failures here are expected.
  const quiet = () => {};
  octokit = new Octokit({
    baseUrl: fake.url,
    auth: 'test-token',
    log: { debug: quiet, info: quiet, warn: quiet, error: quiet },
  });
});
afterAll(async () => {
  await fake.close();
});

describe('Octokit against the fake', () => {
  it('paginates issues and comments through Link headers', async () => {
    fake.resetStats();
    const issues = await octokit.paginate(octokit.issues.listForRepo, { ...repo, per_page: 10 });
    expect(issues.map((i) => i.number)).toEqual(Array.from({ length: 45 }, (_, i) => 45 - i));
    const comments = await octokit.paginate(octokit.issues.listComments, {
      ...repo,
      issue_number: 1,
      per_page: 100,
    });
    expect(comments.map((c) => c.body)).toEqual(Array.from({ length: 130 }, (_, j) => `comment ${j}`));
    const stats = fake.stats();
    // Pages 2+ are requested through /repositories/{id}/..., still one route template each.
    expect(stats.byRoute['GET /repos/{owner}/{repo}/issues']).toBe(5);
    expect(stats.byRoute['GET /repos/{owner}/{repo}/issues/{issue_number}/comments']).toBe(2);
  });

  it('runs the claim primitive: commit, create ref, CAS update, matching-refs', async () => {
    const { data: main } = await octokit.git.getRef({ ...repo, ref: 'heads/main' });
    const { data: head } = await octokit.git.getCommit({ ...repo, commit_sha: main.object.sha });
    const { data: tree } = await octokit.git.getTree({ ...repo, tree_sha: head.tree.sha });
    expect(tree.tree.map((e) => e.path)).toContain('README.md');
    const claim = await octokit.git.createCommit({
      ...repo,
      message: '{"kind":"claim","owner":"a","epoch":1}',
      tree: head.tree.sha,
      parents: [main.object.sha],
    });
    await octokit.git.createRef({ ...repo, ref: 'refs/codex-monitor/tasks/7', sha: claim.data.sha });
    const release = await octokit.git.createCommit({
      ...repo,
      message: '{"kind":"release","owner":"a","epoch":1}',
      tree: head.tree.sha,
      parents: [claim.data.sha],
    });
    const updated = await octokit.git.updateRef({
      ...repo,
      ref: 'codex-monitor/tasks/7',
      sha: release.data.sha,
    });
    expect(updated.data.object.sha).toBe(release.data.sha);
    const { data: refs } = await octokit.git.listMatchingRefs({ ...repo, ref: 'codex-monitor/' });
    expect(refs.map((r) => r.ref)).toEqual(['refs/codex-monitor/tasks/7']);
    const { data: commit } = await octokit.git.getCommit({ ...repo, commit_sha: release.data.sha });
    expect(commit.parents.map((p) => p.sha)).toEqual([claim.data.sha]);
  });

  it('surfaces GitHub errors as RequestError with status and message', async () => {
    const { data: main } = await octokit.git.getRef({ ...repo, ref: 'heads/main' });
    await octokit.git.createRef({ ...repo, ref: 'refs/codex-monitor/tasks/8', sha: main.object.sha });
    await expect(
      octokit.git.createRef({ ...repo, ref: 'refs/codex-monitor/tasks/8', sha: main.object.sha }),
    ).rejects.toMatchObject({ status: 422, response: { data: { message: 'Reference already exists' } } });
    await expect(octokit.issues.get({ ...repo, issue_number: 999 })).rejects.toMatchObject({ status: 404 });
  });

  it('a conditional request with the ETag is a 304 (Octokit throws it as status 304)', async () => {
    const first = await octokit.git.listMatchingRefs({ ...repo, ref: 'codex-monitor/' });
    await expect(
      octokit.git.listMatchingRefs({
        ...repo,
        ref: 'codex-monitor/',
        headers: { 'if-none-match': first.headers.etag },
      }),
    ).rejects.toMatchObject({ status: 304 });
  });

  it('labels: create, add to issue, list on issue', async () => {
    await octokit.issues.createLabel({
      ...repo,
      name: 'codex:working',
      color: '0e8a16',
      description: 'running',
    });
    const added = await octokit.issues.addLabels({ ...repo, issue_number: 2, labels: ['codex:working'] });
    expect(added.data.map((l) => l.name)).toEqual(['codex:working']);
    const { data: issue } = await octokit.issues.get({ ...repo, issue_number: 2 });
    expect(issue.labels.map((l) => (typeof l === 'string' ? l : l.name))).toEqual(['codex:working']);
  });
});
