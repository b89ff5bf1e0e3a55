/**
 * git for the git-server test infrastructure and its users: a controlled environment (no user or
 * system configuration, no prompt, English messages, a fixed identity) and two ways to run it —
 * synchronously for setup, and as a real child process that may fail, for races and lost pushes.
 */
import { execFileSync, spawn } from 'node:child_process';

/** /usr/bin/git on Debian; PATH decides, as it does for the daemon. */
const GIT = 'git';

/** The environment of every git this module starts, plus `extra` (which wins). */
export function gitEnv(extra: Readonly<Record<string, string>> = {}): Record<string, string> {
  return {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    GIT_CONFIG_GLOBAL: '/dev/null',
    GIT_CONFIG_NOSYSTEM: '1',
    GIT_TERMINAL_PROMPT: '0',
    LANG: 'C',
    LC_ALL: 'C',
    GIT_AUTHOR_NAME: 'Git Server Test',
    GIT_AUTHOR_EMAIL: 'git-server-test@example.test',
    GIT_COMMITTER_NAME: 'Git Server Test',
    GIT_COMMITTER_EMAIL: 'git-server-test@example.test',
    ...extra,
  };
}

/** Runs git in `cwd` and returns its trimmed stdout; throws (with git's stderr) on failure. */
export function gitSync(cwd: string, args: readonly string[], input?: string): string {
  return execFileSync(GIT, args, {
    cwd,
    env: gitEnv(),
    input,
    encoding: 'utf8',
    stdio: ['pipe', 'pipe', 'pipe'],
  }).trim();
}

/** A new commit object in `repo` (no ref moves): an empty tree, `message`, optional parents. */
export function commitObject(repo: string, message: string, parents: readonly string[] = []): string {
  const tree = gitSync(repo, ['mktree'], '');
  return gitSync(repo, ['commit-tree', tree, ...parents.flatMap((p) => ['-p', p])], message);
}

/** How a git process ended: a failure is an answer here, not an exception. */
export interface GitRun {
  /** Exit code, or null when killed by a signal. */
  code: number | null;
  stdout: string;
  stderr: string;
}

export interface RunGitOptions {
  cwd: string;
  env?: Readonly<Record<string, string>>;
  /** git is SIGKILLed after this long (default 60 s) so a hung test fails instead of waiting. */
  timeoutMs?: number;
}

/** Starts `git <args>` as its own process and resolves when it exits, whatever the outcome. */
export function runGit(args: readonly string[], options: RunGitOptions): Promise<GitRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(GIT, args, { cwd: options.cwd, env: gitEnv(options.env), stdio: 'pipe' });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (c: Buffer) => out.push(c));
    child.stderr.on('data', (c: Buffer) => err.push(c));
    child.stdin.end();
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 60_000);
    child.once('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.once('close', (code) => {
      clearTimeout(timer);
      resolve({
        code,
        stdout: Buffer.concat(out).toString('utf8'),
        stderr: Buffer.concat(err).toString('utf8'),
      });
    });
  });
}

/**
 * `git push --porcelain --force-with-lease=<ref>:<expected> <remote> <sha>:<ref>` from `cwd`:
 * the compare-and-swap the git ledger makes. `expected` '' = the ref must not exist; `sha` ''
 * deletes the ref. No `+` on the refspec: that would bypass the lease.
 */
export function leasePush(
  cwd: string,
  remote: string,
  move: { ref: string; expected: string; sha: string },
): Promise<GitRun> {
  const lease = `--force-with-lease=${move.ref}:${move.expected}`;
  return runGit(['push', '--porcelain', lease, remote, `${move.sha}:${move.ref}`], { cwd });
}
