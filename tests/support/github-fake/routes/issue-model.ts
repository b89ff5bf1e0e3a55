/** Issue and label mutations shared by the issue, label and comment routes. */
import { GitHubError, validationFailed } from '../http.js';
import type { IssueRecord, LabelRecord, PullFields, RepoRecord } from '../model/records.js';
import type { Store } from '../model/store.js';
import type { AuthorAssociation, TokenProfile } from '../types.js';

export function findLabel(repo: RepoRecord, name: string, asOf?: number): LabelRecord | undefined {
  const wanted = name.toLowerCase();
  return repo.labels.values(asOf).find((l) => l.name.toLowerCase() === wanted);
}

export const COLOR_RE = /^[0-9a-fA-F]{6}$/;

/**
 * Label names from a request body (`["a"]`, `{ labels: ["a"] }` or `[{ name: "a" }]`), as GitHub
 * accepts all three.
 */
export function labelNames(body: unknown, docs: string): string[] {
  const list = Array.isArray(body) ? body : (body as { labels?: unknown } | undefined)?.labels;
  if (!Array.isArray(list)) {
    throw new GitHubError(422, 'Invalid request.\n\n"labels" wasn\'t supplied.', { docs });
  }
  return list.map((item) => {
    const name = typeof item === 'string' ? item : (item as { name?: unknown } | null)?.name;
    if (typeof name !== 'string' || name.trim() === '') {
      throw validationFailed([{ resource: 'Label', code: 'invalid', field: 'name' }], docs);
    }
    return name;
  });
}

/** Ids for label names, creating missing repository labels (grey, like GitHub). */
export function ensureLabels(store: Store, repo: RepoRecord, names: string[], at?: number): number[] {
  const ids: number[] = [];
  for (const name of names) {
    let label = findLabel(repo, name);
    if (!label) {
      label = { id: store.nextLabelId(), name, color: 'ededed', description: null, isDefault: false };
      repo.labels.set(label.id, label, at);
    }
    if (!ids.includes(label.id)) ids.push(label.id);
  }
  return ids;
}

/** Stores a changed issue; `updated_at` moves only when something changed. */
export function saveIssue(
  repo: RepoRecord,
  before: IssueRecord,
  after: IssueRecord,
  now: number,
): IssueRecord {
  const changed = (Object.keys(after) as Array<keyof IssueRecord>).some(
    (k) => JSON.stringify(after[k]) !== JSON.stringify(before[k]),
  );
  if (!changed) return before;
  const saved = { ...after, updatedAt: now };
  repo.issues.set(saved.number, saved);
  return saved;
}

/** Association for content created with a token: explicit, else OWNER on own repos, else MEMBER. */
export function associationOf(profile: TokenProfile, repo: RepoRecord): AuthorAssociation {
  return profile.association ?? (profile.login === repo.owner ? 'OWNER' : 'MEMBER');
}

export const STATE_REASONS = ['completed', 'not_planned', 'duplicate', 'reopened'] as const;

/**
 * Stores a new open issue or pull request by the token's user, numbered from the repository's
 * sequence (shared by issues and pull requests).
 */
export function createIssueRecord(
  req: { store: Store; profile: TokenProfile; now: number },
  repo: RepoRecord,
  fields: { title: string; body: string | null; labelIds: number[]; pullRequest: PullFields | null },
): IssueRecord {
  const issue: IssueRecord = {
    id: req.store.nextIssueId(),
    number: repo.nextNumber++,
    ...fields,
    state: 'open',
    stateReason: null,
    user: req.profile.login ?? 'test-user',
    authorAssociation: associationOf(req.profile, repo),
    createdAt: req.now,
    updatedAt: req.now,
    closedAt: null,
    closedBy: null,
    comments: 0,
    locked: false,
  };
  repo.issues.set(issue.number, issue);
  return issue;
}
