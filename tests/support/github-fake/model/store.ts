/**
 * The fake's data: repositories with their issues, labels, comments, refs and git objects, plus
 * the id sequences GitHub keeps across repositories. Also the read-only helpers tests use for
 * assertions (`fake.state`).
 */
import type { ServerClock } from '../clock.js';
import { nodeId } from '../render/render.js';
import type { BareRepos } from './bare-git.js';
import { getCommit, makeCommit, writeFiles } from './git.js';
import { Projects } from './projects.js';
import { type MergeResult, mergePull } from './pull-merge.js';
import type { CommentRecord, CommitObject, IssueRecord, LabelRecord, RepoRecord } from './records.js';
import { VersionedMap } from './versioned.js';

/** GitHub's default labels of a new repository, as the `labels` fixture shows them. */
export const DEFAULT_LABELS: ReadonlyArray<readonly [string, string, string]> = [
  ['bug', 'd73a4a', "Something isn't working"],
  ['documentation', '0075ca', 'Improvements or additions to documentation'],
  ['duplicate', 'cfd3d7', 'This issue or pull request already exists'],
  ['enhancement', 'a2eeef', 'New feature or request'],
  ['good first issue', '7057ff', 'Good for newcomers'],
  ['help wanted', '008672', 'Extra attention is needed'],
  ['invalid', 'e4e669', "This doesn't seem right"],
  ['question', 'd876e3', 'Further information is requested'],
  ['wontfix', 'ffffff', 'This will not be worked on'],
];

export interface NewRepo {
  owner: string;
  name: string;
  ownerType?: 'User' | 'Organization';
  defaultBranch?: string;
  private?: boolean;
  /** Files of the initial commit's tree (default: a README.md). */
  files?: Record<string, string>;
  defaultLabels?: boolean;
}

/** Plain view of an issue for assertions: label names instead of ids. */
export interface IssueView extends Omit<IssueRecord, 'labelIds'> {
  labels: string[];
}

export class Store {
  readonly clock: ServerClock;
  /** The bare repositories behind pull requests (option `gitRoot`); undefined without them. */
  git: BareRepos | undefined;
  readonly #repos = new Map<string, RepoRecord>();
  readonly #userIds = new Map<string, number>();
  #nextRepoId = 1000;
  #nextIssueId = 5000;
  #nextLabelId = 9000;
  #nextCommentId = 100_000;

  /** GitHub Projects (v2), served over GraphQL (routes/graphql.ts). */
  readonly projects = new Projects((id) => this.issueByNode(id));

  constructor(clock: ServerClock) {
    this.clock = clock;
  }

  /** The issue or pull request with this GraphQL node id, now. */
  issueByNode(id: string): { repo: RepoRecord; issue: IssueRecord } | undefined {
    for (const repo of this.#repos.values()) {
      const issue = repo.issues
        .values()
        .find((i) => nodeId(i.pullRequest ? 'PullRequest' : 'Issue', i.id) === id);
      if (issue) return { repo, issue };
    }
    return undefined;
  }

  nextIssueId(): number {
    return this.#nextIssueId++;
  }
  nextLabelId(): number {
    return this.#nextLabelId++;
  }
  /** Comment ids only grow, across all repositories, as on GitHub. */
  nextCommentId(): number {
    return this.#nextCommentId++;
  }

  userId(login: string): number {
    let id = this.#userIds.get(login);
    if (id === undefined) {
      id = 1 + this.#userIds.size;
      this.#userIds.set(login, id);
    }
    return id;
  }

  /** Creates (or replaces) a repository with one commit on its default branch. */
  createRepo(spec: NewRepo, at = Number.NEGATIVE_INFINITY): RepoRecord {
    const repo: RepoRecord = {
      id: this.#nextRepoId++,
      owner: spec.owner,
      name: spec.name,
      ownerType: spec.ownerType ?? 'Organization',
      defaultBranch: spec.defaultBranch ?? 'main',
      private: spec.private ?? true,
      createdAt: this.clock.nowSeconds(),
      issues: new VersionedMap(this.clock),
      labels: new VersionedMap(this.clock),
      comments: new VersionedMap(this.clock),
      reviews: new VersionedMap(this.clock),
      refs: new VersionedMap(this.clock),
      objects: new VersionedMap(this.clock),
      nextNumber: 1,
    };
    const tree = writeFiles(repo, spec.files ?? { 'README.md': `# ${spec.name}\n` }, at);
    const who = { name: spec.owner, email: `${spec.owner}@users.noreply.github.com`, date: repo.createdAt };
    const commit = makeCommit(
      { tree: tree.sha, parents: [], message: 'Initial commit', author: who, committer: who },
      1,
    );
    repo.objects.set(commit.sha, commit, at);
    repo.refs.set(`refs/heads/${repo.defaultBranch}`, commit.sha, at);
    this.git?.create(repo, commit);
    if (spec.defaultLabels !== false) {
      for (const [name, color, description] of DEFAULT_LABELS) {
        const id = this.nextLabelId();
        repo.labels.set(id, { id, name, color, description, isDefault: true }, at);
      }
    }
    this.#repos.set(key(spec.owner, spec.name), repo);
    return repo;
  }

