/**
 * Real git repositories for the workspace tests: a bare "remote" at
 * `<dir>/remote/<owner>/<repo>.git` (so its path names the repository, as a GitHub URL does)
 * with one commit on `main`, and a clone of it as the daemon's repository directory. git runs
 * with a HOME of its own and an identity from the environment: the machine's config is not used.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface GitFixture {
  dir: string;
  /** The bare remote. */
  remote: string;
  /** The clone (the daemon's repository directory). */
  clone: string;
  /** Environment for every git call of the test (and for the code under test). */
  env: Record<string, string>;
  /** Runs git synchronously in `cwd` (default: the clone); returns trimmed stdout. */
  git(args: string[], cwd?: string): string;
  /** A commit on `branch` of the remote, made through a scratch clone ("another workstation"). */
  pushFromElsewhere(branch: string, file: string, content: string): string;
}

export function gitFixture(dir: string, repository = 'acme/widgets'): GitFixture {
  const home = join(dir, 'home');
  mkdirSync(home, { recursive: true });
  const env: Record<string, string> = {
    HOME: home,
    GIT_CONFIG_NOSYSTEM: '1',
    GIT_AUTHOR_NAME: 'Test Author',
    GIT_AUTHOR_EMAIL: 'author@example.test',
    GIT_COMMITTER_NAME: 'Test Author',
    GIT_COMMITTER_EMAIL: 'author@example.test',
  };
  const git = (args: string[], cwd = clone) =>
    execFileSync('git', args, {
      cwd,
      env: { PATH: process.env.PATH ?? '', LANG: 'C', ...env },
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
    }).trim();
  const remote = join(dir, 'remote', `${repository}.git`);
  const clone = join(dir, 'clone');
  mkdirSync(remote, { recursive: true });
  git(['init', '--quiet', '--bare', '--initial-branch=main', remote], dir);
  git(['clone', '--quiet', remote, clone], dir);
  writeFileSync(join(clone, 'README.md'), '# widgets\n');
  git(['add', 'README.md']);
  git(['commit', '--quiet', '-m', 'initial']);
  git(['push', '--quiet', 'origin', 'HEAD:main']);

  let scratch = 0;
  const pushFromElsewhere = (branch: string, file: string, content: string) => {
    const other = join(dir, `elsewhere-${++scratch}`);
    git(['clone', '--quiet', remote, other], dir);
    const exists = git(['ls-remote', '--heads', 'origin', `refs/heads/${branch}`], other) !== '';
    git(['checkout', '--quiet', '-B', branch, exists ? `origin/${branch}` : 'origin/main'], other);
    writeFileSync(join(other, file), content);
    git(['add', '--all'], other);
    git(['commit', '--quiet', '-m', `elsewhere: ${file}`], other);
    git(['push', '--quiet', '--force', 'origin', `HEAD:refs/heads/${branch}`], other);
    return git(['rev-parse', 'HEAD'], other);
  };
  return { dir, remote, clone, env, git, pushFromElsewhere };
}

/** What a daemon under test needs to work in worktrees of the fixture's clone (WORKSPACE=worktree). */
export function worktreeDaemonEnv(repo: GitFixture): Record<string, string> {
  return {
    WORKSPACE: 'worktree',
    CODEX_MONITOR_REPO_DIR: repo.clone,
    COMMIT_AUTHOR: 'Task Bot <bot@example.test>',
    HOME: repo.env.HOME!,
    GIT_CONFIG_NOSYSTEM: '1',
  };
}
