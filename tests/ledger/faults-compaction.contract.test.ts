/**
 * The ledger's contract, part 3: lost answers, owner heartbeats and collisions in every world;
 * and bounded chains where the transport moves refs by lease (git), while REST chains only grow.
 */
import { describe, expect, it } from 'vitest';
import { CHAIN_BOUND } from '../../src/boards/github/ledger/index.js';
import { OwnerCollisionError } from '../../src/core/errors.js';
import { ticketOf } from '../github/ledger-support.js';
import { WORLDS } from './ledger-worlds.js';
import { useWorld } from './use-world.js';

describe.each(WORLDS)('ledger over %s', (name) => {
  const world = useWorld(name);
  const compacts = name !== 'rest';

  describe('lost answers', () => {
    it('a claim (create) and a release (CAS) whose answers were lost learn they applied', async () => {
      const { ledger } = world().makeLedger();
      world().loseNextWrites(1);
      const mine = ticketOf(await ledger.claim(1, 'l1/a', { maxRetries: 3 }));
      expect(
        world()
          .chain(1)
          .map((r) => r.sha),
      ).toEqual([mine.sha]);
      world().loseNextWrites(1);
      expect(await ledger.release(mine, 'complete')).toMatchObject({ ok: true, epoch: 2 });
      expect(
        world()
          .chain(1)
          .map((r) => [r.kind, r.owner]),
      ).toEqual([
        ['release', 'l1/a'],
        ['claim', 'l1/a'],
      ]);
    });

    it('a heartbeat whose answer was lost is not mistaken for a collision', async () => {
      const { ledger } = world().makeLedger();
      await ledger.heartbeat('l2/a', []);
      world().loseNextWrites(1);
      await ledger.heartbeat('l2/a', [1]);
      await ledger.heartbeat('l2/a', [1]);
      expect(world().ownerChainLength('l2_2Fa')).toBe(3);
    });

    it('a heartbeat that landed in an outage is adopted afterwards, not reported as a collision', async () => {
      const { ledger } = world().makeLedger();
      await ledger.heartbeat('l3/a', []);
      const outage = world().outageAfterNextWrite();
      await expect(ledger.heartbeat('l3/a', [7])).rejects.toThrow();
      outage.end();
      expect(outage.landed()).toBe(true);
      await ledger.heartbeat('l3/a', [8]);
      expect(world().ownerChainLength('l3_2Fa')).toBe(3);
    });

    it('two processes under one owner id: the first to see the other is told of the collision', async () => {
      const one = world().makeLedger().ledger;
      const two = world().makeLedger().ledger;
      await one.heartbeat('l4/dup', []);
      await two.heartbeat('l4/dup', []);
      const failure = await one.heartbeat('l4/dup', []).catch((e: unknown) => e);
      expect(failure).toBeInstanceOf(OwnerCollisionError);
      expect((failure as Error).message).toContain('l4/dup');
    });
  });

  it('doctor’s write probe creates a ref and deletes it again, leaving no ref behind', async () => {
    const { ledger } = world().makeLedger();
    await ledger.init();
    expect(await ledger.probeWrite()).toMatch(
      /^created and deleted refs\/codex-monitor\/doctor\/[0-9a-f-]+ /,
    );
    const view = await world().makeLedger().ledger.refresh();
    expect(view.problems).toEqual([]); // no probe ref left to list
  });

  describe('chain length', () => {
    it(`an owner chain ${compacts ? `stays within ${CHAIN_BOUND} commits` : 'grows by one commit a beat'}`, async () => {
      const { ledger } = world().makeLedger();
      const beats = CHAIN_BOUND * 2 + 5;
      for (let i = 0; i < beats; i++) await ledger.heartbeat('c1/a', [i]);
      const length = world().ownerChainLength('c1_2Fa');
      if (compacts) expect(length).toBeLessThanOrEqual(CHAIN_BOUND);
      else expect(length).toBe(beats);
      // Another observer still reads the owner as alive and the chain as one owner's.
      const other = world().makeLedger().ledger;
      const view = await other.refresh();
      expect(view.owners.get('c1/a')).toBeDefined();
    });

    it(`a task chain ${compacts ? 'is compacted by the release that passes the bound' : 'keeps every record'}; epochs go on`, async () => {
      const a = world().makeLedger().ledger;
      const limit = { maxRetries: 1000 };
      let epoch = 0;
      for (let i = 0; i < CHAIN_BOUND / 2 + 1; i++) {
        const t = ticketOf(await a.claim(2, 'c2/a', limit));
        const released = await a.release(t, 'failed', { backoffMs: 0 });
        expect(released).toMatchObject({ ok: true, epoch: t.epoch + 1 });
        epoch = t.epoch + 1;
      }
      const records = world().chain(2);
      expect(records[0]).toMatchObject({ kind: 'release', epoch });
      if (compacts) expect(records.length).toBeLessThan(CHAIN_BOUND);
      else expect(records).toHaveLength(epoch);
      // A fresh observer reads the compacted chain as it is: the next claim continues the count.
      const b = world().makeLedger().ledger;
      await b.refresh();
      const next = ticketOf(await b.claim(2, 'c2/b', limit));
      expect(next).toMatchObject({ epoch: epoch + 1, retries: CHAIN_BOUND / 2 + 1 });
    });

    it('a compacting release whose answer was lost learns it landed, then and after a restart', async () => {
      const { ledger } = world().makeLedger();
      const limit = { maxRetries: 1000 };
      let last = ticketOf(await ledger.claim(3, 'c3/a', limit));
      while (world().chain(3).length < CHAIN_BOUND) {
        await ledger.release(last, 'failed', { backoffMs: 0 });
        last = ticketOf(await ledger.claim(3, 'c3/a', limit));
      }
      world().loseNextWrites(1);
      const released = await ledger.release(last, 'complete');
      expect(released).toMatchObject({ ok: true, epoch: last.epoch + 1 });
      const records = world().chain(3);
      expect(records[0]).toMatchObject({ kind: 'release', outcome: 'complete', attempt: last.attempt });
      if (compacts) expect(records[0]!.parents).toEqual([]);
      // A restarted process trying the same release again finds it: the root commit is ours.
      const again = world().makeLedger();
      again.clock.advance(5000);
      expect(await again.ledger.release(last, 'complete')).toEqual(released);
      expect(world().chain(3)[0]!.sha).toBe(records[0]!.sha);
    });
  });
});