  getRepo(owner: string, name: string): RepoRecord | undefined {
    return this.#repos.get(key(owner, name));
  }

  repoById(id: number): RepoRecord | undefined {
    for (const repo of this.#repos.values()) if (repo.id === id) return repo;
    return undefined;
  }

  repos(): RepoRecord[] {
    return [...this.#repos.values()];
  }

  // ---- assertion helpers (current state) -------------------------------------------------

  /** The repository `owner/name`; throws when it does not exist, to fail tests loudly. */
  repo(fullName: string): RepoRecord {
    const [owner = '', name = ''] = fullName.split('/');
    const repo = this.getRepo(owner, name);
    if (!repo) throw new Error(`fake GitHub has no repository ${fullName}`);
    return repo;
  }

  issue(fullName: string, number: number): IssueView | undefined {
    const repo = this.repo(fullName);
    const issue = repo.issues.get(number);
    return issue ? viewIssue(repo, issue) : undefined;
  }

  /**
   * The issue leaves the repository, as a transfer to another repository or a deletion does:
   * no listing shows it and reading it is 404. Nothing of it moves an `updated_at` here.
   */
  removeIssue(fullName: string, number: number): void {
    if (!this.repo(fullName).issues.delete(number))
      throw new Error(`fake GitHub has no issue ${fullName}#${number}`);
  }

  issues(fullName: string): IssueView[] {
    const repo = this.repo(fullName);
    return repo.issues
      .values()
      .sort((a, b) => a.number - b.number)
      .map((issue) => viewIssue(repo, issue));
  }

  /** The pull requests (open, closed, merged) in number order; `pullRequest` holds head, base, shas. */
  pulls(fullName: string): IssueView[] {
    return this.issues(fullName).filter((i) => i.pullRequest !== null);
  }

  labels(fullName: string): LabelRecord[] {
    return this.repo(fullName).labels.values();
  }

  /** Comments of one issue (or of the repository), in id order. */
  comments(fullName: string, issueNumber?: number): CommentRecord[] {
    return this.repo(fullName)
      .comments.values()
      .filter((c) => issueNumber === undefined || c.issueNumber === issueNumber)
      .sort((a, b) => a.id - b.id);
  }

  /** All refs as `{ 'refs/heads/main': sha }`, sorted by name. */
  refs(fullName: string): Record<string, string> {
    const entries = this.repo(fullName).refs.entries();
    entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return Object.fromEntries(entries);
  }

  /** The sha a ref points to; accepts `refs/heads/main` or `heads/main`. */
  ref(fullName: string, ref: string): string | undefined {
    const full = ref.startsWith('refs/') ? ref : `refs/${ref}`;
    return this.repo(fullName).refs.get(full);
  }

  commit(fullName: string, sha: string): CommitObject | undefined {
    return getCommit(this.repo(fullName), sha);
  }

  /** Commits from `sha` following first parents, newest first. */
  history(fullName: string, sha: string): CommitObject[] {
    const out: CommitObject[] = [];
    let commit = this.commit(fullName, sha);
    while (commit) {
      out.push(commit);
      const parent = commit.parents[0];
      commit = parent ? this.commit(fullName, parent) : undefined;
    }
    return out;
  }

  /**
   * Merges pull request `number` as a maintainer would (see pull-merge.ts): a merge commit on
   * its base in the bare repository, the PR closed as merged, and the issues its body says it
   * fixes closed as completed (when the base is the default branch).
   */
  mergePull(fullName: string, number: number, by = 'test-user'): MergeResult {
    return mergePull(this, this.repo(fullName), number, { by });
  }

  /** The bare repository of `owner/name` (option `gitRoot`); throws without one. */
  gitRemote(owner: string, name: string): string {
    if (!this.git) throw new Error('fake GitHub was started without gitRoot: it has no git repositories');
    this.repo(`${owner}/${name}`);
    return this.git.path(owner, name);
  }

  /** A JSON-friendly dump of every repository (served at `GET /_fake/state`). */
  snapshot(): unknown {
    return this.repos().map((repo) => {
      const full = `${repo.owner}/${repo.name}`;
      return {
        full_name: full,
        default_branch: repo.defaultBranch,
        issues: this.issues(full),
        labels: this.labels(full),
        comments: this.comments(full),
        refs: this.refs(full),
      };
    });
  }
}

function key(owner: string, name: string): string {
  return `${owner}/${name}`.toLowerCase();
}

function viewIssue(repo: RepoRecord, issue: IssueRecord): IssueView {
  const { labelIds, ...rest } = issue;
  const labels = labelIds.flatMap((id) => {
    const label = repo.labels.get(id);
    return label ? [label.name] : [];
  });
  return { ...rest, labels };
}
