/**
 * The ledger over GitHub's REST git-data API, through the caller's Octokit, with a commit
 * cache: commits are immutable, so each is read at most once (KeyValueStore, shared across
 * restarts) and the ones we create are cached from what we sent. Refs move by create-if-absent
 * and fast-forward-only PATCH (ref-advance.ts): chains never compact here.
 */
import { randomUUID } from 'node:crypto';
import type { Octokit } from '@octokit/rest';
import { NotFoundError } from '../../../../core/errors.js';
import type { Logger } from '../../../../core/logger.js';
import type { KeyValueStore } from '../../../../state/kv-store.js';
import {
  classify,
  LedgerBadRefError,
  LedgerPermissionError,
  LedgerUncertainError,
} from '../ledger-errors.js';
import type { AdvanceResult, CommitInfo, Landed, LedgerTransport, ListedRef } from '../transport.js';
import { advanceRef } from './ref-advance.js';

const COMMITS = 'git-commits';
/** Creating a commit object is harmless to repeat (an unreferenced duplicate at worst). */
const COMMIT_ATTEMPTS = 3;

export class RestTransport implements LedgerTransport {
  readonly kind = 'rest';
  readonly compacts = false;
  readonly where: string;
  private readonly repoParams: { owner: string; repo: string };
  private readonly inflight = new Map<string, Promise<CommitInfo>>();
  private readonly memory = new Map<string, CommitInfo>();
  private tree: string | undefined;

  constructor(
    private readonly octokit: Octokit,
    owner: string,
    repo: string,
    private readonly commits: KeyValueStore,
    private readonly logger: Logger,
  ) {
    this.where = `${owner}/${repo}`;
    this.repoParams = { owner, repo };
  }

  /**
   * Looks up the tree ledger commits use and proves the token may write git data by creating
   * one unreferenced commit object (harmless; git collects it). Throws LedgerPermissionError
   * naming "contents: write" when the token cannot.
   */
  async prepare(): Promise<void> {
    await this.lookupTree();
    await this.createCommit('codex-monitor: permission probe (referenced by no ref)\n', [], false);
  }

  /** Creates a probe ref on the default branch's head and deletes it (REST delete: no lease needed here). */
  async probeWrite(namespace: string): Promise<string> {
    const ref = `refs/${namespace}/doctor/${randomUUID()}`;
    const sha = await this.createCommit('codex-monitor: doctor probe\n', [], false);
    await this.guard('POST git/refs', () => this.createRef(ref, sha));
    await this.guard('DELETE git/refs', () =>
      this.octokit.git.deleteRef({ ...this.repoParams, ref: ref.slice('refs/'.length) }),
    );
    return `created and deleted ${ref} through the REST API`;
  }

  advance(ref: string, sha: string, parent: string | null, landed: Landed): Promise<AdvanceResult> {
    return advanceRef(this, ref, sha, parent, landed);
  }

  /** The default branch head's tree (any existing tree will do), looked up once. */
  async lookupTree(): Promise<string> {
    if (this.tree) return this.tree;
    const p = this.repoParams;
    const repo = await this.guard('GET repository', () => this.octokit.repos.get(p));
    const branch = repo.data.default_branch;
    const ref = await this.guard(`GET git/ref/heads/${branch}`, () =>
      this.octokit.git.getRef({ ...p, ref: `heads/${branch}` }),
    );
    const { data } = await this.guard('GET git/commits', () =>
      this.octokit.git.getCommit({ ...p, commit_sha: ref.data.object.sha }),
    );
    this.tree = data.tree.sha;
    return this.tree;
  }

  /** Every ref under `refs/<prefix>`: one request (pages followed only if GitHub ever sends them). */
  async listRefs(prefix: string): Promise<Map<string, ListedRef>> {
    const refs = await this.guard(`GET git/matching-refs/${prefix}`, () =>
      this.octokit.paginate(this.octokit.git.listMatchingRefs, { ...this.repoParams, ref: prefix }),
    );
    return new Map(refs.map((r) => [r.ref, { sha: r.object.sha, type: r.object.type }]));
  }

