/**
 * Start-up and `doctor` checks of the repository the daemon works in: a git repository, with
 * the configured remote, pointing at the configured GitHub repository, that we may push to.
 * Each problem is a typed error naming what is wrong and what to do.
 */
import { randomBytes } from 'node:crypto';
import { CodexMonitorError, type ErrorCode } from '../core/errors.js';
import { redactUrl } from '../core/redact.js';
import { GitError, runGit } from '../host/git-runner.js';
import type { GitCredentials } from './credentials.js';
import { repositoryOfUrl, sameRepository } from './remote-url.js';

const TIMEOUT_MS = 30_000;
/** Where the write probe pushes: outside refs/heads, so no branch, PR or CI run appears. */
const PROBE_REFS = 'refs/codex-monitor/push-probe';
/** The probe commit's author: it is deleted again, nobody reads it. */
const IDENTITY = {
  GIT_AUTHOR_NAME: 'codex-monitor',
  GIT_AUTHOR_EMAIL: 'codex-monitor@localhost',
  GIT_COMMITTER_NAME: 'codex-monitor',
  GIT_COMMITTER_EMAIL: 'codex-monitor@localhost',
};

export type RepoProblemCode = Extract<ErrorCode, 'REPO_NOT_GIT' | 'REPO_NO_REMOTE' | 'REPO_OTHER_REMOTE'>;

/** The repository directory is not usable for worktrees of the configured repository. */
export class RepositoryCheckError extends CodexMonitorError {
  constructor(code: RepoProblemCode, message: string, options?: ErrorOptions) {
    super(code, message, options);
  }
}

export interface CheckRepositoryOptions {
  repoDir: string;
  /** The remote's name (default `origin`). */
  remote?: string;
  /** The configured GitHub repository, `owner/repo`. */
  repository: string;
  env?: Readonly<Record<string, string>>;
  signal?: AbortSignal;
}

export interface RepositoryInfo {
  /** The top directory of the repository's checkout (or its git dir when bare). */
  topLevel: string;
  /** The remote's push URL, redacted. */
  remoteUrl: string;
}

/** Checks that `repoDir` is a clone of `repository` through `remote`; throws a RepositoryCheckError. */
export async function checkRepository(options: CheckRepositoryOptions): Promise<RepositoryInfo> {
  const { repoDir, repository, env, signal } = options;
  const remote = options.remote ?? 'origin';
  const git = (args: string[]) => runGit(args, { cwd: repoDir, env, signal, timeoutMs: TIMEOUT_MS });
  let topLevel: string;
  try {
    const { stdout } = await git(['rev-parse', '--path-format=absolute', '--show-toplevel', '--git-dir']);
    const [top, gitDir] = stdout.trim().split('\n');
    topLevel = top || gitDir || repoDir;
  } catch (error) {
    if (error instanceof GitError && error.code !== 'GIT_FAILED') throw error;
    throw new RepositoryCheckError(
      'REPO_NOT_GIT',
      `${repoDir} is not a git repository (${error instanceof GitError ? error.stderr || error.message : error}). ` +
        `Set CODEX_MONITOR_REPO_DIR to a clone of ${repository}, or start the daemon inside one.`,
      { cause: error },
    );
  }
  if (remote.startsWith('-') || remote === '') {
    throw new RepositoryCheckError(
      'REPO_NO_REMOTE',
      `The remote name ${JSON.stringify(remote)} is not valid.`,
    );
  }
  const found = await git(['remote']);
  if (!found.stdout.split('\n').includes(remote)) {
    throw new RepositoryCheckError(
      'REPO_NO_REMOTE',
      `The git repository ${topLevel} has no remote named ${JSON.stringify(remote)} ` +
        `(it has: ${found.stdout.trim().split('\n').filter(Boolean).join(', ') || 'none'}). ` +
        `Add it with \`git remote add ${remote} <url of ${repository}>\` or configure the remote's name.`,
    );
  }
  // Where we fetch from and where we push to (a pushurl may differ): both must be the repository.
  const fetchUrl = (await git(['remote', 'get-url', remote])).stdout.trim();
  const pushUrl = (await git(['remote', 'get-url', '--push', remote])).stdout.trim();
  for (const url of new Set([fetchUrl, pushUrl])) {
    const pointsAt = repositoryOfUrl(url);
    if (pointsAt === null || !sameRepository(pointsAt, repository)) {
      throw new RepositoryCheckError(
        'REPO_OTHER_REMOTE',
        `The remote ${JSON.stringify(remote)} of ${topLevel} ${url === fetchUrl ? 'is' : 'pushes to'} ${redactUrl(url)}, ` +
          `${pointsAt ? `a clone of ${pointsAt}` : 'which names no owner/repo'}, not ${repository}. ` +
          'Point CODEX_MONITOR_REPO_DIR at a clone of the configured repository (or fix GITHUB_REPOSITORY).',
      );
    }
  }
  const remoteUrl = redactUrl(pushUrl);
  return { topLevel, remoteUrl };
}

export interface ProbePushOptions {
  repoDir: string;
  remote?: string;
  /** Extra environment for git (an identity, a HOME in tests). */
  env?: Readonly<Record<string, string>>;
  /** The credentials for the remote, asked before each push of the probe. */
  credentials?: GitCredentials;
  /**
   * false (default): `git push --dry-run`, which asks the server for push access without
   * writing (hosted remotes such as GitHub refuse it there when the credentials may not push).
   * true: push a tiny commit to a probe ref outside refs/heads and delete it again, which also
   * meets what a dry run cannot see (hooks, file permissions of a local remote).
   */
  write?: boolean;
  signal?: AbortSignal;
}

export type ProbeResult = { ok: true } | { ok: false; detail: string };

/** Whether we can push to the remote; the detail says what git or the remote answered. */
export async function probePush(options: ProbePushOptions): Promise<ProbeResult> {
  const { repoDir, env, signal } = options;
  const remote = options.remote ?? 'origin';
  if (remote === '' || remote.startsWith('-'))
    throw new RangeError(`Remote ${JSON.stringify(remote)} is not valid`);
  const run = (args: string[], extra?: Readonly<Record<string, string>>, input?: string) =>
    runGit(args, { cwd: repoDir, env: { ...env, ...extra }, signal, timeoutMs: TIMEOUT_MS, input });
  const remoteEnv = async () => (await options.credentials?.()) ?? {};
  const ref = `${PROBE_REFS}/${randomBytes(6).toString('hex')}`;
  try {
    // A commit of the empty tree: new (so the push sends a pack, as a real one does) and tiny.
    const tree = (await run(['hash-object', '-t', 'tree', '-w', '--stdin'], {}, '')).stdout.trim();
    const commit = (
      await run(['commit-tree', tree, '-m', 'codex-monitor push probe'], IDENTITY)
    ).stdout.trim();
    const dry = options.write ? [] : ['--dry-run'];
    await run(['push', '--porcelain', '--no-verify', ...dry, remote, `${commit}:${ref}`], await remoteEnv());
    if (options.write) {
      await run(
        ['push', '--porcelain', '--no-verify', `--force-with-lease=${ref}:${commit}`, remote, `:${ref}`],
        await remoteEnv(),
      );
    }
    return { ok: true };
  } catch (error) {
    if (!(error instanceof GitError) || error.code !== 'GIT_FAILED') throw error;
    return {
      ok: false,
      detail: `cannot push to ${JSON.stringify(remote)}: ${error.stderr || error.message}`,
    };
  }
}
