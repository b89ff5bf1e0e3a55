/**
 * The ledger over git's own protocol: no REST request at all, and any git host (GitHub, GitLab,
 * Gitea, a bare repository over SSH or a path). Commits are made locally with `git commit-tree`
 * in a bare cache repository under the state directory; refs move by `git push --force-with-lease`
 * (lease-push.ts); reads are `git fetch` of `refs/<ns>/*` into the cache (protocol v2 sends the
 * prefix, so the server lists only ledger refs), then local reads.
 *
 * Several processes of one workstation share the cache: objects are written atomically by git,
 * and a fetch that meets another's ref lock is simply repeated (the cache is only a copy).
 * Credentials are the user's own (ssh agent, credential helpers), or an askpass environment
 * from `auth`, asked afresh before each network call; never a token on a command line.
 */
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Logger } from '../../../../core/logger.js';
import { redactUrl } from '../../../../core/redact.js';
import { GitError, runGit } from '../../../../host/git-runner.js';
import { LedgerBadRefError, LedgerUncertainError } from '../ledger-errors.js';
import type { AdvanceResult, CommitInfo, Landed, LedgerTransport, ListedRef } from '../transport.js';
import { CommitMemory } from './commit-objects.js';
import { leasePushArgs, readPushAnswer } from './lease-push.js';
import { LedgerRemoteError } from './remote-errors.js';

export interface GitTransportOptions {
  /** The remote as `git push` takes it: an https or ssh URL, or a path. */
  remote: string;
  /** The bare cache repository (created when missing), under the state directory. */
  cacheDir: string;
  /** Variables that give git its credentials (an askpass), asked before each network call. */
  auth?: () => Promise<Readonly<Record<string, string>>>;
  /** Longest a git call may take (default 30 s). */
  timeoutMs?: number;
  signal?: AbortSignal;
  logger: Logger;
}

const IDENTITY = { name: 'codex-monitor', email: 'codex-monitor@users.noreply.invalid' };
/** Settings that keep a user's configuration out of the ledger's git calls. */
const NEUTRAL = ['-c', 'core.hooksPath=/dev/null', '-c', 'commit.gpgSign=false', '-c', 'protocol.version=2'];
const FETCH_TRIES = 5;
const WRITE_ATTEMPTS = 4;

export class GitTransport implements LedgerTransport {
  readonly kind = 'git';
  readonly compacts = true;
  readonly where: string;
  /** git network calls made (for tests and benchmarks). */
  readonly calls = { fetch: 0, push: 0 };
  private readonly memory = new CommitMemory(async (input) => {
    return (await this.git(['cat-file', '--batch'], { input })).stdoutBytes;
  });
  private prepared: Promise<void> | undefined;
  /** git's empty tree, written into the cache: ledger commits carry only a message. */
  private emptyTree = '';

  constructor(private readonly opts: GitTransportOptions) {
    this.where = redactUrl(opts.remote);
  }

  /** Creates the cache (and git's empty tree in it) and reads the remote once. */
  prepare(): Promise<void> {
    this.prepared ??= (async () => {
      await mkdir(this.opts.cacheDir, { recursive: true });
      if (!existsSync(join(this.opts.cacheDir, 'HEAD'))) await this.git(['init', '--quiet', '--bare', '.']);
      const tree = await this.git(['hash-object', '-t', 'tree', '-w', '--stdin'], { input: '' });
      this.emptyTree = tree.stdout.trim();
      await this.fetch('refs/codex-monitor/tasks/0'); // any prefix proves the remote answers
    })().catch((error: unknown) => {
      this.prepared = undefined;
      throw error;
    });
    return this.prepared;
  }

  async probeWrite(namespace: string): Promise<string> {
    await this.prepare();
    const ref = `refs/${namespace}/doctor/${randomUUID()}`;
    const sha = await this.createCommit('codex-monitor: doctor probe\n', [], false);
    const created = await this.push(ref, sha, null);
    if (created.verdict !== 'applied') throw this.refused(ref, created.summary);
    const deleted = await this.push(ref, '', sha);
    if (deleted.verdict !== 'applied') throw this.refused(ref, deleted.summary);
    return `created and deleted ${ref} by lease over git (${this.where})`;
  }

  async listRefs(prefix: string): Promise<Map<string, ListedRef>> {
    await this.prepare();
    const full = `refs/${prefix}`;
    await this.fetch(full);
    const refs = await this.localRefs(full);
    await this.memory.read([...refs.values()].filter((r) => r.type === 'commit').map((r) => r.sha));
    return refs;
  }

  async tip(ref: string): Promise<string | null> {
    await this.prepare();
    await this.fetch(ref);
    return (await this.localRefs(ref)).get(ref)?.sha ?? null;
  }

  /** `remember: false` changes nothing here: CommitMemory is bounded, git's objects are git's to collect. */
  async commit(sha: string): Promise<CommitInfo> {
    const known = this.memory.get(sha);
    if (known) return known;
    await this.prepare();
    await this.memory.read([sha]);
    if (!this.memory.get(sha) && /^[0-9a-f]{40,64}$/.test(sha)) {
      // Not in the cache (a ticket kept across a restart): git serves a commit by its sha.
      await this.fetchObject(sha);
      await this.memory.read([sha]);
    }
    const read = this.memory.get(sha);
    if (!read) throw new LedgerBadRefError(sha, 'is not a commit');
    return read;
  }

