import { afterEach, describe, expect, it } from 'vitest';
import { HOST, testState } from '../../../tests/support/state.js';
import { useTempDirs } from '../../../tests/support/temp-dir.js';
import { ClaimLostError } from '../../core/errors.js';
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

describe('LocalHands', () => {
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
});
