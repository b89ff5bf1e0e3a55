import { afterEach, describe, expect, it } from 'vitest';
import { owner, testState } from '../../../tests/support/state.js';
import { useTempDirs } from '../../../tests/support/temp-dir.js';
import type { SharedState } from '../shared-state.js';

const tempDir = useTempDirs();
const open: SharedState[] = [];
afterEach(() => {
  for (const s of open.splice(0)) s.close();
});

/** `t` done by its author, and its verification `t.verify` claimed by the verifier. */
function verifying(state: SharedState) {
  const author = state.claim('t', owner('coder'), { create: true });
  if (!author.ok) throw new Error(author.detail);
  expect(state.release(author.ticket, 'complete')).toMatchObject({ ok: true, state: 'done' });
  const check = state.claim('t.verify', owner('reviewer'), { create: true });
  if (!check.ok) throw new Error(check.detail);
  return check.ticket;
}

const refusal = { verified: 't', review: 'rename x', maxRounds: 2 };

describe('a refused verification (local verify:)', () => {
  it('sends the verified task back with the review, counting no retry, and waits for its next attempt', () => {
    const t = testState(tempDir());
    open.push(t.state);
    const { state } = t;
    expect(state.refuseVerification(verifying(state), refusal)).toMatchObject({
      ok: true,
      state: 'ready',
      retryCount: 0,
      round: 1,
      sentBack: true,
    });
    expect(state.get('t')).toMatchObject({ state: 'ready', retryCount: 0 });
    expect(state.verifyReview('t')).toEqual({ round: 1, review: 'rename x', by: 'reviewer' });
    expect(state.events.query({ taskId: 't', types: ['reset'] })).toEqual([
      expect.objectContaining({
        ownerId: 'reviewer',
        data: { reason: 'verification refused (round 1 of 2)' },
      }),
    ]);
  });

  it('poisons the verification at the last round and leaves the verified task done', () => {
    const t = testState(tempDir());
    open.push(t.state);
    const { state } = t;
    // As verify-tasks.ts seeds them: the verification depends on what it verifies.
    const task = { title: 'x', agent: null, priority: 0, payload: null };
    const added = [
      { ...task, id: 't', deps: [] },
      { ...task, id: 't.verify', deps: ['t'] },
    ];
    state.writeDefinitions({ added, updated: [] }, 0);
    state.refuseVerification(verifying(state), refusal);
    expect(state.refuseVerification(verifying(state), { ...refusal, review: 'still x' })).toMatchObject({
      ok: true,
      state: 'poisoned',
      round: 2,
      sentBack: false,
    });
    expect(state.get('t')).toMatchObject({ state: 'done' });
    expect(state.get('t.verify')).toMatchObject({ state: 'poisoned' });
    expect(state.verifyReview('t')).toMatchObject({ round: 2, review: 'still x' });
    // A human's retry of the verification gives it fresh rounds: its next refusal sends back.
    expect(state.reset('t.verify')).toBe(true);
    expect(state.verifyReview('t')).toBeNull();
    const again = state.claim('t.verify', owner('reviewer'));
    if (!again.ok) throw new Error(again.detail);
    expect(state.refuseVerification(again.ticket, refusal)).toMatchObject({ round: 1, sentBack: true });
  });

  it('a fenced verifier changes nothing: no round, no send-back', () => {
    const t = testState(tempDir());
    open.push(t.state);
    const { state } = t;
    const stale = verifying(state);
    expect(state.release(stale, 'abandoned').ok).toBe(true);
    expect(state.refuseVerification(stale, refusal)).toMatchObject({ ok: false, sentBack: false });
    expect(state.get('t')).toMatchObject({ state: 'done' });
    expect(state.verifyReview('t')).toBeNull();
  });
});
