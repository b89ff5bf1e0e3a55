/**
 * The claim comment: one per issue, edited in place, a human summary followed by a hidden
 * versioned block (see state-block.ts). A mirror of the ledger, never the authority.
 */
import { randomUUID } from 'node:crypto';
import type { Logger } from '../../core/logger.js';
import type { KeyValueStore } from '../../state/kv-store.js';
import { fetchAllPages, type GitHubClient } from './client.js';
import { GitHubNotFoundError, isUncertain } from './errors.js';
import {
  type MirrorState,
  type ParsedState,
  parseStateComment,
  renderStateComment,
  STATE_MARKER,
} from './state-block.js';

export {
  MAX_COMMENT_CHARS,
  type MirrorState,
  type MirrorStatus,
  type ParsedState,
  parseStateComment,
  renderStateComment,
  STATE_MARKER,
  STATE_VERSION,
} from './state-block.js';

interface RawComment {
  id: number;
  body?: string | null;
}

export interface FoundComment {
  id: number;
  state: ParsedState;
  body: string;
}

/** kv namespace of the remembered comment ids and bodies. */
const CACHE = 'state-comment';

export class StateCommentStore {
  constructor(
    private readonly ctx: {
      client: GitHubClient;
      owner: string;
      repo: string;
      logger: Logger;
      /** Remembers our comment's id and last body per issue: an edit then needs no search. */
      cache?: KeyValueStore;
    },
  ) {}

  private known(issue: number): { id: number; nonce: string; body: string } | null {
    const raw = this.ctx.cache?.get(CACHE, this.key(issue));
    try {
      return raw ? (JSON.parse(raw) as { id: number; nonce: string; body: string }) : null;
    } catch {
      return null;
    }
  }

  private remember(issue: number, id: number, nonce: string, body: string): void {
    this.ctx.cache?.set(CACHE, this.key(issue), JSON.stringify({ id, nonce, body }));
  }

  private key(issue: number): string {
    return `${this.ctx.owner}/${this.ctx.repo}#${issue}`.toLowerCase();
  }

  /** The state our comment showed when we last wrote or read it (no request); null if unknown. */
  remembered(issue: number): ParsedState | null {
    const known = this.known(issue);
    return known ? parseStateComment(known.body) : null;
  }

  /** Our newest state comment, searched across all pages of comments (each page ETag-cached). */
  async find(issue: number, signal?: AbortSignal): Promise<FoundComment | null> {
    const ours = await this.scan(issue, signal);
    return ours.reduce<FoundComment | null>((best, c) => (best === null || c.id > best.id ? c : best), null);
  }

  /** Every comment of the issue that carries a readable state block. */
  private async scan(issue: number, signal?: AbortSignal): Promise<FoundComment[]> {
    const { client, owner, repo, logger } = this.ctx;
    const { items } = await fetchAllPages<RawComment>(
      client,
      'GET /repos/{owner}/{repo}/issues/{issue_number}/comments',
      { owner, repo, issue_number: issue, per_page: 100 },
      signal,
    );
    const ours: FoundComment[] = [];
    for (const c of items) {
      if (!c.body?.includes(STATE_MARKER)) continue;
      const state = parseStateComment(c.body);
      if (!state) {
        logger.warn(
          { issue, comment: c.id },
          `ignoring a malformed ${STATE_MARKER} block on issue #${issue}`,
        );
        continue;
      }
      ours.push({ id: c.id, state, body: c.body });
    }
    return ours;
  }

  /**
   * Writes the state after `stillHolds()` confirms the claim (nothing at all when it does not):
   * edits our comment in place, or creates it. The body is skipped when unchanged. A create whose
   * answer is lost is looked for by its nonce before it is ever posted again.
   */
  async upsert(
    issue: number,
    state: MirrorState,
    options: { stillHolds: () => Promise<boolean> },
  ): Promise<{ written: boolean; id: number | null }> {
    if (!(await options.stillHolds())) return { written: false, id: null };
    const { client, owner, repo } = this.ctx;
    const known = this.known(issue);
    if (known) {
      // Our comment as we last wrote it: edit by id, no search (a deleted one is searched for).
      const body = renderStateComment({ ...state, nonce: known.nonce });
      if (body === known.body) return { written: false, id: known.id };
      try {
        await client.rest.issues.updateComment({ owner, repo, comment_id: known.id, body });
        this.remember(issue, known.id, known.nonce, body);
        return { written: true, id: known.id };
      } catch (error) {
        if (!(error instanceof GitHubNotFoundError)) throw error;
      }
    }
    const current = await this.find(issue);
    if (current) {
      const nonce = current.state.nonce ?? state.nonce ?? randomUUID();
      const body = renderStateComment({ ...state, nonce });
      this.remember(issue, current.id, nonce, current.body);
      if (body === current.body) return { written: false, id: current.id };
      await client.rest.issues.updateComment({ owner, repo, comment_id: current.id, body });
      this.remember(issue, current.id, nonce, body);
      return { written: true, id: current.id };
    }
    const nonce = state.nonce ?? randomUUID();
    const body = renderStateComment({ ...state, nonce });
    for (let attempt = 1; ; attempt++) {
      try {
        const { data } = await client.rest.issues.createComment({ owner, repo, issue_number: issue, body });
        this.remember(issue, data.id, nonce, body);
        return { written: true, id: data.id };
      } catch (error) {
        if (!isUncertain(error)) throw error;
        const applied = (await this.scan(issue)).find((c) => c.state.nonce === nonce);
        if (applied) {
          this.remember(issue, applied.id, nonce, applied.body);
          return { written: true, id: applied.id };
        }
        if (attempt >= 2) throw error;
      }
    }
  }
}
