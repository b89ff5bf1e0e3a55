/**
 * The Jira fake's state: issues (numeric id, key, labels, status, ADF description), comments,
 * "Blocks" links and one workflow. Timestamps are kept at SECOND resolution, as Jira Cloud
 * renders them (`2026-11-30T08:03:26.000+0000`): two edits within one second leave `updated`
 * unchanged, which a client de-duping on `updated` alone would miss.
 */
import { dateLiteral } from './jql.js';

export type StatusCategory = 'new' | 'indeterminate' | 'done';

export interface FakeComment {
  id: string;
  authorId: string;
  body: unknown;
  createdMs: number;
  updatedMs: number;
}

export interface FakeIssue {
  id: string;
  key: string;
  project: string;
  summary: string;
  /** ADF (API v3) or null. */
  description: unknown;
  labels: string[];
  status: string;
  statusCategory: StatusCategory;
  priority: string;
  createdMs: number;
  updatedMs: number;
  comments: FakeComment[];
}

export interface FakeLink {
  id: string;
  /** The blocker ("blocks" the outward issue). */
  inward: string;
  /** The blocked issue ("is blocked by" the inward one). */
  outward: string;
}

export interface Workflow {
  statuses: Record<string, StatusCategory>;
  /** Target statuses reachable from each status (a status missing here: every other one). */
  from: Record<string, string[]>;
}

export const DEFAULT_WORKFLOW: Workflow = {
  statuses: { 'To Do': 'new', 'In Progress': 'indeterminate', 'In Review': 'indeterminate', Done: 'done' },
  from: {},
};

/** Plain text as ADF: one paragraph per line (what the Jira editor stores). */
export function adfOf(text: string): unknown {
  return {
    type: 'doc',
    version: 1,
    content: text.split('\n').map((line) => ({
      type: 'paragraph',
      content: line ? [{ type: 'text', text: line }] : [],
    })),
  };
}

export class JiraModel {
  readonly issues = new Map<string, FakeIssue>();
  readonly links: FakeLink[] = [];
  workflow: Workflow = DEFAULT_WORKFLOW;
  private nextId = 10_000;
  private readonly counters = new Map<string, number>();

  constructor(
    private readonly now: () => number,
    /** The searching user's IANA time zone (JQL dates and `/myself`). */
    public timeZone: string,
  ) {}

  /** Now at second resolution. */
  stamp(): number {
    return Math.floor(this.now() / 1000) * 1000;
  }

  create(input: {
    project: string;
    summary: string;
    description?: string;
    labels?: string[];
    status?: string;
    priority?: string;
  }): FakeIssue {
    const n = (this.counters.get(input.project) ?? 0) + 1;
    this.counters.set(input.project, n);
    const status = input.status ?? 'To Do';
    const at = this.stamp();
    const issue: FakeIssue = {
      id: String(this.nextId++),
      key: `${input.project}-${n}`,
      project: input.project,
      summary: input.summary,
      description: input.description === undefined ? null : adfOf(input.description),
      labels: [...(input.labels ?? [])],
      status,
      statusCategory: this.categoryOf(status),
      priority: input.priority ?? 'Medium',
      createdMs: at,
      updatedMs: at,
      comments: [],
    };
    this.issues.set(issue.id, issue);
    return issue;
  }

  /** By numeric id or key (keys case-insensitive, as Jira). */
  find(idOrKey: string): FakeIssue | undefined {
    const byId = this.issues.get(idOrKey);
    if (byId) return byId;
    const key = idOrKey.toUpperCase();
    for (const issue of this.issues.values()) if (issue.key === key) return issue;
    return undefined;
  }

  touch(issue: FakeIssue): void {
    issue.updatedMs = this.stamp();
  }

  categoryOf(status: string): StatusCategory {
    const category = this.workflow.statuses[status];
    if (!category) throw new Error(`the fake's workflow has no status ${JSON.stringify(status)}`);
    return category;
  }

  /** Statuses the issue may move to now. */
  reachable(issue: FakeIssue): string[] {
    const all = Object.keys(this.workflow.statuses).filter((s) => s !== issue.status);
    return this.workflow.from[issue.status] ?? all;
  }

  setStatus(issue: FakeIssue, status: string): void {
    issue.status = status;
    issue.statusCategory = this.categoryOf(status);
    this.touch(issue);
  }

  link(blocker: FakeIssue, blocked: FakeIssue): FakeLink {
    const link = { id: String(this.nextId++), inward: blocker.id, outward: blocked.id };
    this.links.push(link);
    this.touch(blocker);
    this.touch(blocked);
    return link;
  }

  /** A JQL date literal in the user's time zone, as epoch ms (minute resolution). */
  zonedMs(literal: string): number {
    const [y, mo, d, h, mi] = dateLiteral(literal);
    const guess = Date.UTC(y, mo - 1, d, h, mi);
    const first = guess - offsetMs(guess, this.timeZone);
    return guess - offsetMs(first, this.timeZone); // right across a DST change too
  }

  /** Jira's timestamp format, in the user's zone offset: `2026-11-30T09:03:26.000+0100`. */
  render(ms: number): string {
    const offset = offsetMs(ms, this.timeZone);
    const local = new Date(ms + offset).toISOString().slice(0, 23);
    const sign = offset < 0 ? '-' : '+';
    const abs = Math.abs(offset) / 60_000;
    return `${local}${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}${String(abs % 60).padStart(2, '0')}`;
  }
}

/** The zone's offset from UTC at `ms` (positive east of Greenwich). */
function offsetMs(ms: number, timeZone: string): number {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  }).formatToParts(new Date(ms));
  const get = (type: string) => Number(parts.find((p) => p.type === type)!.value);
  const asUtc = Date.UTC(
    get('year'),
    get('month') - 1,
    get('day'),
    get('hour'),
    get('minute'),
    get('second'),
  );
  return asUtc - Math.floor(ms / 1000) * 1000;
}
