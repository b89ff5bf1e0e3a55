/**
 * An issue as the board reads it: GitHub's issue object turned into a snapshot with
 * dependencies, agent capability, priority — and the trust rule for issue text.
 */
import { parseDependencies } from './dependencies.js';

export interface IssueSnapshot {
  number: number;
  title: string;
  body: string;
  state: 'open' | 'closed';
  /** `completed`, `not_planned`, `reopened`, … or null. Only closed-as-completed satisfies a dependency. */
  stateReason: string | null;
  labels: string[];
  authorAssociation: string;
  author: string | null;
  url: string;
  updatedAt: string;
  deps: number[];
  /** From the first `agent:<name>` label. */
  agent: string | null;
  priority: number;
}

/** Priority by label (case-insensitive); the highest matching value wins, 0 without a match. */
export const DEFAULT_PRIORITY_LABELS: Readonly<Record<string, number>> = {
  'priority:high': 10,
  'priority:low': -10,
};

export const DEFAULT_TRUSTED_ASSOCIATIONS: readonly string[] = ['OWNER', 'MEMBER', 'COLLABORATOR'];

export interface TrustPolicy {
  trustedAssociations: readonly string[];
  /** Labels that make an issue eligible whoever wrote it (applying a label needs triage rights). */
  taskLabels: readonly string[];
}

const lower = (s: string) => s.toLowerCase();

export function priorityOf(
  labels: readonly string[],
  map: Readonly<Record<string, number>> = DEFAULT_PRIORITY_LABELS,
) {
  const byName = new Map(Object.entries(map).map(([k, v]) => [lower(k), v]));
  const values = labels.flatMap((l) => (byName.has(lower(l)) ? [byName.get(lower(l))!] : []));
  return values.length ? Math.max(...values) : 0;
}

/** Agent capabilities named by `agent:<name>` labels, in label order. */
export function agentsOf(labels: readonly string[]): string[] {
  return labels.flatMap((l) => {
    const m = /^agent:\s*(\S.*)$/i.exec(l.trim());
    return m ? [m[1]!.trim()] : [];
  });
}

/**
 * Issue text is untrusted input: an issue is eligible only when its author is trusted
 * (OWNER, MEMBER, COLLABORATOR by default) or it carries one of the task labels.
 */
export function isTrusted(
  issue: Pick<IssueSnapshot, 'authorAssociation' | 'labels'>,
  policy: TrustPolicy,
): boolean {
  const associations = new Set(policy.trustedAssociations.map((a) => a.toUpperCase()));
  if (associations.has(issue.authorAssociation.toUpperCase())) return true;
  const task = new Set(policy.taskLabels.map(lower));
  return issue.labels.some((l) => task.has(lower(l)));
}

/** The fields of GitHub's issue object that we read. */
export interface RawIssue {
  number: number;
  title: string;
  body?: string | null;
  state: string;
  state_reason?: string | null;
  labels: Array<string | { name?: string }>;
  author_association: string;
  user: { login: string } | null;
  html_url: string;
  updated_at: string;
  /** Present on pull requests (the issues list includes them); `merged_at` set once merged. */
  pull_request?: { merged_at?: string | null } | null;
}

/** A pull request as the issues list shows it: the state `status` gives beside its number. */
export interface PullState {
  number: number;
  state: 'open' | 'closed' | 'merged';
}

export function toSnapshot(
  raw: RawIssue,
  ctx: { owner: string; repo: string; priorities?: Readonly<Record<string, number>> },
): IssueSnapshot {
  const labels = raw.labels.flatMap((l) => {
    const name = typeof l === 'string' ? l : l.name;
    return name ? [name] : [];
  });
  return {
    number: raw.number,
    title: raw.title,
    body: raw.body ?? '',
    state: raw.state === 'closed' ? 'closed' : 'open',
    stateReason: raw.state_reason ?? null,
    labels,
    authorAssociation: raw.author_association,
    author: raw.user?.login ?? null,
    url: raw.html_url,
    updatedAt: raw.updated_at,
    deps: parseDependencies(raw.body, { owner: ctx.owner, repo: ctx.repo, self: raw.number }),
    agent: agentsOf(labels)[0] ?? null,
    priority: priorityOf(labels, ctx.priorities),
  };
}
