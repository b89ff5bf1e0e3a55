/**
 * Committing what an agent left in its worktree. The message comes from an untrusted issue
 * title: it reaches git on stdin (`commit -F -`), never in argv, and is kept verbatim apart
 * from whitespace (a title starting with '#' is not a comment to strip).
 */
import { runGit } from '../host/git-runner.js';

const TIMEOUT_MS = 120_000;
/** A trailer key as git-interpret-trailers reads one. */
const TRAILER_KEY = /^[A-Za-z0-9][A-Za-z0-9-]*$/;

export interface CommitOptions {
  /** The subject (and body): data, any characters. */
  message: string;
  /** `Key: value` lines after a blank line (owner, epoch, …). */
  trailers?: Readonly<Record<string, string>>;
  /** Author and committer; default: the repository's configured identity. */
  author?: { name: string; email: string };
  env?: Readonly<Record<string, string>>;
  signal?: AbortSignal;
}

/** The full commit message: control characters dropped, trailers appended. */
export function commitMessage(message: string, trailers: Readonly<Record<string, string>> = {}): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: removing them is the point
  const clean = message.replace(/\r\n?/g, '\n').replace(/[\u0000-\u0008\u000b-\u001f\u007f]/g, '');
  const lines = Object.entries(trailers).map(([key, value]) => {
    if (!TRAILER_KEY.test(key))
      throw new RangeError(`Commit trailer key ${JSON.stringify(key)} is not a valid key`);
    return `${key}: ${value.replace(/\s+/g, ' ').trim()}`;
  });
  const body = clean.trim() || '(no title)';
  return lines.length > 0 ? `${body}\n\n${lines.join('\n')}\n` : `${body}\n`;
}

/**
 * Stages everything in `dir` (untracked files too; .gitignore respected) and commits it.
 * Returns the new commit's sha, or null when there was nothing to commit. Hooks do not run:
 * the agent could have written them, and the daemon commits unattended.
 */
export async function commitAll(dir: string, options: CommitOptions): Promise<string | null> {
  const identity: Record<string, string> = options.author
    ? {
        GIT_AUTHOR_NAME: options.author.name,
        GIT_AUTHOR_EMAIL: options.author.email,
        GIT_COMMITTER_NAME: options.author.name,
        GIT_COMMITTER_EMAIL: options.author.email,
      }
    : {};
  const run = (args: string[], extra: { input?: string; okCodes?: number[] } = {}) =>
    runGit(args, {
      cwd: dir,
      env: { ...options.env, ...identity },
      signal: options.signal,
      timeoutMs: TIMEOUT_MS,
      ...extra,
    });
  await run(['add', '--all']);
  const staged = await run(['diff', '--cached', '--quiet', '--no-ext-diff'], { okCodes: [0, 1] });
  if (staged.exitCode === 0) return null;
  const input = commitMessage(options.message, options.trailers);
  await run(['commit', '--quiet', '--no-verify', '--cleanup=whitespace', '--file=-'], { input });
  return (await run(['rev-parse', 'HEAD'])).stdout.trim();
}

/** Whether HEAD's tree differs from `baseSha`'s: the branch carries a change against its base. */
export async function changedSince(
  dir: string,
  baseSha: string,
  options: { env?: Readonly<Record<string, string>>; signal?: AbortSignal } = {},
): Promise<boolean> {
  if (!/^[0-9a-f]{40,64}$/.test(baseSha))
    throw new RangeError(`Base ${JSON.stringify(baseSha)} is not a commit sha`);
  const { stdout } = await runGit(['rev-parse', 'HEAD^{tree}', `${baseSha}^{tree}`], {
    cwd: dir,
    env: options.env,
    signal: options.signal,
    timeoutMs: TIMEOUT_MS,
  });
  const [head, base] = stdout.trim().split('\n');
  return head !== base;
}
