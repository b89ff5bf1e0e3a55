import { describe, expect, it } from 'vitest';
import { systemClock } from '../../../core/clock.js';
import { silentLogger } from '../../../core/logger.js';
import type { GitHubClient } from '../http/index.js';
import { Mirror, type MirrorOptions } from './mirror.js';
import type { StateCommentStore } from './state-comment/state-comment-store.js';

const comment = {
  owner: 'ws1/codex',
  status: 'done' as const,
  attempt: 1,
  maxAttempts: 3,
  since: '2026-11-29T00:00:00.000Z',
  heartbeat: null,
  epoch: 2,
  outcome: 'complete',
  error: null,
};

/** A mirror of acme/widgets over a stub client and comment store; synced labels: none by default. */
function mirrorOver(
  client: GitHubClient,
  comments: StateCommentStore,
  labels: MirrorOptions['labels'] = { get: () => [], set: () => {} },
  project?: MirrorOptions['project'],
): Mirror {
  return new Mirror({
    ...(project ? { project } : {}),
    client,
    owner: 'acme',
    repo: 'widgets',
    comments,
    labels,
    logger: silentLogger(),
    clock: systemClock(),
  });
}

describe('a mirror write', () => {
  it('writes the comment before the labels: labels showing the tip mean the whole mirror landed', async () => {
    const calls: string[] = [];
    const client = {
      rest: {
        issues: {
          addLabels: async () => {
            calls.push('labels');
            return { data: [] };
          },
        },
      },
    } as unknown as GitHubClient;
    let failComment = true;
    const comments = {
      inDoubt: () => false,
      upsert: async () => {
        calls.push('comment');
        if (failComment) throw new Error('502 on the comment');
        return { written: true, id: 1 };
      },
    } as unknown as StateCommentStore;
    const synced: string[][] = [];
    const mirror = mirrorOver(client, comments, { get: () => [], set: (_n, l) => synced.push(l) });
    const target = { issue: 1, label: 'done' as const, comment, holds: async () => true };
    mirror.desire(target);
    await mirror.flush(5_000);
    // The comment failed: the labels were left alone, so the issue still shows the mismatch.
    expect(calls).toEqual(['comment']);
    expect(synced).toEqual([]);
    failComment = false;
    mirror.desire(target);
    await mirror.flush(5_000);
    expect(calls).toEqual(['comment', 'comment', 'labels']);
    expect(synced).toEqual([['codex:done']]);
  });

  it('moves the project card last, with the pull request, and only while the ledger holds', async () => {
    const calls: string[] = [];
    const client = {
      rest: { issues: { addLabels: async () => calls.push('labels') } },
    } as unknown as GitHubClient;
    const comments = {
      inDoubt: () => false,
      upsert: async () => calls.push('comment'),
    } as unknown as StateCommentStore;
    const project = {
      show: async (issue: number, label: unknown, pr: unknown) =>
        void calls.push(`card ${issue} ${label} ${pr}`),
    };
    const mirror = mirrorOver(client, comments, undefined, project);
    mirror.desire({ issue: 1, label: 'done', comment: { ...comment, pr: 7 }, holds: async () => false });
    await mirror.flush(5_000);
    expect(calls).toEqual([]); // the ledger moved on: nothing at all
    mirror.desire({ issue: 1, label: 'done', comment: { ...comment, pr: 7 }, holds: async () => true });
    await mirror.flush(5_000);
    expect(calls).toEqual(['comment', 'labels', 'card 1 done 7']);
  });

  it('settles a comment it just created (twins a racing peer left are deleted), once reads caught up', async () => {
    const calls: string[] = [];
    let doubt = false;
    const comments = {
      inDoubt: () => doubt,
      upsert: async () => {
        calls.push('post');
        doubt = true; // a created comment may have a twin
        return { written: true, id: 1 };
      },
      settle: async () => {
        calls.push('settle');
        doubt = false;
      },
    } as unknown as StateCommentStore;
    const client = { rest: { issues: { addLabels: async () => ({ data: [] }) } } } as unknown as GitHubClient;
    const mirror = mirrorOver(client, comments);
    mirror.desire({ issue: 1, label: 'done', comment, holds: async () => true });
    await mirror.flush(10_000);
    expect(calls).toEqual(['post', 'settle']);
  });

  it('removes its own last label even when a lagging sync shows the issue without it', async () => {
    const calls: string[] = [];
    const client = {
      rest: {
        issues: {
          addLabels: async ({ labels }: { labels: string[] }) => {
            calls.push(`add ${labels.join()}`);
            return { data: [] };
          },
          setLabels: async ({ labels }: { labels: string[] }) => {
            calls.push(`set ${labels.join()}`);
            return { data: [] };
          },
        },
      },
      // The fresh read of the issue's labels before replacing them: it lags too.
      request: async () => {
        calls.push('read');
        return { data: [], headers: {} };
      },
    } as unknown as GitHubClient;
    const comments = {
      inDoubt: () => false,
      upsert: async () => ({ written: true, id: 1 }),
    } as unknown as StateCommentStore;
    // Every sync read predates our label writes (read lag): the issue never shows them.
    const mirror = mirrorOver(client, comments);
    mirror.desire({ issue: 1, label: 'working', comment: null, holds: async () => true });
    await mirror.flush(5_000);
    mirror.desire({ issue: 1, label: 'done', comment, holds: async () => true });
    await mirror.flush(5_000);
    expect(calls).toEqual(['add codex:working', 'read', 'set codex:done']);
  });
});
