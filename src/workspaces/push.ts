/**
 * Pushing and deleting a branch as compare-and-swaps: `--force-with-lease=<ref>:<expected>`
 * (empty expected: the branch must not exist), never a '+' refspec, which would bypass the
 * lease. The outcome is read from `--porcelain` lines, not from human text.
 */
import { GitError, runGit } from '../host/git-runner.js';
import type { GitCredentials } from './credentials.js';

const TIMEOUT_MS = 300_000;
const SHA = /^[0-9a-f]{40,64}$/;
/** The shape branchFor makes: never an option, a refspec or a name git would refuse. */
const PLAIN_BRANCH = /^[A-Za-z0-9][A-Za-z0-9._/-]*$/;

export type PushFailure =
  /** The remote branch was not what we expected: someone else pushed (or deleted) it. */
  | 'stale-lease'
  /** The remote refused the update (a hook, branch protection, a non-fast-forward rule). */
  | 'rejected'
  /** git could not push at all (no access, network, no such remote): see the detail. */
  | 'failed';

export type PushResult =
  | { ok: true /** The remote branch's sha after the push (null after a delete). */; sha: string | null }
  | { ok: false; reason: PushFailure; detail: string };

export interface PushOptions {
  remote: string;
  /** The branch name (without refs/heads/). */
  branch: string;
  /** What the remote branch must be for the push to apply; null: it must not exist. */
  expectedRemoteSha: string | null;
  /** Extra environment for git (an identity, a HOME in tests). */
  env?: Readonly<Record<string, string>>;
  /** The credentials for the remote, asked right before the push. */
  credentials?: GitCredentials;
  signal?: AbortSignal;
}

/** One ref line of `git push --porcelain`: `<flag>\t<from>:<to>\t<summary>`. */
interface PorcelainLine {
  flag: string;
  to: string;
  summary: string;
}

/** The ref lines of `git push --porcelain` output. */
export function parsePushPorcelain(stdout: string): PorcelainLine[] {
  const lines: PorcelainLine[] = [];
  for (const line of stdout.split('\n')) {
    const match = /^([ +\-*!=])\t([^\t]*)\t(.*)$/.exec(line);
    if (!match) continue;
    const refs = match[2]!;
    lines.push({ flag: match[1]!, to: refs.slice(refs.lastIndexOf(':') + 1), summary: match[3]! });
  }
  return lines;
}

/** What the remote said beside the porcelain (`remote: …` lines: hook output). */
function remoteLines(stderr: string): string {
  return stderr
    .split('\n')
    .filter((l) => l.startsWith('remote:'))
    .map((l) => l.slice('remote:'.length).trim())
    .filter(Boolean)
    .join('\n');
}

function checkOptions({ branch, expectedRemoteSha, remote }: PushOptions): void {
  if (
    !PLAIN_BRANCH.test(branch) ||
    /\.\.|\/\/|\/$|\.$|\.lock(\/|$)/.test(branch) ||
    branch.startsWith('refs/')
  ) {
    throw new RangeError(
      `Branch ${JSON.stringify(branch)} cannot be pushed: not a plain branch name (see branchFor)`,
    );
  }
  if (remote === '' || remote.startsWith('-'))
    throw new RangeError(`Remote ${JSON.stringify(remote)} is not valid`);
  if (expectedRemoteSha !== null && !SHA.test(expectedRemoteSha)) {
    throw new RangeError(`Expected sha ${JSON.stringify(expectedRemoteSha)} is not a full commit sha`);
  }
}

async function pushRefspec(dir: string, source: string, options: PushOptions): Promise<PushResult> {
  checkOptions(options);
  const ref = `refs/heads/${options.branch}`;
  const lease = `--force-with-lease=${ref}:${options.expectedRemoteSha ?? ''}`;
  let out: { stdout: string; stderr: string; exitCode: number };
  try {
    // Exit 1 is a refusal with its porcelain line; 128 (no access, network) throws.
    // --no-verify: a pre-push hook could be the agent's, and would see the credentials.
    const auth = await options.credentials?.();
    out = await runGit(['push', '--porcelain', '--no-verify', lease, options.remote, `${source}:${ref}`], {
      cwd: dir,
      env: { ...options.env, ...auth },
      signal: options.signal,
      timeoutMs: TIMEOUT_MS,
      okCodes: [0, 1],
    });
  } catch (error) {
    if (error instanceof GitError && error.code === 'GIT_FAILED') {
      return { ok: false, reason: 'failed', detail: error.message };
    }
    throw error;
  }
  const line = parsePushPorcelain(out.stdout).find((l) => l.to === ref);
  if (!line) {
    return {
      ok: false,
      reason: 'failed',
      detail: `git push reported nothing for ${ref}: ${out.stderr.trim()}`,
    };
  }
  if (line.flag !== '!') return { ok: true, sha: null };
  const remoteSaid = remoteLines(out.stderr);
  const detail = `${line.summary}${remoteSaid ? `\n${remoteSaid}` : ''}`;
  // "[rejected] (stale info)": the lease did not hold. Anything else is the remote's refusal.
  return { ok: false, reason: /\(stale info\)/.test(line.summary) ? 'stale-lease' : 'rejected', detail };
}

/**
 * Pushes HEAD of `dir` to the branch on the remote if the remote branch is still
 * `expectedRemoteSha` (or absent, for null). A remote branch already at HEAD is a success
 * whatever the expectation: git has nothing to send, and nothing of anyone else's is lost.
 */
export async function pushBranch(dir: string, options: PushOptions): Promise<PushResult> {
  checkOptions(options);
  const head = await runGit(['rev-parse', 'HEAD'], { cwd: dir, signal: options.signal, timeoutMs: 30_000 });
  const sha = head.stdout.trim();
  const result = await pushRefspec(dir, sha, options);
  return result.ok ? { ok: true, sha } : result;
}

/** Deletes the branch on the remote if it is still `expectedRemoteSha`. */
export function deleteRemoteBranch(
  dir: string,
  options: PushOptions & { expectedRemoteSha: string },
): Promise<PushResult> {
  return pushRefspec(dir, '', options);
}
