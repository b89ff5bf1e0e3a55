/**
 * Seeding: repositories with labels, issues (open/closed, pull requests), comments and extra
 * refs. Seeded data is placed at the beginning of time, so lagged reads see it at once.
 */

import { nodeId } from '../render/render.js';
import { ensureLabels } from '../routes/issue-model.js';
import type { AuthorAssociation } from '../types.js';
import { getCommit, makeCommit } from './git.js';
import type { SeedProject } from './projects.js';
import type { CommentRecord, IssueRecord, StateReason } from './records.js';
import type { NewRepo, Store } from './store.js';

export interface SeedComment {
  body: string;
  user?: string;
  authorAssociation?: AuthorAssociation;
  createdAt?: string;
  updatedAt?: string;
}

export interface SeedIssue {
  /** Defaults to the next free number; numbers are shared with pull requests. */
  number?: number;
  title: string;
  body?: string | null;
  state?: 'open' | 'closed';
  stateReason?: StateReason | null;
  /** Label names; missing repository labels are created. */
  labels?: string[];
  user?: string;
  authorAssociation?: AuthorAssociation;
  /** Makes this a pull request (it then carries a `pull_request` key in issue lists). */
  pullRequest?: boolean | { merged?: boolean; draft?: boolean; head?: string; base?: string };
  locked?: boolean;
  createdAt?: string;
  updatedAt?: string;
  closedAt?: string;
  comments?: SeedComment[];
}

/** A repository as NewRepo describes it, with its labels, issues and extra refs. */
export interface SeedRepo extends Omit<NewRepo, 'defaultLabels'> {
  /** Repository labels; when given they replace GitHub's nine default labels. */
  labels?: Array<{ name: string; color?: string; description?: string | null }>;
  issues?: SeedIssue[];
  /** Extra refs, each a chain of commits (one per message) on top of the default branch. */
  refs?: Array<{ ref: string; messages?: string[] }>;
}

export interface SeedData {
  repos: SeedRepo[];
  /** GitHub Projects (v2) with their cards (after the repositories: cards show their issues). */
  projects?: SeedProject[];
}

export const DEFAULT_SEED: SeedData = { repos: [{ owner: 'acme', name: 'widgets', defaultBranch: 'main' }] };

const AT_START = Number.NEGATIVE_INFINITY;

function time(value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  const ms = Date.parse(value);
  if (Number.isNaN(ms)) throw new Error(`seed: invalid date ${value}`);
  return Math.floor(ms / 1000) * 1000;
}

/** Creates (replacing same-named repositories) everything the seed describes. */
export function applySeed(store: Store, data: SeedData): void {
  if (!data || !Array.isArray(data.repos)) throw new Error('seed: expected { repos: [...] }');
  for (const spec of data.repos) {
    const repo = store.createRepo({ ...spec, defaultLabels: spec.labels === undefined }, AT_START);
    for (const l of spec.labels ?? []) {
      const id = store.nextLabelId();
      const label = {
        id,
        name: l.name,
        color: l.color ?? 'ededed',
        description: l.description ?? null,
        isDefault: false,
      };
      repo.labels.set(id, label, AT_START);
    }
    const now = store.clock.nowSeconds();
    for (const s of spec.issues ?? []) {
      const number = s.number ?? repo.nextNumber;
      if (repo.issues.has(number)) throw new Error(`seed: issue number ${number} used twice`);
      repo.nextNumber = Math.max(repo.nextNumber, number + 1);
      const createdAt = time(s.createdAt, now);
      const closed = s.state === 'closed';
      const pr = s.pullRequest ? (s.pullRequest === true ? {} : s.pullRequest) : undefined;
      const comments: CommentRecord[] = (s.comments ?? []).map((c) => ({
        id: store.nextCommentId(),
        issueNumber: number,
        body: c.body,
        user: c.user ?? s.user ?? 'octocat',
        authorAssociation: c.authorAssociation ?? 'NONE',
        createdAt: time(c.createdAt, createdAt),
        updatedAt: time(c.updatedAt ?? c.createdAt, createdAt),
      }));
      for (const c of comments) repo.comments.set(c.id, c, AT_START);
      const issue: IssueRecord = {
        id: store.nextIssueId(),
        number,
        title: s.title,
        body: s.body ?? null,
        state: closed ? 'closed' : 'open',
        stateReason: s.stateReason ?? (closed ? 'completed' : null),
        labelIds: ensureLabels(store, repo, s.labels ?? [], AT_START),
        user: s.user ?? 'octocat',
        authorAssociation: s.authorAssociation ?? 'OWNER',
        createdAt,
        updatedAt: time(s.updatedAt, createdAt),
        closedAt: closed ? time(s.closedAt, createdAt) : null,
        closedBy: closed ? (s.user ?? 'octocat') : null,
        comments: comments.length,
        locked: s.locked ?? false,
        pullRequest: pr
          ? {
              mergedAt: pr.merged ? createdAt : null,
              draft: pr.draft ?? false,
              head: pr.head ?? `seed/pr-${number}`,
              base: pr.base ?? repo.defaultBranch,
              headSha: null,
              baseSha: null,
              mergedBy: pr.merged ? (s.user ?? 'octocat') : null,
              mergeCommitSha: null,
              maintainerCanModify: false,
            }
          : null,
      };
      repo.issues.set(number, issue, AT_START);
    }
    for (const r of spec.refs ?? []) {
      let sha = repo.refs.get(`refs/heads/${repo.defaultBranch}`)!;
      for (const message of r.messages ?? []) {
        const parent = getCommit(repo, sha)!;
        const who = { name: 'seed', email: 'seed@example.com', date: now };
        const commit = makeCommit(
          { tree: parent.tree, parents: [sha], message, author: who, committer: who },
          parent.generation + 1,
        );
        repo.objects.set(commit.sha, commit, AT_START);
        sha = commit.sha;
      }
      repo.refs.set(r.ref.startsWith('refs/') ? r.ref : `refs/${r.ref}`, sha, AT_START);
    }
  }
  for (const project of data.projects ?? []) {
    store.projects.seed(project, (full, number) => {
      const [owner, name] = full.split('/');
      const issue = store.getRepo(owner!, name!)?.issues.get(number);
      if (!issue) throw new Error(`seed: project card for unknown issue ${full}#${number}`);
      return nodeId(issue.pullRequest ? 'PullRequest' : 'Issue', issue.id);
    });
  }
}
