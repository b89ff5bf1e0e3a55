/**
 * The delivery fence: before a push, the holder proves by CAS that the claim is still its own,
 * and the branch and pull request it delivers travel down the chain to the next attempt.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FakeGitHub } from '../support/github-fake/index.js';
import {
  chain,
  flakyOctokit,
  losingOctokit,
  makeLedger,
  REPO,
  STALE_MS,
  startLedgerFake,
  ticketOf,
} from './ledger-support.js';

let fake: FakeGitHub;
beforeAll(async () => {
  fake = await startLedgerFake();
});
afterAll(async () => {
  await fake.close();
});

const max = { maxRetries: 3 };

describe('the delivery fence', () => {
  it('is a claim record of the same attempt; the release quotes it, and the next claim inherits branch and PR', async () => {
    const { ledger } = makeLedger(fake);
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
    expect(chain(fake, 1).map((r) => [r.kind, r.phase ?? null, r.branch ?? null, r.pr ?? null])).toEqual([
      ['release', null, 'codex/1-fix-it', 7],
      ['claim', 'deliver', 'codex/1-fix-it', null],
      ['claim', null, null, null],
    ]);
    const next = ticketOf(await ledger.claim(1, 'd1/a', max));
    expect(next).toMatchObject({ epoch: 4, branch: 'codex/1-fix-it', pr: 7, retries: 1 });
    expect(chain(fake, 1)[0]).toMatchObject({ kind: 'claim', branch: 'codex/1-fix-it', pr: 7 });
  });

  it('is refused once another owner took the claim over: nothing may be pushed', async () => {
    const a = makeLedger(fake);
    const b = makeLedger(fake);
    const mine = ticketOf(await a.ledger.claim(2, 'd2/a', max));
    await b.ledger.refresh();
    b.clock.advance(STALE_MS);
    await b.ledger.refresh();
    ticketOf(await b.ledger.claim(2, 'd2/b', max));
    expect(await a.ledger.fence(mine, 'codex/2-x')).toMatchObject({ ok: false, fenced: true });
    expect(chain(fake, 2).map((r) => r.owner)).toEqual(['d2/b', 'd2/a']);
  });

  it('whose answer was lost is found on the chain when tried again: one fence record, not two', async () => {
    const { octokit, arm } = losingOctokit(fake, 'PATCH', /\/git\/refs\//);
    const { ledger } = makeLedger(fake, { octokit });
    const mine = ticketOf(await ledger.claim(3, 'd3/a', max));
    arm();
    const first = await ledger.fence(mine, 'codex/3-y');
    expect(first).toMatchObject({ ok: true, ticket: { epoch: 2 } });
    // The caller never learnt of it (say it gave up): fencing again with the claim's ticket.
    expect(await ledger.fence(mine, 'codex/3-y')).toEqual(first);
    expect(chain(fake, 3).map((r) => r.kind)).toEqual(['claim', 'claim']);
  });

  it('that landed while every answer was lost does not fence the holder’s own release', async () => {
    const { octokit, control } = flakyOctokit(fake);
    const { ledger } = makeLedger(fake, { octokit });
    await ledger.refresh();
    const mine = ticketOf(await ledger.claim(4, 'd4/a', max));
    control.outage = true;
    await expect(ledger.fence(mine, 'codex/4-z')).rejects.toThrow();
    control.outage = false;
    expect(control.landed).toBe(true);
    // The attempt gives up on delivering and releases with the ticket it has: it lands on top.
    expect(await ledger.release(mine, 'failed', { backoffMs: 0, reason: 'could not fence' })).toMatchObject({
      ok: true,
      epoch: 3,
    });
    expect(chain(fake, 4).map((r) => [r.kind, r.phase ?? null])).toEqual([
      ['release', null],
      ['claim', 'deliver'],
      ['claim', null],
    ]);
    expect(fake.state.ref(REPO, 'refs/codex-monitor/tasks/4')).toBe(chain(fake, 4)[0]!.sha);
  });

  it('that landed in an outage is found when tried again after it: still one fence record', async () => {
    const { octokit, control } = flakyOctokit(fake);
    const { ledger } = makeLedger(fake, { octokit });
    const mine = ticketOf(await ledger.claim(5, 'd5/a', max));
    control.outage = true;
    await expect(ledger.fence(mine, 'codex/5-w')).rejects.toThrow();
    control.outage = false;
    expect(await ledger.fence(mine, 'codex/5-w')).toMatchObject({ ok: true, ticket: { epoch: 2 } });
    expect(chain(fake, 5).map((r) => r.kind)).toEqual(['claim', 'claim']);
  });
});
