import { describe, expect, it } from 'vitest';
import { ManualClock } from '../core/clock.js';
import { ClaimLostError } from '../core/errors.js';
import type { HandClaim, HandClaims } from './hands.js';
import { holdClaim } from './hold.js';

const settle = () => new Promise((resolve) => setImmediate(resolve));

/** A person's claim of `a` until `leaseUntil`; `beat` answers like a board, or loses the claim. */
function board(clock: ManualClock, leaseUntil: number) {
  const claim: HandClaim = { task: 'a', title: 'A', owner: 'ws3/alice', epoch: 4, leaseUntil };
  const beats: number[] = [];
  let lost = false;
  const hands = {
    owner: 'ws3/alice',
    held: async () => claim,
    beat: async (c: HandClaim) => {
      if (lost)
        throw new ClaimLostError('ws3/alice lost a: taken over by ws9/daemon at epoch 5.', 'taken-over');
      if (clock.now() >= leaseUntil) throw new ClaimLostError('lease over', 'lease-expired');
      beats.push(clock.now());
      return c;
    },
  } as unknown as HandClaims;
  return { hands, beats, lose: () => (lost = true) };
}

describe('holdClaim', () => {
  it('heartbeats every interval until the lease ends, and says the lease ended', async () => {
    const clock = new ManualClock();
    const start = clock.now();
    const { hands, beats } = board(clock, start + 25_000);
    const held = holdClaim(hands, 'a', { clock, intervalMs: 6_000, signal: new AbortController().signal });
    for (let i = 0; i < 5; i++) {
      await settle();
      clock.advance(6_000);
    }
    await expect(held).resolves.toMatchObject({ reason: 'lease-ended', claim: { epoch: 4 } });
    expect(beats.map((at) => at - start)).toEqual([0, 6_000, 12_000, 18_000, 24_000]);
  });

  it('stops on its signal, and fails as soon as a heartbeat finds the claim taken over', async () => {
    const clock = new ManualClock();
    const stop = new AbortController();
    const first = board(clock, clock.now() + 60_000);
    const held = holdClaim(first.hands, 'a', { clock, intervalMs: 1_000, signal: stop.signal });
    await settle();
    stop.abort();
    await expect(held).resolves.toMatchObject({ reason: 'stopped' });

    const second = board(clock, clock.now() + 60_000);
    const again = holdClaim(second.hands, 'a', {
      clock,
      intervalMs: 1_000,
      signal: new AbortController().signal,
    });
    await settle();
    second.lose();
    clock.advance(1_000);
    await expect(again).rejects.toMatchObject({ code: 'CLAIM_LOST', lostBecause: 'taken-over' });
  });
});
