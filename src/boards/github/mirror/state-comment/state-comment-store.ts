/**
 * The claim comment: one per issue, edited in place, a human summary followed by a hidden
 * versioned block (see state-block.ts). A mirror of the ledger, never the authority.
 *
 * Comments have no compare-and-swap and a POST whose answer is lost may have landed, so the
 * store keeps a trail: the nonce is remembered before a POST; after an uncertain one the list is
 * re-read past the ETag cache, a few times with a short wait, before it ever posts again; and
 * any twin that slipped through (ours, or a fleet peer's) is deleted on the next write.
 */
import { randomUUID } from 'node:crypto';
import { type Clock, systemClock } from '../../../../core/clock.js';
import type { Logger } from '../../../../core/logger.js';
import type { KeyValueStore } from '../../../../state/kv-store.js';
import { fetchAllPages, type GitHubClient, GitHubNotFoundError, isUncertain } from '../../http/index.js';
import { CommentTrail } from './comment-trail.js';
import {
  type MirrorState,
  type ParsedState,
  type PublishOptions,
  parseStateComment,
  renderStateComment,
} from './state-block.js';
import {
  type CommentTrust,
  DEFAULT_TRUST,
  type FoundComment,
  keeperOf,
  type RawComment,
  stateComments,
} from './state-comment-scan.js';
import { WarnOnce } from './warn-once.js';

/** Waits between fresh re-reads after an uncertain write: 7.5 s in all before a second POST. */
export const REREAD_DELAYS_MS: readonly number[] = [500, 1_000, 2_000, 4_000];

type Result = { written: boolean; id: number | null };

export interface StateCommentOptions {
  client: GitHubClient;
  owner: string;
  repo: string;
  logger: Logger;
  /** Remembers our comment's id and last body per issue: an edit then needs no search. */
  cache?: KeyValueStore;
  /** Whose comments are state comments (default: OWNER, MEMBER, COLLABORATOR). */
  trust?: CommentTrust;
  /** What the comment publishes of errors (default: nothing but the artifact id). */
  publish?: PublishOptions;
  clock?: Pick<Clock, 'sleep'>;
  /** Waits between fresh re-reads after an uncertain write (default REREAD_DELAYS_MS). */
  rereadDelaysMs?: readonly number[];
}

export class StateCommentStore {
  private readonly warnings: WarnOnce;
  private readonly clock: Pick<Clock, 'sleep'>;
  private readonly trail: CommentTrail;

  constructor(private readonly ctx: StateCommentOptions) {
    this.trail = new CommentTrail(ctx);
    this.warnings = new WarnOnce(ctx.logger);
    this.clock = ctx.clock ?? systemClock();
  }

  /** The state our comment showed when we last wrote or read it (no request); null if unknown. */
  remembered(issue: number): ParsedState | null {
    const known = this.trail.get(issue);
    return known ? parseStateComment(known.body) : null;
  }

  private render(state: MirrorState, nonce: string): string {
    return renderStateComment({ ...state, nonce }, this.ctx.publish);
  }

  /** The state comment to use, searched across all pages of comments (each page ETag-cached). */
  async find(issue: number, signal?: AbortSignal): Promise<FoundComment | null> {
    return keeperOf(await this.scan(issue, { signal }));
  }

  /** The trusted state comments of the issue; `fresh` reads past the ETag cache. */
  private async scan(issue: number, o: { signal?: AbortSignal; fresh?: boolean } = {}) {
    const { client, owner, repo } = this.ctx;
    const { items } = await fetchAllPages<RawComment>(
      client,
      'GET /repos/{owner}/{repo}/issues/{issue_number}/comments',
      { owner, repo, issue_number: issue, per_page: 100 },
      o.signal,
      { fresh: o.fresh === true },
    );
    return stateComments(issue, items, this.ctx.trust ?? DEFAULT_TRUST, this.warnings);
  }

  /** Fresh reads, a few and spaced, until `seen` holds; the last read either way. */
  private async lookFor(issue: number, seen: (c: FoundComment) => boolean) {
    const delays = this.ctx.rereadDelaysMs ?? REREAD_DELAYS_MS;
    for (let i = 0; ; i++) {
      const comments = await this.scan(issue, { fresh: true });
      if (comments.some(seen)) return { comments, seen: true };
      if (i >= delays.length) return { comments, seen: false };
      await this.clock.sleep(delays[i]!);
    }
  }

