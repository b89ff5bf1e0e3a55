import { afterEach, describe, expect, it } from 'vitest';
import { HOST, owner, testState } from '../../../tests/support/state.js';
import { useTempDirs } from '../../../tests/support/temp-dir.js';
import type { SharedState } from '../shared-state.js';
import { buildStatus } from '../status-report.js';

const tempDir = useTempDirs();
const open: SharedState[] = [];
afterEach(() => {
  for (const s of open.splice(0)) s.close();
});

const alice = { id: 'ws3/alice', host: HOST };
const HOUR = 3_600_000;

/** A store (stale threshold 10 s) with tasks a (prio 0), b (prio 5, agent review), c (prio 1). */
function setup() {
  const t = testState(tempDir());
  open.push(t.state);
  t.state.defineTask('a', { source: 'local', title: 'A', agent: null, priority: 0 });
  t.state.defineTask('b', { source: 'local', title: 'B', agent: 'review', priority: 5 });
  t.state.defineTask('c', { source: 'local', title: 'C', agent: null, priority: 1 });
  return t;
}

function handTicket(state: SharedState, task: string, leaseMs = HOUR) {
  const result = state.claimByHand(task, alice, leaseMs);
  if (!result.ok) throw new Error(`hand claim refused: ${result.detail}`);
  return result.ticket;
}

describe('hand claims', () => {
  it('records no pid and the lease, and a daemon cannot claim the held task', () => {
    const { state, dead } = setup();
    handTicket(state, 'a');
    dead.add(0); // no pid is recorded, so no pid check can expire it
    expect(state.get('a')).toMatchObject({
      state: 'claimed',
      ownerId: 'ws3/alice',
      ownerPid: null,
      hand: true,
    });
    expect(state.sweepStale()).toEqual([]);
    expect(state.claim('a', owner('daemon'))).toMatchObject({
      ok: false,
      reason: 'held',
      holder: 'ws3/alice',
    });
    const claimed = state.events.query({ taskId: 'a', types: ['claimed'] })[0];
    expect(claimed?.data).toMatchObject({ hand: true, leaseMs: HOUR });
    expect(buildStatus(state, state.get('a')!.claimedAt! + 1_000).running).toMatchObject([
      { id: 'a', owner: 'ws3/alice', leaseLeftMs: HOUR - 1_000 },
    ]);
  });

  it('lapses when the heartbeat is older than the stale threshold, without spending a retry', () => {
    const { state, clock } = setup();
    const ticket = handTicket(state, 'a');
    clock.advance(9_000);
    expect(state.renewLease(ticket, null).ok).toBe(true); // what `hold` does each beat
    clock.advance(9_999);
    expect(state.sweepStale()).toEqual([]);
    clock.advance(1);
    expect(state.sweepStale()).toMatchObject([{ taskId: 'a', cause: 'heartbeat-expired', state: 'ready' }]);
    expect(state.get('a')).toMatchObject({ state: 'ready', retryCount: 0, hand: false });
    expect(state.release(ticket, 'complete')).toMatchObject({ ok: false, cause: 'released' });
  });

  it('lapses when the lease runs out although `hold` kept heartbeating; a daemon takes it over', () => {
    const { state, clock } = setup();
    const ticket = handTicket(state, 'a', 25_000);
    for (let i = 0; i < 4; i++) {
      clock.advance(6_000);
      expect(state.renewLease(ticket, null).ok).toBe(true);
    }
    expect(state.get('a')?.leaseUntil).toBe(clock.now() + 1_000); // hold never moves the end
    expect(state.claim('a', owner('daemon')).ok).toBe(false);
    clock.advance(1_000); // 25 s after the claim
    expect(state.renewLease(ticket, null)).toMatchObject({ ok: false, cause: 'lease-expired' });
    expect(state.renewLease(ticket, { ms: null })).toMatchObject({ ok: false, cause: 'lease-expired' });
    const takeover = state.claim('a', owner('daemon'));
    expect(takeover).toMatchObject({ ok: true, tookOverFrom: 'ws3/alice' });
    expect(state.get('a')).toMatchObject({ ownerId: 'daemon', hand: false, retryCount: 0 });
    const swept = state.events.query({ taskId: 'a', types: ['swept'] })[0];
    expect(swept?.data).toMatchObject({ cause: 'lease-expired', hand: true });
  });

  it('renewLease restarts the lease (and may change its length); a taken-over claim is not renewed', () => {
    const { state, clock } = setup();
    const ticket = handTicket(state, 'a', 20_000);
    clock.advance(8_000);
    expect(state.renewLease(ticket, { ms: null }).ok).toBe(true);
    expect(state.get('a')?.leaseUntil).toBe(clock.now() + 20_000);
    expect(state.renewLease(ticket, { ms: 5_000 }).ok).toBe(true);
    expect(state.get('a')?.leaseUntil).toBe(clock.now() + 5_000);
    clock.advance(5_000);
    expect(state.claim('a', owner('daemon')).ok).toBe(true);
    expect(state.renewLease(ticket, { ms: null })).toMatchObject({ ok: false, cause: 'taken-over' });
  });

  it('renewLease refuses a daemon claim: only hand claims have a lease', () => {
    const { state } = setup();
    const result = state.claim('a', owner('daemon'));
    if (!result.ok) throw new Error('claim refused');
    expect(state.renewLease(result.ticket, { ms: null })).toMatchObject({ ok: false, cause: 'wrong-owner' });
  });

  it('next: peeks the best task for a capability, claims it by hand, and mine lists it', () => {
    const { state, clock } = setup();
    expect(state.peekNext(null)?.id).toBe('b');
    expect(state.peekNext('other')?.id).toBe('c');
    const won = state.claimNextByHand(alice, 'other', HOUR);
    expect(won?.task).toMatchObject({ id: 'c', state: 'claimed', hand: true });
    expect(state.peekNext('other')?.id).toBe('a');
    clock.advance(1);
    handTicket(state, 'a');
    expect(state.heldBy('ws3/alice').map((t) => t.id)).toEqual(['c', 'a']);
    expect(state.claimNextByHand(alice, 'other', HOUR)).toBeNull();
  });

  it('release by hand: complete is done, abandoned goes back to the queue uncounted', () => {
    const { state } = setup();
    expect(state.release(handTicket(state, 'a'), 'complete', { pr: { number: 7 } })).toMatchObject({
      ok: true,
      state: 'done',
    });
    expect(state.events.query({ taskId: 'a', types: ['completed'] })[0]?.data).toMatchObject({ pr: 7 });
    expect(state.release(handTicket(state, 'c'), 'abandoned')).toMatchObject({ ok: true, state: 'ready' });
    expect(state.get('c')).toMatchObject({ retryCount: 0, hand: false, leaseUntil: null });
  });
});
