/**
 * A pull request's reviews on GitHub: list, post, dismiss, and taking the pull request out of
 * draft. That last one is GraphQL only: REST `PATCH /pulls/{n}` ignores `draft: false` and
 * answers 200 (github/gh-aw#22469 fell into exactly that); `markPullRequestReadyForReview` is
 * the mutation `gh pr ready` uses.
 */
import { fetchAllPages, type GitHubClient } from '../http/index.js';

export type ReviewEvent = 'APPROVE' | 'REQUEST_CHANGES' | 'COMMENT';

/** A submitted (or pending, own) review as GitHub lists it. */
export interface PullReview {
  id: number;
  login: string | null;
  /** APPROVED, CHANGES_REQUESTED, COMMENTED, DISMISSED, PENDING. */
  state: string;
  association: string;
  body: string;
  commitId: string | null;
}

interface RawReview {
  id: number;
  user: { login: string } | null;
  state: string;
  author_association: string;
  body: string;
  commit_id: string | null;
}

/** The GraphQL document this module sends (tests/github-board/graphql-schema.test.ts validates it). */
export const MARK_READY = `mutation MarkReady($id: ID!) {
  markPullRequestReadyForReview(input: { pullRequestId: $id }) { pullRequest { isDraft } }
}`;

export class PullReviews {
  constructor(
    private readonly client: GitHubClient,
    private readonly owner: string,
    private readonly repo: string,
  ) {}

  async list(pr: number, signal?: AbortSignal): Promise<PullReview[]> {
    const { items } = await fetchAllPages<RawReview>(
      this.client,
      'GET /repos/{owner}/{repo}/pulls/{pull_number}/reviews',
      { owner: this.owner, repo: this.repo, pull_number: pr, per_page: 100 },
      signal,
      { fresh: true },
    );
    return items.map((r) => ({
      id: r.id,
      login: r.user?.login ?? null,
      state: r.state,
      association: r.author_association,
      body: r.body,
      commitId: r.commit_id,
    }));
  }

  /** One review's text (the body a reviewer wrote), for the attempt that answers it. */
  async body(pr: number, reviewId: number, signal?: AbortSignal): Promise<string> {
    const { data } = await this.client.rest.pulls.getReview({
      owner: this.owner,
      repo: this.repo,
      pull_number: pr,
      review_id: reviewId,
      request: { signal },
    });
    return data.body;
  }

  /** Posts a submitted review on `commitId` (the head that was reviewed, not whatever is newest). */
  async create(
    pr: number,
    review: { event: ReviewEvent; body: string; commitId: string },
    signal?: AbortSignal,
  ): Promise<{ id: number }> {
    const { data } = await this.client.rest.pulls.createReview({
      owner: this.owner,
      repo: this.repo,
      pull_number: pr,
      event: review.event,
      body: review.body,
      commit_id: review.commitId,
      request: { signal },
    });
    return { id: data.id };
  }

  async dismiss(pr: number, reviewId: number, message: string, signal?: AbortSignal): Promise<void> {
    await this.client.rest.pulls.dismissReview({
      owner: this.owner,
      repo: this.repo,
      pull_number: pr,
      review_id: reviewId,
      message,
      event: 'DISMISS',
      request: { signal },
    });
  }

  /** Takes a draft out of draft (a no-op on one that is not); `nodeId` is the PR's `node_id`. */
  async markReady(nodeId: string, signal?: AbortSignal): Promise<boolean> {
    const data = await this.client.graphql<{
      markPullRequestReadyForReview: { pullRequest: { isDraft: boolean } };
    }>(MARK_READY, { id: nodeId, request: { signal } });
    return !data.markPullRequestReadyForReview.pullRequest.isDraft;
  }
}
