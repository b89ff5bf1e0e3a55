/**
 * Test helper: commits files on a branch of one of the fake's bare repositories with plain git,
 * as a daemon's worktree would (clone, commit, push over the file path).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const ENV: NodeJS.ProcessEnv = {
  PATH: process.env.PATH,
  GIT_CONFIG_NOSYSTEM: '1',
  GIT_CONFIG_GLOBAL: '/dev/null',
  GIT_TERMINAL_PROMPT: '0',
  GIT_AUTHOR_NAME: 'agent',
  GIT_AUTHOR_EMAIL: 'agent@example.com',
  GIT_COMMITTER_NAME: 'agent',
  GIT_COMMITTER_EMAIL: 'agent@example.com',
};

const git = (cwd: string, args: string[]) =>
  execFileSync('git', args, { cwd, env: ENV, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();

/**
 * Commits `files` (flat names) on `branch` of `remote` and pushes it; the branch continues where
 * the remote has it, else starts from `from` (default: the remote's default branch). Returns
 * the new tip. An empty `files` pushes the starting point unchanged (a branch with no commits).
 */
export function pushBranch(
  remote: string,
  branch: string,
  files: Record<string, string>,
  opts: { from?: string; message?: string } = {},
): string {
  const dir = mkdtempSync(join(tmpdir(), 'codex-monitor-push-'));
  try {
    git(dir, ['clone', '--quiet', remote, '.']);
    const remoteHas = git(dir, ['ls-remote', '--heads', 'origin', branch]) !== '';
    const start = remoteHas ? `origin/${branch}` : opts.from ? `origin/${opts.from}` : 'HEAD';
    git(dir, ['checkout', '--quiet', '-B', branch, start]);
    if (Object.keys(files).length > 0) {
      for (const [name, content] of Object.entries(files)) writeFileSync(join(dir, name), content);
      git(dir, ['add', '--all']);
      git(dir, ['commit', '--quiet', '-m', opts.message ?? `edit ${Object.keys(files).join(', ')}`]);
    }
    git(dir, ['push', '--quiet', 'origin', `HEAD:refs/heads/${branch}`]);
    return git(dir, ['rev-parse', 'HEAD']);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The sha of `branch` in a bare repository, or null when it has no such branch. */
export function branchSha(remote: string, branch: string): string | null {
  try {
    return git(remote, ['rev-parse', '--verify', '--quiet', `refs/heads/${branch}`]);
  } catch {
    return null;
  }
}