  /** The sha a ref points to, or null when it does not exist. `ref` is `refs/...`. */
  async tip(ref: string): Promise<string | null> {
    try {
      const { data } = await this.octokit.git.getRef({ ...this.repoParams, ref: ref.slice(5) });
      return data.object.sha;
    } catch (error) {
      if (classify(error) === 'missing') return null;
      throw this.mapDenied(error, `GET git/ref/${ref.slice(5)}`);
    }
  }

  async commit(sha: string, options: { remember?: boolean } = {}): Promise<CommitInfo> {
    const known = this.memory.get(sha) ?? this.fromStore(sha);
    if (known) return known;
    let pending = this.inflight.get(sha);
    if (!pending) {
      pending = this.fetchCommit(sha, options.remember !== false).finally(() => this.inflight.delete(sha));
      this.inflight.set(sha, pending);
    }
    return pending;
  }

  /**
   * Creates a commit object on the cached tree; repeated on 5xx (harmless duplicates). Task
   * commits are cached (others read them back); heartbeats are not (one per interval, never read).
   */
  async createCommit(message: string, parents: string[], cache = true): Promise<string> {
    const tree = await this.lookupTree();
    let last: unknown;
    for (let i = 0; i < COMMIT_ATTEMPTS; i++) {
      try {
        const { data } = await this.octokit.git.createCommit({ ...this.repoParams, message, tree, parents });
        if (cache) this.remember({ sha: data.sha, message, parents });
        return data.sha;
      } catch (error) {
        if (classify(error) !== 'unknown') throw this.mapDenied(error, 'POST git/commits');
        last = error;
      }
    }
    throw new LedgerUncertainError(`creating a commit failed ${COMMIT_ATTEMPTS} times`, { cause: last });
  }

  createRef(ref: string, sha: string): Promise<unknown> {
    return this.octokit.git.createRef({ ...this.repoParams, ref, sha });
  }

  /** Fast-forward only: succeeds iff the tip is `sha` or one of its ancestors. */
  updateRef(ref: string, sha: string): Promise<unknown> {
    return this.octokit.git.updateRef({ ...this.repoParams, ref: ref.slice(5), sha, force: false });
  }

  mapDenied(error: unknown, request: string): unknown {
    if (classify(error) !== 'denied') return error;
    const status = (error as { status: number }).status;
    return new LedgerPermissionError(this.where, request, status, { cause: error });
  }

  private async guard<T>(request: string, run: () => Promise<T>): Promise<T> {
    try {
      return await run();
    } catch (error) {
      if (classify(error) === 'missing') {
        throw new NotFoundError(
          `${request} in ${this.where} answered 404: check the repository name, that it has a default ` +
            'branch with a commit, and that the token can see it (the ledger needs "contents: write").',
        );
      }
      throw this.mapDenied(error, request);
    }
  }

  private async fetchCommit(sha: string, remember: boolean): Promise<CommitInfo> {
    let data: Awaited<ReturnType<Octokit['git']['getCommit']>>['data'];
    try {
      ({ data } = await this.octokit.git.getCommit({ ...this.repoParams, commit_sha: sha }));
    } catch (error) {
      // A ref at a tree, a blob or a tag: there is no commit to read (nothing is cached).
      if (classify(error) === 'missing') throw new LedgerBadRefError(sha, 'is not a commit');
      throw this.mapDenied(error, `GET git/commits/${sha}`);
    }
    const info = { sha, message: data.message, parents: data.parents.map((p) => p.sha) };
    if (remember) this.remember(info);
    return info;
  }

  private fromStore(sha: string): CommitInfo | undefined {
    const raw = this.commits.get(COMMITS, sha);
    if (raw === undefined) return undefined;
    try {
      const parsed = JSON.parse(raw) as { message: unknown; parents: unknown };
      if (typeof parsed.message !== 'string' || !Array.isArray(parsed.parents)) throw new Error('shape');
      const info = { sha, message: parsed.message, parents: parsed.parents.map(String) };
      this.memory.set(sha, info);
      return info;
    } catch {
      this.logger.warn({ sha }, 'ignoring a corrupt cached commit; it will be read again');
      this.commits.delete(COMMITS, sha);
      return undefined;
    }
  }

  private remember(info: CommitInfo): void {
    this.memory.set(info.sha, info);
    this.commits.set(COMMITS, info.sha, JSON.stringify({ message: info.message, parents: info.parents }));
  }
}