  /**
   * Writes the state after `stillHolds()` confirms the claim (nothing at all when it does not):
   * edits the issue's state comment in place, or creates it, and deletes any twin. The body is
   * skipped when unchanged.
   */
  async upsert(
    issue: number,
    state: MirrorState,
    options: { stillHolds: () => Promise<boolean> },
  ): Promise<Result> {
    if (!(await options.stillHolds())) return { written: false, id: null };
    const known = this.trail.get(issue);
    if (known && known.id !== null && !known.verify) {
      // Our comment as we last wrote it: edit by id, no search (a deleted one is searched for).
      const edited = await this.edit(issue, known.id, known.nonce, state, known.body);
      if (edited) return edited;
    }
    let comments: FoundComment[];
    let verified = true;
    if (known && (known.id === null || known.verify)) {
      // An earlier POST may have landed unseen, or left a twin: look past caches first.
      const id = known.id;
      const look = await this.lookFor(issue, (c) =>
        id === null ? c.state.nonce === known.nonce : c.id === id,
      );
      comments = look.comments;
      verified = look.seen;
      if (!verified && id !== null) {
        // Our re-posted comment is not visible yet (read lag): write to it and look again later.
        const edited = await this.edit(issue, id, known.nonce, state, known.body, true);
        if (edited) return edited;
      }
    } else {
      comments = await this.scan(issue, { fresh: known !== null });
    }
    const keeper = keeperOf(comments);
    if (!keeper) return this.post(issue, state, known?.nonce ?? state.nonce ?? randomUUID());
    if (verified) await this.deleteTwins(issue, comments, keeper.id);
    const nonce = keeper.state.nonce ?? known?.nonce ?? state.nonce ?? randomUUID();
    const edited = await this.edit(issue, keeper.id, nonce, state, keeper.body, !verified);
    if (edited) return edited;
    this.trail.forget(issue); // deleted under us (a peer's clean-up): search next time
    return { written: false, id: null };
  }

  /** Our comment of `issue` was created lately and may have a twin (settle() has not run yet). */
  inDoubt(issue: number): boolean {
    return this.trail.get(issue)?.verify === true;
  }

  /**
   * Once a POST's read lag has passed: reads past caches and deletes every twin but the keeper
   * (the same one whichever daemon looks), so two writers that raced to create the comment
   * converge on one. Nothing is written while our comment is not visible yet.
   */
  async settle(issue: number): Promise<void> {
    const known = this.trail.get(issue);
    if (!known?.verify || known.id === null) return;
    const id = known.id;
    const look = await this.lookFor(issue, (c) => c.id === id);
    const keeper = look.seen ? keeperOf(look.comments) : null;
    if (!keeper) return; // not visible yet: the next write or settle looks again
    await this.deleteTwins(issue, look.comments, keeper.id);
    const nonce = keeper.state.nonce ?? known.nonce;
    this.trail.set(issue, { id: keeper.id, nonce, body: keeper.body });
  }

  /** PATCHes `id` unless the body is unchanged; null if the comment is gone (404). */
  private async edit(
    issue: number,
    id: number,
    nonce: string,
    state: MirrorState,
    previous: string,
    verify = false,
  ): Promise<Result | null> {
    const { client, owner, repo } = this.ctx;
    const body = this.render(state, nonce);
    const record = (b: string) =>
      this.trail.set(issue, { id, nonce, body: b, ...(verify ? { verify } : {}) });
    if (body === previous) {
      record(body);
      return { written: false, id };
    }
    try {
      await client.rest.issues.updateComment({ owner, repo, comment_id: id, body });
    } catch (error) {
      if (error instanceof GitHubNotFoundError) return null;
      throw error;
    }
    record(body);
    return { written: true, id };
  }

  /**
   * Creates the comment. The nonce is remembered first, so a lost answer — or a crash — leaves
   * a trail the next write follows. After an uncertain POST the list is re-read past caches
   * (a lagged 304 would hide the comment) before a single second POST with the same nonce.
   */
  private async post(issue: number, state: MirrorState, nonce: string): Promise<Result> {
    const { client, owner, repo, logger } = this.ctx;
    const body = this.render(state, nonce);
    for (let attempt = 1; ; attempt++) {
      this.trail.set(issue, { id: null, nonce, body: '' });
      try {
        const { data } = await client.rest.issues.createComment({ owner, repo, issue_number: issue, body });
        // Any POST may have a twin: a second one of ours, or a peer's that raced it (comments have
        // no create-if-absent). The mirror settles it shortly after (see settle()).
        this.trail.set(issue, { id: data.id, nonce, body, verify: true });
        return { written: true, id: data.id };
      } catch (error) {
        if (!isUncertain(error)) {
          this.trail.forget(issue); // refused: certainly not applied
          throw error;
        }
        const look = await this.lookFor(issue, (c) => c.state.nonce === nonce);
        const mine = look.seen ? keeperOf(look.comments) : null;
        if (mine) {
          await this.deleteTwins(issue, look.comments, mine.id);
          this.trail.set(issue, { id: mine.id, nonce, body: mine.body });
          return { written: true, id: mine.id };
        }
        if (attempt >= 2) throw error; // the trail stays: the next write looks again
        logger.info({ issue }, `a state comment POST on #${issue} was not applied: posting it again`);
      }
    }
  }

  /** Deletes the other state comments (all machine-written): one state comment per issue. */
  private async deleteTwins(issue: number, comments: readonly FoundComment[], keep: number): Promise<void> {
    const { client, owner, repo, logger } = this.ctx;
    for (const c of comments) {
      if (c.id === keep) continue;
      try {
        await client.rest.issues.deleteComment({ owner, repo, comment_id: c.id });
        logger.info({ issue, comment: c.id, kept: keep }, `deleted a duplicate state comment on #${issue}`);
      } catch (error) {
        if (!(error instanceof GitHubNotFoundError)) throw error;
      }
    }
  }
}