  async createCommit(message: string, parents: string[], cache = true): Promise<string> {
    await this.prepare();
    const args = ['commit-tree', '--no-gpg-sign', ...parents.flatMap((p) => ['-p', p]), this.emptyTree];
    const { stdout } = await this.git(args, { input: message, env: identityEnv() });
    const sha = stdout.trim();
    if (cache) this.memory.remember({ sha, message, parents });
    return sha;
  }

  async advance(ref: string, sha: string, parent: string | null, landed: Landed): Promise<AdvanceResult> {
    await this.prepare();
    let last = '';
    for (let i = 0; i < WRITE_ATTEMPTS; i++) {
      const answer = await this.push(ref, sha, parent);
      if (answer.verdict === 'applied') return 'applied';
      last = answer.summary;
      // Refused or lost: the ref as it is now settles it (git reads are not cached).
      const tip = await this.tip(ref).catch(() => undefined);
      if (tip === undefined) continue;
      if (tip === sha) return 'applied';
      if (tip !== parent) return tip !== null && (await landed(tip)) ? 'applied' : 'rejected';
      // Still where we expected it: a lost push never arrived, or the refusal was not a race.
      if (answer.verdict === 'refused') throw this.refused(ref, answer.summary);
    }
    throw new LedgerUncertainError(
      `moving ${ref} to ${sha} over git got no definite answer in ${WRITE_ATTEMPTS} attempts (${last})`,
    );
  }

  /** One lease-protected push; a git failure without an answer for our ref is a lost answer. */
  private async push(ref: string, src: string, expected: string | null) {
    this.calls.push += 1;
    try {
      const env = await this.authEnv();
      const { stdout } = await this.git(leasePushArgs(this.opts.remote, ref, src, expected), {
        env,
        okCodes: [0, 1],
      });
      return readPushAnswer(stdout, ref) ?? { verdict: 'lost' as const, summary: 'no answer for the ref' };
    } catch (error) {
      if (!(error instanceof GitError) || error.code === 'GIT_ABORTED') throw error;
      return { verdict: 'lost' as const, summary: error.message };
    }
  }

  /** `git fetch` of `<ref>*` into the cache, repeated when another process holds a ref lock. */
  private async fetch(prefix: string): Promise<void> {
    const spec = `+${prefix}*:${prefix}*`;
    const args = [
      'fetch',
      '--quiet',
      '--prune',
      '--no-tags',
      '--no-write-fetch-head',
      '--',
      this.opts.remote,
      spec,
    ];
    for (let i = 1; ; i++) {
      this.calls.fetch += 1;
      try {
        await this.git(args, { env: await this.authEnv() });
        return;
      } catch (error) {
        if (!(error instanceof GitError) || error.code === 'GIT_ABORTED') throw error;
        // Another process's ref lock fails fast and is worth a retry; a remote that hangs is not.
        if (i >= FETCH_TRIES || error.code === 'GIT_TIMEOUT')
          throw new LedgerRemoteError(this.where, 'fetch', error);
        await new Promise((r) => setTimeout(r, 10 + Math.random() * 40 * i));
      }
    }
  }

  /** Fetches one object by its sha; a remote that has no such object leaves it missing. */
  private async fetchObject(sha: string): Promise<void> {
    this.calls.fetch += 1;
    const args = ['fetch', '--quiet', '--no-tags', '--no-write-fetch-head', '--', this.opts.remote, sha];
    await this.git(args, { env: await this.authEnv() }).catch((error: unknown) => {
      if (!(error instanceof GitError) || error.code === 'GIT_ABORTED') throw error;
    });
  }

  /** The cache's refs under `pattern` (a ref or a prefix), with their objects' types. */
  private async localRefs(pattern: string): Promise<Map<string, ListedRef>> {
    const format = '%(objectname) %(objecttype) %(refname)';
    const { stdout } = await this.git(['for-each-ref', `--format=${format}`, pattern]);
    const refs = new Map<string, ListedRef>();
    for (const line of stdout.split('\n')) {
      const [sha, type, name] = line.split(' ');
      if (sha && type && name?.startsWith(pattern)) refs.set(name, { sha, type });
    }
    return refs;
  }

  private refused(ref: string, summary: string): Error {
    return new LedgerRemoteError(this.where, `push to ${ref}`, summary);
  }

  private async authEnv(): Promise<Readonly<Record<string, string>>> {
    return this.opts.auth ? await this.opts.auth() : {};
  }

  private git(
    args: string[],
    o: { input?: string; env?: Readonly<Record<string, string>>; okCodes?: number[] } = {},
  ) {
    return runGit([...NEUTRAL, ...args], {
      cwd: this.opts.cacheDir,
      timeoutMs: this.opts.timeoutMs ?? 30_000,
      ...(this.opts.signal ? { signal: this.opts.signal } : {}),
      ...o,
    });
  }
}

function identityEnv(): Record<string, string> {
  return {
    GIT_AUTHOR_NAME: IDENTITY.name,
    GIT_AUTHOR_EMAIL: IDENTITY.email,
    GIT_COMMITTER_NAME: IDENTITY.name,
    GIT_COMMITTER_EMAIL: IDENTITY.email,
  };
}
