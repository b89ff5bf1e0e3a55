/** Stored entities. All are immutable: an update stores a new object (see versioned.ts). */
import type { AuthorAssociation } from '../types.js';
import type { VersionedMap } from './versioned.js';

export type IssueState = 'open' | 'closed';
export type StateReason = 'completed' | 'not_planned' | 'duplicate' | 'reopened';

export interface IssueRecord {
  readonly id: number;
  readonly number: number;
  readonly title: string;
  readonly body: string | null;
  readonly state: IssueState;
  readonly stateReason: StateReason | null;
  /** Label ids, so that renaming a repository label shows on every issue carrying it. */
  readonly labelIds: readonly number[];
  readonly user: string;
  readonly authorAssociation: AuthorAssociation;
  readonly createdAt: number;
  readonly updatedAt: number;
  readonly closedAt: number | null;
  readonly closedBy: string | null;
  readonly comments: number;
  readonly locked: boolean;
  /** Set for pull requests, which share the issue number sequence and appear in issue lists. */
  readonly pullRequest: PullFields | null;
}

/** What a pull request has beyond its issue. Branches live in the bare repository (bare-git.ts). */
export interface PullFields {
  readonly mergedAt: number | null;
  readonly draft: boolean;
  /** Branch names (without `refs/heads/`), in this repository: the fake has no forks. */
  readonly head: string;
  readonly base: string;
  /**
   * The shas last seen for head and base: shown once a branch is gone (merged, deleted), as
   * GitHub keeps showing them. While the branches exist, the bare repository is read instead.
   */
  readonly headSha: string | null;
  readonly baseSha: string | null;
  readonly mergedBy: string | null;
  readonly mergeCommitSha: string | null;
  readonly maintainerCanModify: boolean;
}

export interface LabelRecord {
  readonly id: number;
  readonly name: string;
  readonly color: string;
  readonly description: string | null;
  readonly isDefault: boolean;
}

export interface CommentRecord {
  readonly id: number;
  readonly issueNumber: number;
  readonly body: string;
  readonly user: string;
  readonly authorAssociation: AuthorAssociation;
  readonly createdAt: number;
  readonly updatedAt: number;
}

/** A pull request review's state as GitHub spells it; PENDING until submitted. */
export type ReviewState = 'PENDING' | 'APPROVED' | 'CHANGES_REQUESTED' | 'COMMENTED' | 'DISMISSED';

export interface ReviewRecord {
  readonly id: number;
  readonly pullNumber: number;
  readonly user: string;
  readonly authorAssociation: AuthorAssociation;
  readonly body: string;
  readonly state: ReviewState;
  /** The head commit the review was made on. */
  readonly commitId: string;
  /** Null while PENDING. */
  readonly submittedAt: number | null;
}

export interface GitIdentity {
  readonly name: string;
  readonly email: string;
  /** Wall-clock ms, whole seconds as in a git object. */
  readonly date: number;
}

export interface CommitObject {
  readonly type: 'commit';
  readonly sha: string;
  readonly tree: string;
  readonly parents: readonly string[];
  readonly message: string;
  readonly author: GitIdentity;
  readonly committer: GitIdentity;
  /** 1 + the largest parent generation: lets the ancestry walk stop early. */
  readonly generation: number;
}

export interface TreeEntry {
  readonly path: string;
  readonly mode: string;
  readonly type: 'blob' | 'tree';
  readonly sha: string;
  readonly size?: number;
}

export interface TreeObject {
  readonly type: 'tree';
  readonly sha: string;
  readonly entries: readonly TreeEntry[];
}

export interface BlobObject {
  readonly type: 'blob';
  readonly sha: string;
  readonly content: string;
  readonly size: number;
}

export type GitObject = CommitObject | TreeObject | BlobObject;

export interface RepoRecord {
  readonly id: number;
  readonly owner: string;
  readonly name: string;
  readonly ownerType: 'User' | 'Organization';
  readonly defaultBranch: string;
  readonly private: boolean;
  readonly createdAt: number;
  readonly issues: VersionedMap<number, IssueRecord>;
  readonly labels: VersionedMap<number, LabelRecord>;
  readonly comments: VersionedMap<number, CommentRecord>;
  readonly reviews: VersionedMap<number, ReviewRecord>;
  /** Full ref name (`refs/heads/main`) to object sha. */
  readonly refs: VersionedMap<string, string>;
  readonly objects: VersionedMap<string, GitObject>;
  /** Next issue/pull request number; only writes use it, so it needs no history. */
  nextNumber: number;
}
