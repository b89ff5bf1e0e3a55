import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../../core/clock.js';
import { silentLogger } from '../../../core/logger.js';
import type { GitHubClient } from '../http/index.js';
import { BoardMirror } from './board-mirror.js';
import type { StateCommentStore } from './state-comment/state-comment-store.js';

/** A BoardMirror whose ledger knows `known` as the tip and whose reads answer `read`. */
function mirrorWith(known: { sha: string; epoch: number | null } | undefined, read: string | null) {
  const clock = new ManualClock();
  const reads: string[] = [];
  const mirror = new BoardMirror({
    client: {} as GitHubClient,
    owner: 'acme',
    repo: 'widgets',
    comments: {} as StateCommentStore,
    labels: { get: () => [], set: () => {} },
    logger: silentLogger(),
    clock,
    maxRetries: 3,
    workDir: '/tmp/issues',
    ledger: {
      knownTip: () => known,
      stillHolds: async (ticket, orOlder) => {
        reads.push(ticket.sha);
        return read === ticket.sha || (orOlder !== undefined && read === orOlder);
      },
    },
  });
  return { mirror, clock, reads };
}

const claim = { issue: 1, sha: 'claim', epoch: 1 };
const release = { issue: 1, sha: 'release', epoch: 2 };

describe('the conflict check before a mirror write', () => {
  it('refuses a "working" target once this process knows the chain moved past the claim, without a read', async () => {
    const { mirror, reads } = mirrorWith({ sha: 'release', epoch: 2 }, 'claim'); // the read lags
    expect(await mirror.holds(claim, Number.NEGATIVE_INFINITY)).toBe(false);
    expect(reads).toEqual([]);
  });

  it('trusts a fresh write of ours, then asks the ledger', async () => {
    const { mirror, clock, reads } = mirrorWith({ sha: 'release', epoch: 2 }, 'other');
    expect(await mirror.holds(release, clock.monotonic())).toBe(true);
    clock.advance(1000);
    expect(await mirror.holds(release, 0)).toBe(false);
    expect(reads).toEqual(['release']);
  });

  it('accepts a lagging read that still shows the commit before ours, and nothing else', async () => {
    const lagging = mirrorWith({ sha: 'release', epoch: 2 }, 'claim');
    lagging.clock.advance(5000);
    expect(await lagging.mirror.holds(release, 0, 'claim')).toBe(true);
    expect(await lagging.mirror.holds(release, 0)).toBe(false);
  });
});
