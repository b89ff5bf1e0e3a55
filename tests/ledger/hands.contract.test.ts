/**
 * The ledger's contract for hand claims (issue 15): a person's claim through the same CAS,
 * epochs and fencing as a daemon's, with a lease each observer counts on its own clock from
 * when it saw the record — in every world: REST against the GitHub fake, git over file:// and
 * smart HTTP. ManualClocks: time moves only when the test says so.
 */
import { describe, expect, it } from 'vitest';
import { ticketOf } from '../github/ledger-support.js';
import { STALE_MS, WORLDS } from './ledger-worlds.js';
import { useWorld } from './use-world.js';

describe.each(WORLDS)('hand claims in the ledger over %s', (name) => {
  const world = useWorld(name);
  const max = { maxRetries: 3 };

  it('two people claiming at once: exactly one wins, the other is told it lost the race', async () => {
    const ana = world().makeLedger();
    const ben = world().makeLedger();
    await Promise.all([ana.ledger.refresh(), ben.ledger.refresh()]);
    const results = await Promise.all([
      ana.ledger.claimByHand(21, 'ws1/ana', { ...max, leaseMs: 10 * STALE_MS }),
      ben.ledger.claimByHand(21, 'ws2/ben', { ...max, leaseMs: 10 * STALE_MS }),
    ]);
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    expect(results.find((r) => !r.ok)).toMatchObject({ ok: false, reason: 'lost-race' });
    const chain = world().chain(21);
    expect(chain).toHaveLength(1);
    expect(chain[0]).toMatchObject({ kind: 'claim', hand: true, leaseMs: 10 * STALE_MS });
  });

  it('a daemon leaves a held claim alone while the person beats; takes it over once the lease is seen out', async () => {
    const alice = world().makeLedger();
    const daemon = world().makeLedger();
    const lease = 3 * STALE_MS;
    ticketOf(await alice.ledger.claimByHand(22, 'ws3/alice', { ...max, leaseMs: lease }));
    await daemon.ledger.refresh();
    // `hold`: the owner ref moves every half threshold, so the person is never silent...
    for (let i = 0; i < 5; i++) {
      expect(await alice.ledger.handBeat('ws3/alice', [22])).toBe(true);
      await daemon.ledger.refresh();
      expect(await daemon.ledger.claim(22, 'ws9/daemon', max)).toMatchObject({
        ok: false,
        reason: 'held',
        holder: 'ws3/alice',
      });
      daemon.clock.advance(STALE_MS / 2);
    }
    // ...but the lease is not extended by beats: seen for 3 thresholds, it is over.
    daemon.clock.advance(STALE_MS / 2);
    expect(await alice.ledger.handBeat('ws3/alice', [22])).toBe(true);
    await daemon.ledger.refresh();
    const taken = await daemon.ledger.claim(22, 'ws9/daemon', max);
    expect(taken).toMatchObject({ ok: true, tookOverFrom: 'ws3/alice' });
    expect(ticketOf(taken)).toMatchObject({ epoch: 2, retries: 0 }); // no retry spent

    // The person's later writes are fenced: found again from a fresh process, then refused.
    const again = world().makeLedger();
    await again.ledger.refresh();
    expect(again.ledger.heldByHand(22, 'ws3/alice')).toBeNull();
    const stale = alice.ledger.heldByHand(22, 'ws3/alice')?.ticket;
    expect(stale).toBeDefined();
    expect(await alice.ledger.renewLease(stale!, lease)).toMatchObject({ ok: false, fenced: true });
    expect(await alice.ledger.release(stale!, 'complete')).toMatchObject({ ok: false, fenced: true });
  });

  it('renew restarts the lease on every observer’s clock; a release records the pull request', async () => {
    const alice = world().makeLedger();
    const daemon = world().makeLedger();
    const lease = 2 * STALE_MS;
    ticketOf(await alice.ledger.claimByHand(23, 'ws3/alice', { ...max, leaseMs: lease }));
    await daemon.ledger.refresh();
    /** `hold` beats while the daemon's clock moves `thresholds`, in half-threshold steps. */
    const holdFor = async (thresholds: number) => {
      for (let i = 0; i < thresholds * 2; i++) {
        expect(await alice.ledger.handBeat('ws3/alice', [23])).toBe(true);
        await daemon.ledger.refresh();
        daemon.clock.advance(STALE_MS / 2);
      }
      expect(await alice.ledger.handBeat('ws3/alice', [23])).toBe(true);
      await daemon.ledger.refresh();
    };
    await holdFor(1.5);

    // A fresh process (the `renew` command) finds the claim and renews it: a new tip.
    const cli = world().makeLedger();
    await cli.ledger.refresh();
    const held = cli.ledger.heldByHand(23, 'ws3/alice');
    expect(held).toMatchObject({ leaseMs: lease, ticket: { epoch: 1, ownerId: 'ws3/alice' } });
    const renewed = await cli.ledger.renewLease(held!.ticket, lease);
    if (!renewed.ok) throw new Error(`renew fenced: ${renewed.reason}`);
    expect(renewed.ticket).toMatchObject({ epoch: 2 });

    // 2.5 thresholds since the claim (past its first lease), 1 since the renewal: still held.
    await holdFor(1);
    expect(await daemon.ledger.claim(23, 'ws9/daemon', max)).toMatchObject({ ok: false, reason: 'held' });
    const release = await cli.ledger.release(renewed.ticket, 'complete', { pr: 31 });
    expect(release).toMatchObject({ ok: true, epoch: 3 });
    expect(world().chain(23)[0]).toMatchObject({ kind: 'release', outcome: 'complete', pr: 31 });
  });
});
