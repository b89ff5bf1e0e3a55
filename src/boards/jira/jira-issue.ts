/**
 * A Jira issue as the board keeps it: what eligibility, claims and the executor need. The
 * ledger names a chain by a number: a Jira issue's is its numeric id, stable when the issue moves
 * to another project (its key changes then); the key is for humans and the CLI.
 */
import { adfToText } from './adf-text.js';
import type { JiraIssueData } from './jira-api.js';

export interface JiraSnapshot {
  /** Jira's numeric issue id: the ledger chain's number. */
  id: number;
  key: string;
  title: string;
  /** The description as plain text (ADF converted): the prompt's body. Untrusted. */
  body: string;
  labels: string[];
  status: string;
  /** The status is in Jira's "done" category (a human or the mirror closed it). */
  closed: boolean;
  /** `updated` as Jira rendered it, and as epoch ms. */
  updated: string;
  updatedMs: number;
  /** Issues linked "is blocked by" this one, and whether each is done. */
  blockedBy: { id: number; key: string; done: boolean }[];
  /** From the first `agent:<name>` label. */
  agent: string | null;
  priority: number;
  url: string;
}

/** Jira's `2026-11-30T09:03:26.000+0100` (no colon in the offset) as epoch ms; NaN when unreadable. */
export function jiraTimeMs(text: string | undefined): number {
  if (!text) return Number.NaN;
  return Date.parse(text.replace(/([+-]\d{2})(\d{2})$/, '$1:$2'));
}

export interface SnapshotRules {
  /** Priority by label (case-insensitive); the highest match wins, 0 without one. */
  priorityLabels: Readonly<Record<string, number>>;
  /** Priority by Jira's priority field name (`Highest`, `High`, …), added to the label's. */
  priorityNames?: Readonly<Record<string, number>>;
}

export const DEFAULT_JIRA_PRIORITIES: Readonly<Record<string, number>> = {
  Highest: 20,
  High: 10,
  Low: -10,
  Lowest: -20,
};

export function snapshotOf(data: JiraIssueData, baseUrl: string, rules: SnapshotRules): JiraSnapshot {
  const f = data.fields;
  const labels = f.labels ?? [];
  const agentLabel = labels.find((l) => /^agent:./i.test(l));
  const byLabel = labels.flatMap((l) => {
    const hit = Object.entries(rules.priorityLabels).find(([name]) => name.toLowerCase() === l.toLowerCase());
    return hit ? [hit[1]] : [];
  });
  const names = rules.priorityNames ?? DEFAULT_JIRA_PRIORITIES;
  const byField = f.priority?.name ? (names[f.priority.name] ?? 0) : 0;
  const blockedBy = (f.issuelinks ?? []).flatMap((link) =>
    link.type.name.toLowerCase() === 'blocks' && link.inwardIssue
      ? [
          {
            id: Number(link.inwardIssue.id),
            key: link.inwardIssue.key,
            done: link.inwardIssue.fields?.status?.statusCategory?.key === 'done',
          },
        ]
      : [],
  );
  return {
    id: Number(data.id),
    key: data.key,
    title: f.summary ?? '',
    body: adfToText(f.description),
    labels,
    status: f.status?.name ?? '',
    closed: f.status?.statusCategory?.key === 'done',
    updated: f.updated ?? '',
    updatedMs: jiraTimeMs(f.updated),
    blockedBy,
    agent: agentLabel ? agentLabel.slice('agent:'.length) : null,
    priority: (byLabel.length ? Math.max(...byLabel) : 0) + byField,
    url: `${baseUrl.replace(/\/+$/, '')}/browse/${data.key}`,
  };
}
