/**
 * A release tried again (its first answer lost, the daemon restarted) must learn what the chain
 * proves: our own release already there is a success, someone else's record is fenced.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LedgerClaimResult, LedgerTicket } from '../../src/boards/github/ref-ledger.js';
import type { FakeGitHub } from '../support/github-fake/index.js';
import { chain, makeLedger, STALE_MS, startLedgerFake } from './ledger-support.js';

let fake: FakeGitHub;
beforeAll(async () => {
  fake = await startLedgerFake();
});
afterAll(async () => {
  await fake.close();
});

const max = { maxRetries: 3 };

function ticketOf(result: LedgerClaimResult): LedgerTicket {
  if (!result.ok) throw new Error(`expected a won claim, got ${result.reason}: ${result.detail}`);
  return result.ticket;
}

describe('a release tried again', () => {
  it('finds its own earlier release on the chain and reports it landed, writing nothing more', async () => {
    const first = makeLedger(fake);
    const ticket = ticketOf(await first.ledger.claim(301, 'r1/a', max));
    const landed = await first.ledger.release(ticket, 'complete');
    expect(landed.ok).toBe(true);
    // A restarted process, with only the ticket it kept, tries the same release again.
    const again = makeLedger(fake);
    again.clock.advance(5000); // a later try writes a record of its own (another time)
    expect(await again.ledger.release(ticket, 'complete')).toEqual(landed);
    await again.ledger.refresh();
    expect(await again.ledger.release(ticket, 'complete')).toEqual(landed); // from its view: no write
    expect(chain(fake, 301).map((r) => [r.kind, r.outcome ?? null])).toEqual([
      ['release', 'complete'],
      ['claim', null],
    ]);
  });

  it('is fenced when another owner moved the chain past its claim', async () => {
    const holder = makeLedger(fake);
    const taker = makeLedger(fake);
    const ticket = ticketOf(await holder.ledger.claim(302, 'r2/a', max));
    await taker.ledger.refresh();
    taker.clock.advance(STALE_MS);
    await taker.ledger.refresh();
    ticketOf(await taker.ledger.claim(302, 'r2/b', max));
    expect(await holder.ledger.release(ticket, 'complete')).toMatchObject({ ok: false, fenced: true });
    const restarted = makeLedger(fake);
    restarted.clock.advance(5000);
    await restarted.ledger.refresh();
    expect(await restarted.ledger.release(ticket, 'complete')).toMatchObject({ ok: false, fenced: true });
    expect(chain(fake, 302).map((r) => [r.kind, r.owner])).toEqual([
      ['claim', 'r2/b'],
      ['claim', 'r2/a'],
    ]);
  });
});
