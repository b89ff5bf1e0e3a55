import { describe, expect, it } from 'vitest';
import { owner, testState } from '../../tests/support/state.js';
import { useTempDirs } from '../../tests/support/temp-dir.js';
import { fleetPage, taskPage } from './pages.js';
import { pullRequestOf, readTaskDetail } from './task-detail.js';

const tempDir = useTempDirs();

const HOSTILE = '<img src=x onerror=alert(1)>';

describe('the fleet page on GitHub', () => {
  it("draws the ledger's fleet document, escaped: owners, running, queue, blocked, backoffs, poisoned", () => {
    const status = {
      board: 'github',
      repository: 'acme/widgets',
      generatedAt: '2026-01-01T00:00:00.000Z',
      owners: [
        { id: 'ws1/codex', heartbeat: { bound: 'at-least', ageMs: 65_000 }, running: [1], liveness: 'live' },
      ],
      held: [
        {
          issue: 1,
          title: HOSTILE,
          owner: 'ws1/codex',
          since: '2026-01-01T00:00:00Z',
          ownerLiveness: 'live',
        },
        {
          issue: 6,
          title: 'By hand',
          owner: 'ws3/<alice>',
          since: '2026-01-01T00:00:00Z',
          ownerLiveness: 'live',
          byHandUntil: '2026-01-01T02:00:00.000Z',
        },
      ],
      queue: [{ issue: 2, title: 'Queued', priority: 5, recover: false }],
      blocked: [{ issue: 3, title: 'Blocked', waitingOn: [{ issue: 1, pr: 9 }] }],
      backingOff: [{ issue: 5, title: 'Backing off', retries: 1, until: '2026-01-01T00:10:00Z' }],
      poisoned: [{ issue: 4, title: 'Poisoned', retries: 3, reason: `failed: ${HOSTILE}` }],
    };
    const page = fleetPage({ status, queue: [] });
    expect(page).not.toContain('<img');
    expect(page).toContain('&lt;img src=x onerror=alert(1)&gt;');
    for (const text of [
      'ws1/codex',
      '≥1m 5s',
      '#2',
      'Queued',
      '#1 (PR #9)',
      '2026-01-01T00:10:00Z',
      'Poisoned',
      'ws3/&lt;alice&gt; (by hand, until 02:00 UTC)',
    ]) {
      expect(page).toContain(text);
    }
  });

  it('says why when the fleet could not be read', () => {
    const page = fleetPage({
      status: {
        board: 'github',
        repository: 'acme/widgets',
        unreadable: 'rate limited <b>',
        generatedAt: '',
      },
      queue: [],
    });
    expect(page).toContain('The fleet could not be read from GitHub: rate limited &lt;b&gt;');
  });
});

describe('the task page', () => {
  it('links the pull request its completed release recorded', () => {
    const { state } = testState(tempDir());
    state.defineTask('t', { source: 'local', title: 'T', agent: null, priority: 0 });
    const claim = state.claim('t', owner('ws/codex'));
    if (!claim.ok) throw new Error(claim.detail);
    const url = 'https://github.com/acme/widgets/pull/12';
    expect(state.release(claim.ticket, 'complete', { pr: { number: 12, url } }).ok).toBe(true);
    const detail = readTaskDetail(state, 't');
    expect(detail?.pullRequest).toEqual({ number: 12, url });
    const page = taskPage(detail!, null);
    expect(page).toContain(`<p data-testid="task-pr">pull request <a href="${url}">#12</a></p>`);
    state.close();
  });

  it('says a task is held by hand, and until when', () => {
    const { state, clock } = testState(tempDir());
    state.defineTask('t', { source: 'local', title: 'T', agent: null, priority: 0 });
    expect(state.claimByHand('t', { id: 'ws3/<alice>', host: 'h' }, 3_600_000).ok).toBe(true);
    const page = taskPage(readTaskDetail(state, 't')!, null);
    const until = new Date(clock.now() + 3_600_000).toISOString();
    expect(page).toContain(
      `<p data-testid="task-hand">held by ws3/&lt;alice&gt;, by hand, until ${until}</p>`,
    );
    state.close();
  });

  it('shows no pull request without one, nor a link that is not a web address', () => {
    const event = (data: Record<string, unknown>) => ({
      id: 1,
      at: 0,
      type: 'completed' as const,
      taskId: 't',
      ownerId: null,
      epoch: 1,
      data,
    });
    expect(pullRequestOf([event({})])).toBeNull();
    expect(pullRequestOf([event({ pr: 3, prUrl: 'javascript:alert(1)' })])).toBeNull();
    expect(
      pullRequestOf([
        event({ pr: 3, prUrl: 'https://x/pull/3' }),
        event({ pr: 4, prUrl: 'https://x/pull/4' }),
      ]),
    ).toEqual({ number: 4, url: 'https://x/pull/4' });
  });
});
