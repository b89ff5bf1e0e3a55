/**
 * The ledger's contract, part 2: the delivery fence (and its lost answers), and racing claims —
 * many ledgers, each with its own view, sending real concurrent writes — in every world().
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { LedgerClaimResult, RefLedger } from '../../src/boards/github/ledger/index.js';
import { ticketOf } from '../github/ledger-support.js';
import { STALE_MS, WORLDS } from './ledger-worlds.js';
import { useWorld } from './use-world.js';

describe.each(WORLDS)('ledger over %s', (name) => {
  const world = useWorld(name);
  afterEach(() => world().setReadLag(0));

  const max = { maxRetries: 3 };

  describe('the delivery fence', () => {
    it('is a claim record of the same attempt; the release quotes it, and the next claim inherits branch and PR', async () => {
      const { ledger } = world().makeLedger();
      const mine = ticketOf(await ledger.claim(1, 'd1/a', max));
      expect(mine).toMatchObject({ branch: null, pr: null });
      const fenced = await ledger.fence(mine, 'codex/1-fix-it');
      expect(fenced).toMatchObject({
        ok: true,
        ticket: { epoch: 2, branch: 'codex/1-fix-it', attempt: mine.attempt },
      });
      if (!fenced.ok) return;
      expect(await ledger.release(fenced.ticket, 'failed', { pr: 7, backoffMs: 0 })).toMatchObject({
        ok: true,
        epoch: 3,
      });
      expect(
        world()
          .chain(1)
          .map((r) => [r.kind, r.phase ?? null, r.branch ?? null, r.pr ?? null]),
      ).toEqual([
        ['release', null, 'codex/1-fix-it', 7],
        ['claim', 'deliver', 'codex/1-fix-it', null],
        ['claim', null, null, null],
      ]);
      const next = ticketOf(await ledger.claim(1, 'd1/a', max));
      expect(next).toMatchObject({ epoch: 4, branch: 'codex/1-fix-it', pr: 7, retries: 1 });
      expect(world().chain(1)[0]).toMatchObject({ kind: 'claim', branch: 'codex/1-fix-it', pr: 7 });
    });

    it('is refused once another owner took the claim over: nothing may be pushed', async () => {
      const a = world().makeLedger();
      const b = world().makeLedger();
      const mine = ticketOf(await a.ledger.claim(2, 'd2/a', max));
      await b.ledger.refresh();
      b.clock.advance(STALE_MS);
      await b.ledger.refresh();
      ticketOf(await b.ledger.claim(2, 'd2/b', max));
      expect(await a.ledger.fence(mine, 'codex/2-x')).toMatchObject({ ok: false, fenced: true });
      expect(
        world()
          .chain(2)
          .map((r) => r.owner),
      ).toEqual(['d2/b', 'd2/a']);
    });

    it('whose answer was lost is found on the chain when tried again: one fence record, not two', async () => {
      const { ledger } = world().makeLedger();
      const mine = ticketOf(await ledger.claim(3, 'd3/a', max));
      world().loseNextWrites(1);
      const first = await ledger.fence(mine, 'codex/3-y');
      expect(first).toMatchObject({ ok: true, ticket: { epoch: 2 } });
      // The caller never learnt of it (say it gave up): fencing again with the claim's ticket.
      expect(await ledger.fence(mine, 'codex/3-y')).toEqual(first);
      expect(
        world()
          .chain(3)
          .map((r) => r.kind),
      ).toEqual(['claim', 'claim']);
    });

    it('that landed while every answer was lost does not fence the holder’s own release', async () => {
      const { ledger } = world().makeLedger();
      await ledger.refresh();
      const mine = ticketOf(await ledger.claim(4, 'd4/a', max));
      const outage = world().outageAfterNextWrite();
      await expect(ledger.fence(mine, 'codex/4-z')).rejects.toThrow();
      outage.end();
      expect(outage.landed()).toBe(true);
      // The attempt gives up on delivering and releases with the ticket it has: it lands on top.
      expect(await ledger.release(mine, 'failed', { backoffMs: 0, reason: 'could not fence' })).toMatchObject(
        {
          ok: true,
          epoch: 3,
        },
      );
      expect(
        world()
          .chain(4)
          .map((r) => [r.kind, r.phase ?? null]),
      ).toEqual([
        ['release', null],
        ['claim', 'deliver'],
        ['claim', null],
      ]);
    });

    it('that landed in an outage is found when tried again after it: still one fence record', async () => {
      const { ledger } = world().makeLedger();
      const mine = ticketOf(await ledger.claim(5, 'd5/a', max));
      const outage = world().outageAfterNextWrite();
      await expect(ledger.fence(mine, 'codex/5-w')).rejects.toThrow();
      outage.end();
      expect(outage.landed()).toBe(true);
      expect(await ledger.fence(mine, 'codex/5-w')).toMatchObject({ ok: true, ticket: { epoch: 2 } });
      expect(
        world()
          .chain(5)
          .map((r) => r.kind),
      ).toEqual(['claim', 'claim']);
    });
  });

  const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
  const racers = (n: number) => Array.from({ length: n }, () => world().makeLedger().ledger);

  function winners(results: LedgerClaimResult[]) {
    return results.filter((r) => r.ok);
  }

  async function race(ledgers: RefLedger[], issue: number, refresh: boolean) {
    return Promise.all(
      ledgers.map(async (l, i) => {
        if (refresh) await l.refresh();
        return l.claim(issue, `ws${i}/agent`, { maxRetries: 3 });
      }),
    );
  }

  describe('racing claims', () => {
    it('lets exactly one of 8 ledgers create each of several issues; the others lose or see it held', async () => {
      const ledgers = racers(8);
      for (const issue of [101, 102, 103, 104, 105]) {
        const results = await race(ledgers, issue, true);
        const won = winners(results);
        expect(won).toHaveLength(1);
        for (const r of results) if (!r.ok) expect(['lost-race', 'held']).toContain(r.reason);
        const records = world().chain(issue);
        expect(records).toHaveLength(1);
        expect(won[0]!.ok && won[0]!.ticket.sha).toBe(records[0]!.sha);
        expect(records[0]).toMatchObject({ kind: 'claim', epoch: 1, retries: 0 });
      }
    });

    it('lets exactly one win the CAS on a released tip, round after round', async () => {
      const ledgers = racers(8);
      const issue = 110;
      let holder: { ledger: RefLedger; result: LedgerClaimResult } | undefined;
      for (let round = 0; round < 4; round++) {
        const results = await race(ledgers, issue, true);
        const won = results.flatMap((r, i) => (r.ok ? [{ ledger: ledgers[i]!, result: r }] : []));
        expect(won).toHaveLength(1);
        holder = won[0]!;
        if (!holder.result.ok) throw new Error('unreachable');
        expect(holder.result.ticket.epoch).toBe(round * 2 + 1);
        expect(await holder.ledger.release(holder.result.ticket, 'abandoned')).toMatchObject({
          ok: true,
          epoch: round * 2 + 2,
        });
      }
      const kinds = world()
        .chain(issue)
        .map((r) => r.kind);
      expect(kinds).toEqual(['release', 'claim', 'release', 'claim', 'release', 'claim', 'release', 'claim']);
    });

    it('never double-claims from stale views (8 racers; on REST reads also lag 500 ms)', async () => {
      world().setReadLag(500);
      const ledgers = racers(9);
      const issue = 120;
      let wins = 0;
      let sitter = 8; // the last holder sits out: its own view is exact, the racers' views lag
      const seen = new Set<string>();
      for (let round = 0; round < 5; round++) {
        const racing = ledgers.filter((_, i) => i !== sitter);
        const results = await Promise.all(
          racing.map(async (l, i) => {
            // Staggered refreshes: some views show the release, some the claim before it, some nothing.
            await sleep((i * 97) % 700);
            await l.refresh();
            return l.claim(issue, `ws${ledgers.indexOf(l)}/agent`, { maxRetries: 3 });
          }),
        );
        for (const r of results) seen.add(r.ok ? 'won' : r.reason);
        const won = results.flatMap((r, i) => (r.ok ? [{ ledger: racing[i]!, ticket: r.ticket }] : []));
        expect(won.length).toBeLessThanOrEqual(1);
        for (const r of results) if (!r.ok) expect(['lost-race', 'held']).toContain(r.reason);
        for (const w of won) {
          wins += 1;
          sitter = ledgers.indexOf(w.ledger);
          expect(await w.ledger.release(w.ticket, 'abandoned')).toMatchObject({ ok: true });
        }
      }
      // With lagging reads, stale views did build CASes that had to fail (git reads never lag).
      if (world().name === 'rest') expect(seen).toContain('lost-race');
      expect(wins).toBeGreaterThan(0);
      // The chain alternates claim/release: no claim was ever written on top of a live claim.
      const records = world().chain(issue).reverse();
      expect(records.filter((r) => r.kind === 'claim')).toHaveLength(wins);
      records.forEach((r, i) => {
        expect(r.kind).toBe(i % 2 === 0 ? 'claim' : 'release');
        expect(r.epoch).toBe(i + 1);
      });
    });
  });
});
