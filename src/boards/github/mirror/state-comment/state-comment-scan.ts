/**
 * Which comments are state comments. Anyone can comment on a public repository, so a readable
 * block counts only when its author is trusted: the author association rule that makes issues
 * trusted, or a configured login (a bot whose association GitHub reports as NONE). Keying on
 * "my own login" would split a fleet whose workstations use different people's tokens.
 */

import { type ParsedState, readStateBlock, STATE_MARKER } from './state-block.js';
import type { WarnOnce } from './warn-once.js';

/** The fields of GitHub's issue comment object that we read. */
export interface RawComment {
  id: number;
  body?: string | null;
  user?: { login?: string | null } | null;
  author_association?: string | null;
}

export interface FoundComment {
  id: number;
  state: ParsedState;
  body: string;
  /** The comment author's login (null for a deleted account). */
  author: string | null;
}

export interface CommentTrust {
  /** Author associations whose comments count (as for issues: CODEX_MONITOR_TRUSTED_ASSOCIATIONS). */
  associations: readonly string[];
  /** Logins whose comments count whatever their association (CODEX_MONITOR_STATE_COMMENT_LOGINS). */
  logins?: readonly string[];
}

export const DEFAULT_TRUST: CommentTrust = { associations: ['OWNER', 'MEMBER', 'COLLABORATOR'] };

export function isTrustedAuthor(comment: RawComment, trust: CommentTrust): boolean {
  const association = (comment.author_association ?? '').toUpperCase();
  if (association && trust.associations.some((a) => a.toUpperCase() === association)) return true;
  const login = comment.user?.login?.toLowerCase();
  return login !== undefined && (trust.logins ?? []).some((l) => l.toLowerCase() === login);
}

/**
 * A body entirely in a state comment's format — ours (summary first) or the original's (block
 * first) — so deleting it as a duplicate never deletes what a person wrote around a block.
 */
export function isMachineWritten(body: string): boolean {
  const text = body.trimStart();
  return text.startsWith('**codex-monitor** · ') || text.startsWith(`<!-- ${STATE_MARKER}`);
}

/**
 * The state comments among `items`: trusted author, readable block, and a body in a state
 * comment's format. Untrusted and malformed blocks are reported once each.
 */
export function stateComments(
  issue: number,
  items: readonly RawComment[],
  trust: CommentTrust,
  warnings: WarnOnce,
): FoundComment[] {
  const found: FoundComment[] = [];
  for (const c of items) {
    if (!c.body?.includes(STATE_MARKER)) continue;
    const reading = readStateBlock(c.body);
    if (reading.kind === 'none') continue;
    const author = c.user?.login ?? null;
    if (!isTrustedAuthor(c, trust)) {
      warnings.warn(
        `untrusted:${c.id}`,
        { issue, comment: c.id, author, association: c.author_association ?? null },
        `ignoring a ${STATE_MARKER} block on issue #${issue} from an untrusted author ` +
          `(${author ?? 'unknown'}, ${c.author_association ?? 'no association'}); ` +
          'to trust a bot account add its login to CODEX_MONITOR_STATE_COMMENT_LOGINS',
      );
      continue;
    }
    if (reading.kind === 'malformed') {
      warnings.warn(
        `malformed:${c.id}:${c.body.length}`,
        { issue, comment: c.id, reason: reading.reason },
        `ignoring a malformed ${STATE_MARKER} block on issue #${issue} (comment ${c.id}): ${reading.reason}`,
      );
      continue;
    }
    // A person's comment that shows a block among their own words is theirs, not the mirror:
    // never edited, never deleted.
    if (!isMachineWritten(c.body)) continue;
    found.push({ id: c.id, state: reading.state, body: c.body, author });
  }
  return found;
}

/**
 * The one comment to keep of several: the most advanced (highest epoch), then the newest. It
 * depends on nothing but the comments — not on whose nonce a daemon holds — so every daemon that
 * sees the same twins keeps the same one (two daemons each keeping its own would delete both).
 */
export function keeperOf(comments: readonly FoundComment[]): FoundComment | null {
  const rank = (c: FoundComment) => [c.state.epoch ?? -1, c.id];
  let best: FoundComment | null = null;
  for (const c of comments) {
    if (best === null) {
      best = c;
      continue;
    }
    const [a, b] = [rank(c), rank(best)];
    const i = a.findIndex((v, k) => v !== b[k]);
    if (i >= 0 && a[i]! > b[i]!) best = c;
  }
  return best;
}
