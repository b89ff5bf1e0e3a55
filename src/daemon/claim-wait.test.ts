import { describe, expect, it } from 'vitest';
import { systemClock } from '../core/clock.js';
import { ClaimRefusedError } from '../core/errors.js';
import { claimWaiting } from './claim-wait.js';
import type { HandClaims, HandResult } from './hands.js';

/** Hand claims whose `claim` answers from a script: a refusal per entry, then a win. */
function scripted(refusals: ClaimRefusedError[]) {
  let calls = 0;
  const won: HandResult = { action: 'claim', task: 't', held: true, message: 'Claimed t.' };
  const hands = {
    owner: 'ws5/eve',
    claim: async () => {
      calls++;
      const next = refusals.shift();
      if (next) throw next;
      return won;
    },
  } as unknown as HandClaims;
  return { hands, calls: () => calls, won };
}

const held = () => new ClaimRefusedError('Cannot claim t: held by ws4/dan.', 'held', 'ws4/dan');
const options = (waitMs: number) => ({
  clock: systemClock(),
  waitMs,
  pollMs: 1,
  signal: new AbortController().signal,
});

describe('claim --wait', () => {
  it('tries again while the task is held, and returns the claim once the holder is taken over', async () => {
    const { hands, calls, won } = scripted([held(), held(), held()]);
    const waiting: string[] = [];
    const result = await claimWaiting(hands, 't', 60_000, {
      ...options(60_000),
      onWaiting: (r) => waiting.push(r.holder ?? ''),
    });
    expect(result).toBe(won);
    expect(calls()).toBe(4);
    expect(waiting).toEqual(['ws4/dan']); // told once
  });

  it('gives up with the refusal at its bound while the holder stays alive', async () => {
    const alive = Array.from({ length: 100_000 }, held);
    const { hands } = scripted(alive);
    await expect(claimWaiting(hands, 't', 60_000, options(20))).rejects.toMatchObject({ reason: 'held' });
  });

  it('does not wait for what no waiting changes: done, poisoned, or held by this owner already', async () => {
    for (const refusal of [
      new ClaimRefusedError('done', 'done', 'ws1/codex'),
      new ClaimRefusedError('poisoned', 'poisoned'),
      new ClaimRefusedError('mine', 'held', 'ws5/eve'),
    ]) {
      const { hands, calls } = scripted([refusal]);
      await expect(claimWaiting(hands, 't', 60_000, options(60_000))).rejects.toBe(refusal);
      expect(calls()).toBe(1);
    }
  });
});
