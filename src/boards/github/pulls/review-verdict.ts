/**
 * Which review decides a pull request: a person's own approval or change request wins over any
 * agent's. Only trusted authors count (OWNER, MEMBER, COLLABORATOR: anyone may review a public
 * repository), never the fleet's own logins, never a dismissed or a merely commenting review;
 * the latest such review is the person's current word. With `headSha`, only reviews of that
 * commit count: a change request on an older head was answered by the push that followed it.
 */
import type { PullReview } from './pull-reviews.js';

const TRUSTED = new Set(['OWNER', 'MEMBER', 'COLLABORATOR']);

export interface HumanVerdict {
  verdict: 'approve' | 'request-changes';
  login: string;
  reviewId: number;
  body: string;
}

export function humanVerdict(
  reviews: readonly PullReview[],
  fleetLogins: ReadonlySet<string>,
  headSha?: string,
): HumanVerdict | null {
  for (const r of [...reviews].sort((a, b) => b.id - a.id)) {
    if (r.login === null || fleetLogins.has(r.login) || !TRUSTED.has(r.association)) continue;
    if (headSha !== undefined && r.commitId !== headSha) continue;
    if (r.state === 'APPROVED') return { verdict: 'approve', login: r.login, reviewId: r.id, body: r.body };
    if (r.state === 'CHANGES_REQUESTED') {
      return { verdict: 'request-changes', login: r.login, reviewId: r.id, body: r.body };
    }
  }
  return null;
}
