/** Real concurrent HTTP: many ledgers race for the same issues; exactly one may win each race. */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { LedgerClaimResult, RefLedger } from '../../src/boards/github/ledger/index.js';
import type { FakeGitHub } from '../support/github-fake/index.js';
import { chain, makeLedger, startLedgerFake } from './ledger-support.js';

let fake: FakeGitHub;

beforeAll(async () => {
  fake = await startLedgerFake({ rngSeed: 7 });
});
afterAll(async () => {
  await fake.close();
});
beforeEach(() => {
  fake.setKnobs({ latencyMs: 2, latencyJitterMs: 12, readLagMs: 0 });
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const racers = (n: number) => Array.from({ length: n }, () => makeLedger(fake).ledger);

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
      const records = chain(fake, issue);
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
    const kinds = chain(fake, issue).map((r) => r.kind);
    expect(kinds).toEqual(['release', 'claim', 'release', 'claim', 'release', 'claim', 'release', 'claim']);
  });

  it('never double-claims when reads lag 500 ms behind writes (8 racers, stale views)', async () => {
    fake.setKnobs({ readLagMs: 500, latencyMs: 1, latencyJitterMs: 8 });
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
    expect(seen).toContain('lost-race'); // stale views did build CASes that had to fail
    expect(wins).toBeGreaterThan(0);
    // The chain alternates claim/release: no claim was ever written on top of a live claim.
    const records = chain(fake, issue).reverse();
    expect(records.filter((r) => r.kind === 'claim')).toHaveLength(wins);
    records.forEach((r, i) => {
      expect(r.kind).toBe(i % 2 === 0 ? 'claim' : 'release');
      expect(r.epoch).toBe(i + 1);
    });
  });
});
