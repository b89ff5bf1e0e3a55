import { execFileSync } from 'node:child_process';
import { chmodSync, mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { useTempDirs } from '../../tests/support/temp-dir.js';
import { type GitFixture, gitFixture } from '../../tests/workspaces/git-fixture.js';
import { repositoryOfUrl } from './remote-url.js';
import { checkRepository, probePush, RepositoryCheckError } from './repo-check.js';

const tempDir = useTempDirs();

async function problem(promise: Promise<unknown>): Promise<RepositoryCheckError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(RepositoryCheckError);
  return error as RepositoryCheckError;
}

/**
 * Makes the remote read-only for whoever pushes. root ignores file modes, so when the tests
 * run as root the remote side runs as `nobody` (as a server's git user would), owning a
 * repository whose files it may not write.
 */
function makeReadOnly(repo: GitFixture): void {
  if (process.getuid?.() === 0) {
    // nobody must reach the repository: open the test's own directories on the way (only those).
    for (let dir = dirname(repo.remote); dir.startsWith(repo.dir); dir = dirname(dir)) chmodSync(dir, 0o755);
    execFileSync('chown', ['-R', '65534:65534', repo.remote]);
    repo.git([
      'config',
      'remote.origin.receivepack',
      'setpriv --reuid=65534 --regid=65534 --clear-groups env HOME=/nonexistent git-receive-pack',
    ]);
  }
  execFileSync('chmod', ['-R', 'a-w', repo.remote]);
}

describe('repositoryOfUrl', () => {
  it('reads owner/repo from every form of remote URL', () => {
    for (const url of [
      'https://github.com/acme/widgets.git',
      'https://github.com/acme/widgets',
      'https://x-access-token:secret@github.com/acme/widgets.git/',
      'http://ghe.example:8080/acme/widgets',
      'git@github.com:acme/widgets.git',
      'github.com:acme/widgets',
      'ssh://git@github.com/acme/widgets.git',
      'ssh://git@github.com:2222/acme/widgets',
      'git://example.org/acme/widgets.git',
      'file:///srv/git/acme/widgets.git',
      '/tmp/x/remote/acme/widgets.git',
      '../remote/acme/widgets.git/',
    ]) {
      expect(repositoryOfUrl(url), url).toBe('acme/widgets');
    }
    expect(repositoryOfUrl('https://github.com/widgets')).toBeNull();
    expect(repositoryOfUrl('widgets.git')).toBeNull();
  });
});

describe('checkRepository', () => {
  it('accepts a clone of the configured repository, whatever the case of its name', async () => {
    const repo = gitFixture(tempDir());
    const info = await checkRepository({ repoDir: repo.clone, repository: 'ACME/Widgets', env: repo.env });
    expect(info.topLevel).toBe(repo.clone);
    expect(info.remoteUrl).toBe(repo.remote);
  });

  it('says when the directory is not a git repository', async () => {
    const plain = tempDir();
    const error = await problem(checkRepository({ repoDir: plain, repository: 'acme/widgets' }));
    expect(error.code).toBe('REPO_NOT_GIT');
    expect(error.message).toContain(`${plain} is not a git repository`);
    const missing = join(plain, 'missing');
    expect((await problem(checkRepository({ repoDir: missing, repository: 'acme/widgets' }))).code).toBe(
      'REPO_NOT_GIT',
    );
  });

  it('says when the remote does not exist, naming the remotes there are', async () => {
    const repo = gitFixture(tempDir());
    const error = await problem(
      checkRepository({ repoDir: repo.clone, remote: 'upstream', repository: 'acme/widgets', env: repo.env }),
    );
    expect(error.code).toBe('REPO_NO_REMOTE');
    expect(error.message).toContain('no remote named "upstream" (it has: origin)');
  });

  it('says when the remote is another repository, without printing credentials', async () => {
    const repo = gitFixture(tempDir());
    repo.git(['remote', 'set-url', 'origin', 'https://user:hunter2@github.com/acme/gadgets.git']);
    const error = await problem(
      checkRepository({ repoDir: repo.clone, repository: 'acme/widgets', env: repo.env }),
    );
    expect(error.code).toBe('REPO_OTHER_REMOTE');
    expect(error.message).toContain('a clone of acme/gadgets, not acme/widgets');
    expect(error.message).not.toContain('hunter2');

    repo.git(['remote', 'set-url', 'origin', repo.remote]);
    repo.git(['remote', 'set-url', '--push', 'origin', 'git@github.com:someone/fork.git']);
    const push = await problem(
      checkRepository({ repoDir: repo.clone, repository: 'acme/widgets', env: repo.env }),
    );
    expect(push.code).toBe('REPO_OTHER_REMOTE');
    expect(push.message).toContain('pushes to git@github.com:someone/fork.git, a clone of someone/fork');
  });
});

describe('probePush', () => {
  it('finds a writable remote writable, and the write probe leaves no ref behind', async () => {
    const repo = gitFixture(tempDir());
    const refsBefore = repo.git(['for-each-ref'], repo.remote);
    expect(await probePush({ repoDir: repo.clone, env: repo.env })).toEqual({ ok: true });
    expect(await probePush({ repoDir: repo.clone, env: repo.env, write: true })).toEqual({ ok: true });
    expect(repo.git(['for-each-ref'], repo.remote)).toBe(refsBefore);
  });

  it('finds a read-only remote: the write probe is refused, with git’s reason', async () => {
    const repo = gitFixture(tempDir());
    makeReadOnly(repo);
    const result = await probePush({ repoDir: repo.clone, env: repo.env, write: true });
    expect(result.ok).toBe(false);
    expect(!result.ok && result.detail).toContain('cannot push to "origin"');
    expect(!result.ok && result.detail).toMatch(/unpack|permission|denied|read-only/i);
  });

  it('finds a remote a push cannot reach, even by a dry run', async () => {
    const repo = gitFixture(tempDir());
    renameSync(repo.remote, `${repo.remote}.moved`);
    const result = await probePush({ repoDir: repo.clone, env: repo.env });
    expect(result.ok).toBe(false);
    expect(!result.ok && result.detail).toContain('does not appear to be a git repository');
  });

  it('finds a remote whose hooks refuse every push (write probe)', async () => {
    const repo = gitFixture(tempDir());
    const hooks = join(repo.remote, 'hooks');
    mkdirSync(hooks, { recursive: true });
    writeFileSync(join(hooks, 'pre-receive'), '#!/bin/sh\necho "pushes are closed today" >&2\nexit 1\n', {
      mode: 0o755,
    });
    const result = await probePush({ repoDir: repo.clone, env: repo.env, write: true });
    expect(result.ok).toBe(false);
    expect(!result.ok && result.detail).toContain('pushes are closed today');
  });
});
