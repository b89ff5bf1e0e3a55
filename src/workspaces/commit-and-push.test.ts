import { mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { useTempDirs } from '../../tests/support/temp-dir.js';
import { type GitFixture, gitFixture } from '../../tests/workspaces/git-fixture.js';
import { changedSince, commitAll } from './commit.js';
import { deleteRemoteBranch, parsePushPorcelain, pushBranch } from './push.js';

const tempDir = useTempDirs();

/** A worktree of the clone on a new branch from main, as Worktrees.prepare leaves it. */
function worktree(repo: GitFixture, branch = 'codex/12-fix'): { dir: string; base: string } {
  const dir = join(repo.dir, 'wt');
  repo.git(['worktree', 'add', '--quiet', '-b', branch, dir, 'origin/main']);
  return { dir, base: repo.git(['rev-parse', 'HEAD'], dir) };
}

function remoteSha(repo: GitFixture, branch: string): string | null {
  const line = repo.git(['for-each-ref', '--format=%(objectname)', `refs/heads/${branch}`], repo.remote);
  return line === '' ? null : line;
}

const HOSTILE_TITLE = '#12 Fix "$(rm -rf ~)" `id` --amend\n\n-m; echo pwned\u0007';

describe('commitAll and changedSince', () => {
  it('commits every change (untracked files too) with the title as data and the trailers', async () => {
    const repo = gitFixture(tempDir());
    const { dir, base } = worktree(repo);
    expect(await commitAll(dir, { message: 'nothing', env: repo.env })).toBeNull();
    expect(await changedSince(dir, base, { env: repo.env })).toBe(false);

    writeFileSync(join(dir, 'README.md'), '# changed\n');
    mkdirSync(join(dir, 'src'));
    writeFileSync(join(dir, 'src', 'new.ts'), 'export {};\n');
    const sha = await commitAll(dir, {
      message: `${HOSTILE_TITLE} (#12)`,
      trailers: { 'Codex-Monitor-Owner': 'alice@ws1', 'Codex-Monitor-Epoch': '3' },
      author: { name: 'Codex Bot', email: 'bot@example.test' },
      env: repo.env,
    });
    expect(sha).toMatch(/^[0-9a-f]{40}$/);
    expect(repo.git(['rev-parse', 'HEAD'], dir)).toBe(sha);
    expect(repo.git(['show', '--name-only', '--format=', 'HEAD'], dir).split('\n').sort()).toEqual([
      'README.md',
      'src/new.ts',
    ]);
    expect(repo.git(['log', '-1', '--format=%B'], dir)).toBe(
      '#12 Fix "$(rm -rf ~)" `id` --amend\n\n-m; echo pwned (#12)\n\nCodex-Monitor-Owner: alice@ws1\nCodex-Monitor-Epoch: 3',
    );
    expect(repo.git(['log', '-1', '--format=%(trailers:key=Codex-Monitor-Epoch,valueonly)'], dir)).toBe('3');
    expect(repo.git(['log', '-1', '--format=%an <%ae> / %cn <%ce>'], dir)).toBe(
      'Codex Bot <bot@example.test> / Codex Bot <bot@example.test>',
    );
    expect(await changedSince(dir, base, { env: repo.env })).toBe(true);
  });

  it('runs no hook of the repository (the agent could have written them)', async () => {
    const repo = gitFixture(tempDir());
    const { dir } = worktree(repo);
    const hooks = join(repo.clone, '.git', 'hooks');
    writeFileSync(join(hooks, 'pre-commit'), '#!/bin/sh\ntouch "$HOME/hook-ran"; exit 1\n', { mode: 0o755 });
    writeFileSync(join(dir, 'a.txt'), 'a\n');
    expect(await commitAll(dir, { message: 'work', env: repo.env })).not.toBeNull();
  });

  it('counts a branch whose commits cancel out as unchanged', async () => {
    const repo = gitFixture(tempDir());
    const { dir, base } = worktree(repo);
    writeFileSync(join(dir, 'a.txt'), 'a\n');
    await commitAll(dir, { message: 'add', env: repo.env });
    rmSync(join(dir, 'a.txt'));
    await commitAll(dir, { message: 'remove', env: repo.env });
    expect(repo.git(['rev-list', '--count', `${base}..HEAD`], dir)).toBe('2');
    expect(await changedSince(dir, base, { env: repo.env })).toBe(false);
    await expect(changedSince(dir, '--output=/tmp/x', { env: repo.env })).rejects.toThrow(RangeError);
  });
});

describe('pushBranch and deleteRemoteBranch: compare-and-swap by lease', () => {
  it('creates the branch, then refuses a push whose expectation is stale', async () => {
    const repo = gitFixture(tempDir());
    const { dir } = worktree(repo);
    writeFileSync(join(dir, 'a.txt'), 'a\n');
    const first = await commitAll(dir, { message: 'a', env: repo.env });
    const opts = { remote: 'origin', branch: 'codex/12-fix', env: repo.env };

    expect(await pushBranch(dir, { ...opts, expectedRemoteSha: null })).toEqual({ ok: true, sha: first });
    expect(remoteSha(repo, 'codex/12-fix')).toBe(first);
    // The same commit again: nothing to send, nothing of anyone's lost.
    expect(await pushBranch(dir, { ...opts, expectedRemoteSha: null })).toEqual({ ok: true, sha: first });
    // A new commit, expecting no branch — but it exists now: refused.
    writeFileSync(join(dir, 'a.txt'), 'a1\n');
    await commitAll(dir, { message: 'a1', env: repo.env });
    expect(await pushBranch(dir, { ...opts, expectedRemoteSha: null })).toMatchObject({
      ok: false,
      reason: 'stale-lease',
    });
    expect(remoteSha(repo, 'codex/12-fix')).toBe(first);

    // Someone else pushes (a commit this clone has never fetched); our expectation is stale.
    const theirs = repo.pushFromElsewhere('codex/12-fix', 'b.txt', 'theirs\n');
    writeFileSync(join(dir, 'a.txt'), 'a2\n');
    const second = await commitAll(dir, { message: 'a2', env: repo.env });
    const stale = await pushBranch(dir, { ...opts, expectedRemoteSha: first });
    expect(stale).toMatchObject({ ok: false, reason: 'stale-lease' });
    expect(remoteSha(repo, 'codex/12-fix')).toBe(theirs);

    // With the remote's real value, the push applies — even though it is not a fast-forward.
    expect(await pushBranch(dir, { ...opts, expectedRemoteSha: theirs })).toEqual({ ok: true, sha: second });
    expect(remoteSha(repo, 'codex/12-fix')).toBe(second);
  });

  it('reports a push the remote’s hook refuses as rejected, with what the remote said', async () => {
    const repo = gitFixture(tempDir());
    const { dir } = worktree(repo);
    writeFileSync(
      join(repo.remote, 'hooks', 'pre-receive'),
      '#!/bin/sh\necho "branch codex/* is protected" >&2\nexit 1\n',
      { mode: 0o755 },
    );
    writeFileSync(join(dir, 'a.txt'), 'a\n');
    await commitAll(dir, { message: 'a', env: repo.env });
    const result = await pushBranch(dir, {
      remote: 'origin',
      branch: 'codex/12-fix',
      expectedRemoteSha: null,
      env: repo.env,
    });
    expect(result).toMatchObject({ ok: false, reason: 'rejected' });
    expect(!result.ok && result.detail).toContain('pre-receive hook declined');
    expect(!result.ok && result.detail).toContain('branch codex/* is protected');
    expect(remoteSha(repo, 'codex/12-fix')).toBeNull();
  });

  it('reports a remote it cannot reach as failed', async () => {
    const repo = gitFixture(tempDir());
    const { dir } = worktree(repo);
    renameSync(repo.remote, `${repo.remote}.gone`);
    const result = await pushBranch(dir, {
      remote: 'origin',
      branch: 'codex/12-fix',
      expectedRemoteSha: null,
      env: repo.env,
    });
    expect(result).toMatchObject({ ok: false, reason: 'failed' });
    expect(!result.ok && result.detail).toContain('does not appear to be a git repository');
  });

  it('deletes the remote branch only while it is what we expect', async () => {
    const repo = gitFixture(tempDir());
    const { dir } = worktree(repo);
    writeFileSync(join(dir, 'a.txt'), 'a\n');
    const ours = (await commitAll(dir, { message: 'a', env: repo.env }))!;
    const opts = { remote: 'origin', branch: 'codex/12-fix', env: repo.env };
    await pushBranch(dir, { ...opts, expectedRemoteSha: null });
    const theirs = repo.pushFromElsewhere('codex/12-fix', 'b.txt', 'theirs\n');

    expect(await deleteRemoteBranch(dir, { ...opts, expectedRemoteSha: ours })).toMatchObject({
      ok: false,
      reason: 'stale-lease',
    });
    expect(remoteSha(repo, 'codex/12-fix')).toBe(theirs);
    expect(await deleteRemoteBranch(dir, { ...opts, expectedRemoteSha: theirs })).toEqual({
      ok: true,
      sha: null,
    });
    expect(remoteSha(repo, 'codex/12-fix')).toBeNull();
  });

  it('refuses a branch or sha that could be read as an option or a refspec', async () => {
    const dir = tempDir();
    for (const branch of ['-f', '+main', 'a:b', 'refs/heads/x', '']) {
      await expect(pushBranch(dir, { remote: 'origin', branch, expectedRemoteSha: null })).rejects.toThrow(
        RangeError,
      );
    }
    await expect(
      deleteRemoteBranch(dir, { remote: 'origin', branch: 'x', expectedRemoteSha: 'HEAD~1' }),
    ).rejects.toThrow(RangeError);
  });
});

describe('parsePushPorcelain', () => {
  it('reads the ref lines of git push --porcelain', () => {
    const out =
      'To /r.git\n*\tHEAD:refs/heads/a\t[new branch]\n!\t:refs/heads/b\t[rejected] (stale info)\nDone\n';
    expect(parsePushPorcelain(out)).toEqual([
      { flag: '*', to: 'refs/heads/a', summary: '[new branch]' },
      { flag: '!', to: 'refs/heads/b', summary: '[rejected] (stale info)' },
    ]);
  });
});
