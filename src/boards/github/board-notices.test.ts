import { describe, expect, it } from 'vitest';
import type { Notification } from '../../core/notification.js';
import { endedByTaker } from '../ledger/index.js';
import { BoardNotices, webUrlOf } from './board-notices.js';
import type { TaskRecord } from './ledger/index.js';

function notices(publishErrors: boolean, webUrl: string | null = 'https://github.com') {
  const sent: Notification[] = [];
  const n = new BoardNotices({
    notify: { notify: (x) => sent.push(x) },
    owner: 'acme',
    repo: 'widgets',
    webUrl: webUrl ?? undefined,
    publish: { publishErrors, home: '/home/alice' },
  });
  return { n, sent };
}

const stderr = 'failed in /home/alice/src: GITHUB_TOKEN=ghp_0123456789abcdefghij0123 rejected';

describe('BoardNotices', () => {
  it('leaves the agent error out unless errors are published, and then redacts it', () => {
    const off = notices(false);
    off.n.poisoned(7, 'ws1/codex', 4, stderr);
    expect(off.sent).toEqual([
      {
        event: 'poisoned',
        task: '#7',
        issue: 7,
        owner: 'ws1/codex',
        epoch: 4,
        repository: 'acme/widgets',
        summary: 'out of retries',
        url: 'https://github.com/acme/widgets/issues/7',
      },
    ]);
    const on = notices(true);
    on.n.poisoned(7, 'ws1/codex', 4, stderr);
    expect(on.sent[0]?.error).toBe('failed in ~/src: GITHUB_TOKEN=[redacted] rejected');
  });

  it('pr-opened when the pull request is opened; done on the completed release, linking it', () => {
    const { n, sent } = notices(false);
    n.prOpened(3, 'ws2/codex', 9, 12);
    n.completed(3, 'ws2/codex', 9, { number: 12, created: true });
    expect(sent.map((s) => [s.event, s.url, s.summary])).toEqual([
      ['pr-opened', 'https://github.com/acme/widgets/pull/12', 'pull request #12'],
      ['done', 'https://github.com/acme/widgets/pull/12', 'PR #12'],
    ]);
    const plain = notices(false, null);
    plain.n.completed(3, 'ws2/codex', 9, null);
    expect(plain.sent.map((s) => s.event)).toEqual(['done']);
    expect(plain.sent[0]).not.toHaveProperty('url');
  });

  it('a takeover tells the fence of the owner taken over, at its epoch', () => {
    const { n, sent } = notices(false);
    n.tookOver(5, 'ws1/codex', 3, 'ws2/codex');
    expect(sent).toEqual([
      expect.objectContaining({
        event: 'fenced',
        task: '#5',
        owner: 'ws1/codex',
        epoch: 3,
        summary: expect.stringContaining('taken over by ws2/codex'),
      }),
    ]);
  });

  it('a takeover that poisons tells the fence as poisoned by the taker', () => {
    const { n, sent } = notices(false);
    n.tookOver(5, 'ws1/codex', 3, 'ws2/codex', true);
    expect(sent[0]).toMatchObject({
      event: 'fenced',
      owner: 'ws1/codex',
      epoch: 3,
      summary: expect.stringContaining('poisoned by ws2/codex (retry limit reached)'),
    });
  });

  it('a woken owner stays silent when a taker ended its epoch (a claim, or a poison naming it), and tells otherwise', () => {
    const rec = (r: Partial<TaskRecord>): TaskRecord => ({
      v: 1,
      kind: 'claim',
      issue: 5,
      owner: 'ws2/codex',
      attempt: '',
      epoch: 4,
      retries: 1,
      at: '',
      ...r,
    });
    expect(endedByTaker(rec({ kind: 'claim', attempt: 'a' }), 'ws1/codex')).toBe(true);
    expect(endedByTaker(rec({ kind: 'poison', tookOverFrom: 'ws1/codex' }), 'ws1/codex')).toBe(true);
    // A human's poison (steer, an admin) names nobody; one naming another owner is not about us.
    expect(endedByTaker(rec({ kind: 'poison', owner: 'admin' }), 'ws1/codex')).toBe(false);
    expect(endedByTaker(rec({ kind: 'poison', tookOverFrom: 'ws3/codex' }), 'ws1/codex')).toBe(false);
    expect(endedByTaker(rec({ kind: 'reset' }), 'ws1/codex')).toBe(false);
    expect(endedByTaker(null, 'ws1/codex')).toBe(false);
  });

  it('knows the web address of github.com and of GitHub Enterprise, and of nothing else', () => {
    expect(webUrlOf('https://api.github.com')).toBe('https://github.com');
    expect(webUrlOf('https://ghe.example.com/api/v3')).toBe('https://ghe.example.com');
    expect(webUrlOf('http://127.0.0.1:4567')).toBeUndefined();
  });
});
