import { describe, expect, it } from 'vitest';
import {
  agentsOf,
  DEFAULT_PRIORITY_LABELS,
  DEFAULT_TRUSTED_ASSOCIATIONS,
  isTrusted,
  priorityOf,
  type RawIssue,
  toSnapshot,
} from './issue-snapshot.js';

const policy = { trustedAssociations: DEFAULT_TRUSTED_ASSOCIATIONS, taskLabels: ['codex-task'] };

describe('isTrusted', () => {
  it.each(['OWNER', 'MEMBER', 'COLLABORATOR'])('trusts %s', (authorAssociation) => {
    expect(isTrusted({ authorAssociation, labels: [] }, policy)).toBe(true);
  });

  it.each(['CONTRIBUTOR', 'FIRST_TIME_CONTRIBUTOR', 'NONE'])(
    'does not trust %s without a task label',
    (a) => {
      expect(isTrusted({ authorAssociation: a, labels: ['bug'] }, policy)).toBe(false);
      expect(isTrusted({ authorAssociation: a, labels: ['Codex-Task'] }, policy)).toBe(true);
    },
  );

  it('follows a configured policy', () => {
    const strict = { trustedAssociations: ['OWNER'], taskLabels: [] };
    expect(isTrusted({ authorAssociation: 'MEMBER', labels: ['codex-task'] }, strict)).toBe(false);
  });
});

describe('priorityOf and agentsOf', () => {
  it('takes the highest matching priority, 0 without one', () => {
    expect(priorityOf(['Priority:High'])).toBe(10);
    expect(priorityOf(['priority:low', 'bug'])).toBe(-10);
    expect(priorityOf(['priority:low', 'priority:high'])).toBe(10);
    expect(priorityOf([])).toBe(0);
    expect(priorityOf(['p1'], { ...DEFAULT_PRIORITY_LABELS, p1: 50 })).toBe(50);
  });

  it('reads agent:<name> labels in order', () => {
    expect(agentsOf(['bug', 'agent:codex', 'Agent: claude'])).toEqual(['codex', 'claude']);
    expect(agentsOf(['agent:'])).toEqual([]);
  });
});

describe('toSnapshot', () => {
  it('turns a GitHub issue into a snapshot', () => {
    const raw: RawIssue = {
      number: 5,
      title: 'Build',
      body: 'Depends on #3 and https://github.com/acme/widgets/issues/4, blocked by #5',
      state: 'closed',
      state_reason: 'completed',
      labels: ['agent:codex', { name: 'priority:high' }, 'agent:claude'],
      author_association: 'MEMBER',
      user: { login: 'alice' },
      html_url: 'https://github.com/acme/widgets/issues/5',
      updated_at: '2024-01-01T00:00:00Z',
    };
    expect(toSnapshot(raw, { owner: 'acme', repo: 'widgets' })).toEqual({
      number: 5,
      title: 'Build',
      body: raw.body,
      state: 'closed',
      stateReason: 'completed',
      labels: ['agent:codex', 'priority:high', 'agent:claude'],
      authorAssociation: 'MEMBER',
      author: 'alice',
      url: 'https://github.com/acme/widgets/issues/5',
      updatedAt: '2024-01-01T00:00:00Z',
      deps: [3, 4],
      agent: 'codex',
      priority: 10,
    });
  });
});
