import { afterEach, describe, expect, it } from 'vitest';
import { HOST, owner, testState } from '../../../tests/support/state.js';
import { useTempDirs } from '../../../tests/support/temp-dir.js';
import { ClaimLostError } from '../../core/errors.js';
import type { HandClaim } from '../../daemon/hands.js';
import { holdClaim } from '../../daemon/hold.js';
import type { SharedState } from '../../state/shared-state.js';
import { LocalHands } from './local-hands.js';

const tempDir = useTempDirs();
const open: SharedState[] = [];
afterEach(() => {
  for (const s of open.splice(0)) s.close();
});

/** A store (stale threshold 10 s) with one task, and alice's and bob's hand claims on it. */
function setup() {
  const t = testState(tempDir());
  open.push(t.state);
  t.state.defineTask('a', { source: 'local', title: 'A', agent: null, priority: 0 });
  const alice = new LocalHands(t.state, { id: 'ws3/alice', host: HOST });
  const bob = new LocalHands(t.state, { id: 'ws4/bob', host: HOST });
  return { ...t, alice, bob };
}

const settle = () => new Promise((resolve) => setImmediate(resolve));

describe('LocalHands and hold', () => {
  it('refuses a second person, says so to the holder, and fences a stale holder', async () => {
    const { state, clock, alice, bob } = setup();
    await alice.claim('a', 60_000);
    await expect(bob.claim('a', 60_000)).rejects.toMatchObject({
      code: 'CLAIM_REFUSED',
      reason: 'held',
      holder: 'ws3/alice',
    });
    await expect(alice.claim('a', 60_000)).rejects.toThrow(/yours already/);
    await expect(bob.release('a', 'complete')).rejects.toBeInstanceOf(ClaimLostError);
    clock.advance(10_000); // alice never held it: her heartbeat is stale now
    expect((await bob.claim('a', 60_000)).tookOverFrom).toBe('ws3/alice');
    await expect(alice.renew('a')).rejects.toThrow(/ws3\/alice holds no claim on a: it is held by ws4\/bob/);
    expect(state.get('a')).toMatchObject({ ownerId: 'ws4/bob', retryCount: 0 });
    await expect(alice.claim('nope', 1_000)).rejects.toMatchObject({ code: 'INPUT_INVALID' });
  });

  it('hold heartbeats every interval until the lease ends, never moving the end', async () => {
    const { state, clock, alice } = setup();
    await alice.claim('a', 25_000);
    const beats: HandClaim[] = [];
    const stop = new AbortController();
    const held = holdClaim(alice, 'a', {
      clock,
      intervalMs: 6_000,
      signal: stop.signal,
      onBeat: (c) => beats.push(c),
    });
    for (let i = 0; i < 5; i++) {
      await settle();
      clock.advance(6_000);
    }
    await expect(held).resolves.toMatchObject({ reason: 'lease-ended' });
    expect(beats.length).toBe(5); // at 0, 6, 12, 18, 24 s
    expect(new Set(beats.map((b) => b.leaseUntil)).size).toBe(1);
    expect(state.claim('a', owner('daemon'))).toMatchObject({ ok: true, tookOverFrom: 'ws3/alice' });
  });

  it('hold stops on its signal, leaving the claim; and fails as soon as the claim is taken over', async () => {
    const { clock, alice, bob } = setup();
    await alice.claim('a', 60_000);
    const stop = new AbortController();
    const held = holdClaim(alice, 'a', { clock, intervalMs: 1_000, signal: stop.signal });
    await settle();
    stop.abort();
    await expect(held).resolves.toMatchObject({ reason: 'stopped' });
    expect((await alice.mine()).map((c) => c.task)).toEqual(['a']);

    clock.advance(10_000); // silent past the threshold since the hold stopped
    await bob.claim('a', 60_000);
    const again = holdClaim(alice, 'a', { clock, intervalMs: 1_000, signal: new AbortController().signal });
    await expect(again).rejects.toBeInstanceOf(ClaimLostError);
  });
});
