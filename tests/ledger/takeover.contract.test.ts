/**
 * The ledger's contract, part 1: staleness, takeover, fencing, retries, poison and reset, with
 * ManualClocks (each ledger judges on its own monotonic clock, which only moves when the test
 * says so) — in every world: REST against the GitHub fake, git over file:// and smart HTTP.
 */
import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/core/clock.js';
import { ticketOf } from '../github/ledger-support.js';
import { STALE_MS, WORLDS } from './ledger-worlds.js';
import { useWorld } from './use-world.js';

describe.each(WORLDS)('ledger over %s', (name) => {
  const world = useWorld(name);

  const max = { maxRetries: 3 };

  describe('takeover', () => {
    it('happens only once the observer has itself seen the owner silent for the full threshold', async () => {
      const a = world().makeLedger();
      const b = world().makeLedger();
      await a.ledger.heartbeat('t1/a', [1]);
      const mine = ticketOf(await a.ledger.claim(1, 't1/a', max));
      await b.ledger.refresh();
      expect(await b.ledger.claim(1, 't1/b', max)).toMatchObject({
        ok: false,
        reason: 'held',
        holder: 't1/a',
      });
      b.clock.advance(STALE_MS - 1);
      await b.ledger.refresh();
      expect(b.ledger.isOwnerStale('t1/a')).toBe(false);
      expect(await b.ledger.claim(1, 't1/b', max)).toMatchObject({ ok: false, reason: 'held', waitMs: 1 });
      b.clock.advance(1);
      // Time alone proves nothing: only a read that still shows the same sha does.
      expect(await b.ledger.claim(1, 't1/b', max)).toMatchObject({ ok: false, reason: 'held' });
      await b.ledger.refresh();
      expect(b.ledger.isOwnerStale('t1/a')).toBe(true);
      expect(b.ledger.lastView()?.tasks.get(1)).toMatchObject({ state: 'stale', holder: 't1/a' });
      const taken = await b.ledger.claim(1, 't1/b', max);
      expect(taken).toMatchObject({ ok: true, tookOverFrom: 't1/a' });
      const theirs = ticketOf(taken);
      expect(theirs).toMatchObject({ epoch: 2, retries: 1 });

      // The old owner's result is fenced: its release is a CAS on a commit that is no longer the tip.
      expect(await a.ledger.release(mine, 'complete')).toMatchObject({ ok: false, fenced: true });
      expect(await a.ledger.stillHolds(mine)).toBe(false);
      expect(await b.ledger.stillHolds(theirs)).toBe(true);
      expect(
        world()
          .chain(1)
          .map((r) => [r.kind, r.owner]),
      ).toEqual([
        ['claim', 't1/b'],
        ['claim', 't1/a'],
      ]);
      expect(await b.ledger.release(theirs, 'complete')).toMatchObject({
        ok: true,
        epoch: 3,
        sha: expect.stringMatching(/^[0-9a-f]{40}$/),
      });
    });

    it('never takes over an owner that keeps heartbeating, however old its claim', async () => {
      const a = world().makeLedger();
      const b = world().makeLedger();
      await a.ledger.heartbeat('t2/a', []);
      ticketOf(await a.ledger.claim(2, 't2/a', max));
      for (let i = 0; i < 12; i++) {
        b.clock.advance(STALE_MS * 0.4);
        await a.ledger.heartbeat('t2/a', [2]);
        await b.ledger.refresh();
        expect(b.ledger.isOwnerStale('t2/a')).toBe(false);
        expect(await b.ledger.claim(2, 't2/b', max)).toMatchObject({ ok: false, reason: 'held' });
      }
      // It stops: after a full threshold of silence as b sees it, b takes over.
      b.clock.advance(STALE_MS);
      await b.ledger.refresh();
      expect(await b.ledger.claim(2, 't2/b', max)).toMatchObject({ ok: true, tookOverFrom: 't2/a' });
    });

    it('judges an owner with no owner ref by the claim tip, and makes a new observer wait a full threshold', async () => {
      const a = world().makeLedger();
      ticketOf(await a.ledger.claim(3, 't3/a', max)); // never heartbeats
      const b = world().makeLedger();
      await b.ledger.refresh();
      b.clock.advance(60_000);
      // c starts late: the claim is old by anyone's measure, but c has seen nothing for long.
      const c = world().makeLedger();
      await c.ledger.refresh();
      expect(await c.ledger.claim(3, 't3/c', max)).toMatchObject({ ok: false, reason: 'held' });
      c.clock.advance(STALE_MS - 1);
      await c.ledger.refresh();
      expect(await c.ledger.claim(3, 't3/c', max)).toMatchObject({ ok: false, reason: 'held' });
      await b.ledger.refresh();
      expect(await b.ledger.claim(3, 't3/b', max)).toMatchObject({ ok: true, tookOverFrom: 't3/a' });
    });

    it('is not caused by wall-clock skew: a writer an hour off changes nothing', async () => {
      for (const [issue, skew] of [
        [4, -3_600_000],
        [5, 3_600_000],
      ] as const) {
        const skewed = new ManualClock();
        skewed.skewWall(skew);
        world().skewServerClock(skew); // commit dates follow the server clock: skewed too
        const a = world().makeLedger({ clock: skewed });
        await a.ledger.heartbeat(`t4/a${issue}`, [issue]);
        ticketOf(await a.ledger.claim(issue, `t4/a${issue}`, max));
        world().skewServerClock(0);
        const at = Date.parse(String(world().chain(issue)[0]!.at));
        expect(Math.abs(at - Date.UTC(2026, 0, 1) - skew)).toBeLessThan(1000);
        const b = world().makeLedger();
        await b.ledger.refresh();
        expect(await b.ledger.claim(issue, 't4/b', max)).toMatchObject({ ok: false, reason: 'held' });
        b.clock.advance(STALE_MS - 1);
        await b.ledger.refresh();
        expect(await b.ledger.claim(issue, 't4/b', max)).toMatchObject({ ok: false, reason: 'held' });
        b.clock.advance(1);
        await b.ledger.refresh();
        expect(await b.ledger.claim(issue, 't4/b', max)).toMatchObject({ ok: true });
      }
    });

    it('treats a fresh claim as a sign of life even when its owner ref has long been silent', async () => {
      const a = world().makeLedger();
      const b = world().makeLedger();
      await a.ledger.heartbeat('t6/a', []);
      await b.ledger.refresh();
      b.clock.advance(STALE_MS * 5);
      await b.ledger.refresh();
      expect(b.ledger.isOwnerStale('t6/a')).toBe(true);
      ticketOf(await a.ledger.claim(6, 't6/a', max)); // an idle owner claims without heartbeating first
      await b.ledger.refresh();
      expect(await b.ledger.claim(6, 't6/b', max)).toMatchObject({ ok: false, reason: 'held' });
      b.clock.advance(STALE_MS);
      await b.ledger.refresh();
      expect(await b.ledger.claim(6, 't6/b', max)).toMatchObject({ ok: true, tookOverFrom: 't6/a' });
    });

    it('lets a restarted daemon recover the orphaned claims of its own owner id after its first heartbeat', async () => {
      const before = world().makeLedger();
      await before.ledger.heartbeat('t7/a', []);
      const orphan = ticketOf(await before.ledger.claim(7, 't7/a', max));
      const after = world().makeLedger(); // same owner id, new process: the attempt is unknown to it
      await after.ledger.refresh();
      expect(await after.ledger.claim(7, 't7/a', max)).toMatchObject({ ok: false, reason: 'held' });
      await after.ledger.heartbeat('t7/a', []);
      const recovered = await after.ledger.claim(7, 't7/a', max);
      expect(recovered).toMatchObject({ ok: true, tookOverFrom: 't7/a' });
      expect(ticketOf(recovered).retries).toBe(orphan.retries + 1);
      // The same process asking again gets its own attempt back instead of a new one.
      expect(ticketOf(await after.ledger.claim(7, 't7/a', max))).toEqual(ticketOf(recovered));
    });
  });

  describe('retries, poison, reset and backoff', () => {
    it('counts failed attempts, poisons at the limit, and a reset re-enables the issue', async () => {
      const ledgers = [world().makeLedger(), world().makeLedger(), world().makeLedger()].map((l) => l.ledger);
      const limit = { maxRetries: 2 };
      const first = ticketOf(await ledgers[0]!.claim(8, 't8/a', limit));
      expect(
        await ledgers[0]!.release(first, 'failed', { backoffMs: 0, reason: 'tests failed' }),
      ).toMatchObject({
        ok: true,
        epoch: 2,
      });
      await ledgers[1]!.refresh();
      const second = ticketOf(await ledgers[1]!.claim(8, 't8/b', limit));
      expect(second.retries).toBe(1);
      await ledgers[1]!.release(second, 'failed', { backoffMs: 0 });
      await ledgers[2]!.refresh();
      expect(await ledgers[2]!.claim(8, 't8/c', limit)).toMatchObject({ ok: false, reason: 'poisoned' });
      expect(world().chain(8)[0]).toMatchObject({ kind: 'poison', retries: 2, epoch: 5, owner: 't8/c' });
      await ledgers[0]!.refresh();
      const writes = world().writes();
      expect(await ledgers[0]!.claim(8, 't8/a', limit)).toMatchObject({ ok: false, reason: 'poisoned' });
      expect(world().writes()).toBe(writes); // a refusal is decided from the view, with no write
      expect(await ledgers[0]!.reset(8, 'human')).toMatchObject({ ok: true, epoch: 6, changed: true });
      expect(await ledgers[0]!.reset(8, 'human')).toMatchObject({ ok: true, epoch: 6, changed: false });
      await ledgers[1]!.refresh();
      expect(ticketOf(await ledgers[1]!.claim(8, 't8/b', limit))).toMatchObject({ retries: 0, epoch: 7 });
    });

    it('poisons instead of taking over when the takeover would reach the limit', async () => {
      const a = world().makeLedger();
      const b = world().makeLedger();
      const limit = { maxRetries: 2 };
      ticketOf(await a.ledger.claim(9, 't9/a', limit));
      await b.ledger.refresh();
      b.clock.advance(STALE_MS);
      await b.ledger.refresh();
      const taken = ticketOf(await b.ledger.claim(9, 't9/b', limit));
      expect(taken.retries).toBe(1);
      const c = world().makeLedger();
      await c.ledger.refresh();
      c.clock.advance(STALE_MS);
      await c.ledger.refresh();
      // The poison ended t9/b's claim: the result says whose epoch, so the taker tells its fence.
      expect(await c.ledger.claim(9, 't9/c', limit)).toMatchObject({
        ok: false,
        reason: 'poisoned',
        ended: { owner: 't9/b', epoch: taken.epoch },
      });
      expect(
        world()
          .chain(9)
          .map((r) => r.kind),
      ).toEqual(['poison', 'claim', 'claim']);
      expect(world().chain(9)[0]).toMatchObject({ kind: 'poison', owner: 't9/c', tookOverFrom: 't9/b' });
      // t9/b wakes: its release is fenced by that poison, which names it (it stays silent).
      expect(await b.ledger.release(taken, 'complete')).toMatchObject({
        ok: false,
        fenced: true,
        endedBy: { kind: 'poison', tookOverFrom: 't9/b' },
      });
      // A chain already poisoned ends nobody's epoch.
      expect(await c.ledger.claim(9, 't9/c', limit)).not.toHaveProperty('ended');
    });

    it('honours a failed release’s backoff on each observer’s own clock, from when it first saw it', async () => {
      const a = world().makeLedger();
      const b = world().makeLedger();
      const t = ticketOf(await a.ledger.claim(10, 't10/a', max));
      await a.ledger.release(t, 'failed', { backoffMs: 5000 });
      await b.ledger.refresh();
      expect(await b.ledger.claim(10, 't10/b', max)).toMatchObject({
        ok: false,
        reason: 'backoff',
        waitMs: 5000,
      });
      b.clock.advance(4999);
      expect(b.ledger.lastView()?.tasks.get(10)?.state).toBe('backoff');
      expect(await b.ledger.claim(10, 't10/b', max)).toMatchObject({
        ok: false,
        reason: 'backoff',
        waitMs: 1,
      });
      const c = world().makeLedger(); // starts late: waits the full backoff from its own first sight
      await c.ledger.refresh();
      expect(await c.ledger.claim(10, 't10/c', max)).toMatchObject({
        ok: false,
        reason: 'backoff',
        waitMs: 5000,
      });
      b.clock.advance(1);
      expect(ticketOf(await b.ledger.claim(10, 't10/b', max))).toMatchObject({ retries: 1, epoch: 3 });
    });

    it('refuses to reset an issue a live owner holds, and poisons on request (fencing the holder)', async () => {
      const a = world().makeLedger();
      const t = ticketOf(await a.ledger.claim(11, 't11/a', max));
      const cli = world().makeLedger();
      expect(await cli.ledger.reset(11, 'human')).toMatchObject({ ok: false, reason: 'held' });
      expect(await cli.ledger.poison(11, 't11/ops', 'flaky forever')).toMatchObject({
        ok: true,
        epoch: 2,
        changed: true,
      });
      expect(await cli.ledger.poison(11, 't11/ops', 'again')).toMatchObject({
        ok: true,
        epoch: 2,
        changed: false,
      });
      expect(await a.ledger.release(t, 'complete')).toMatchObject({ ok: false, fenced: true });
      expect(world().chain(11)[0]).toMatchObject({ kind: 'poison', reason: 'flaky forever' });
    });
  });

  /** A release tried again (its first answer lost, the daemon restarted) learns what the chain proves. */
  describe('a release tried again', () => {
    it('finds its own earlier release on the chain and reports it landed, writing nothing more', async () => {
      const first = world().makeLedger();
      const ticket = ticketOf(await first.ledger.claim(301, 'r1/a', max));
      const landed = await first.ledger.release(ticket, 'complete');
      expect(landed.ok).toBe(true);
      // A restarted process, with only the ticket it kept, tries the same release again.
      const again = world().makeLedger();
      again.clock.advance(5000); // a later try writes a record of its own (another time)
      expect(await again.ledger.release(ticket, 'complete')).toEqual(landed);
      await again.ledger.refresh();
      expect(await again.ledger.release(ticket, 'complete')).toEqual(landed); // from its view: no write
      expect(
        world()
          .chain(301)
          .map((r) => [r.kind, r.outcome ?? null]),
      ).toEqual([
        ['release', 'complete'],
        ['claim', null],
      ]);
    });

    it('is fenced when another owner moved the chain past its claim', async () => {
      const holder = world().makeLedger();
      const taker = world().makeLedger();
      const ticket = ticketOf(await holder.ledger.claim(302, 'r2/a', max));
      await taker.ledger.refresh();
      taker.clock.advance(STALE_MS);
      await taker.ledger.refresh();
      ticketOf(await taker.ledger.claim(302, 'r2/b', max));
      expect(await holder.ledger.release(ticket, 'complete')).toMatchObject({ ok: false, fenced: true });
      const restarted = world().makeLedger();
      restarted.clock.advance(5000);
      await restarted.ledger.refresh();
      expect(await restarted.ledger.release(ticket, 'complete')).toMatchObject({ ok: false, fenced: true });
      expect(
        world()
          .chain(302)
          .map((r) => [r.kind, r.owner]),
      ).toEqual([
        ['claim', 'r2/b'],
        ['claim', 'r2/a'],
      ]);
    });
  });
});
