import { describe, expect, it } from 'vitest';
import { assessJiraIssues } from './jira-eligibility.js';
import type { JiraSnapshot } from './jira-issue.js';

const issue = (id: number, extra: Partial<JiraSnapshot> = {}): JiraSnapshot => ({
  id,
  key: `OPS-${id}`,
  title: `t${id}`,
  body: '',
  labels: [],
  status: 'To Do',
  closed: false,
  updated: '',
  updatedMs: 0,
  blockedBy: [],
  agent: null,
  priority: 0,
  url: '',
  ...extra,
});
const by = (...ids: number[]) => ids.map((id) => ({ id, key: `OPS-${id}`, done: false }));
const assess = (...list: JiraSnapshot[]) =>
  assessJiraIssues({
    issues: new Map(list.map((i) => [i.id, i])),
    ledger: undefined,
    agent: null,
    ignoreLabel: 'codex-ignore',
    heldLocally: () => false,
    now: 0,
  });

describe('assessJiraIssues', () => {
  it('waits on a blocker some daemon may finish, and runs the blocker first', () => {
    const a = assess(issue(1), issue(2, { blockedBy: by(1) }));
    expect(a.candidates.map((c) => c.id)).toEqual([1]);
    expect(a.pending).toMatchObject({ runnable: 1, waiting: 1 });
  });

  it('reports a cycle of "blocks" links and keeps nobody waiting on it (--until-idle ends)', () => {
    const a = assess(
      issue(1, { blockedBy: by(2) }),
      issue(2, { blockedBy: by(1) }),
      issue(3, { blockedBy: by(2) }),
    );
    expect(a.verdicts.get(1)).toBe('in a cycle of "blocks" links');
    expect(a.verdicts.get(3)).toMatch(/^blocked by OPS-2, which no daemon here will finish/);
    expect(a.pending).toMatchObject({ runnable: 0, waiting: 0, held: 0 });
  });

  it('does not wait behind an ignored blocker, however deep the chain', () => {
    const a = assess(
      issue(1, { labels: ['codex-ignore'] }),
      issue(2, { blockedBy: by(1) }),
      issue(3, { blockedBy: by(2) }),
    );
    expect(a.pending).toMatchObject({ runnable: 0, waiting: 0 });
  });

  it("judges a blocker on the board by its own status, not the blocked issue's older link", () => {
    const a = assess(issue(1, { closed: true, status: 'Done' }), issue(2, { blockedBy: by(1) }));
    expect(a.candidates.map((c) => c.id)).toEqual([2]);
  });
});
