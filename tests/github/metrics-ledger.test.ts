/**
 * `codex_monitor_ledger_cas_conflicts_total` from the ledger's `onCasConflict` observer: two
 * owners race for one issue on the GitHub fake (the loser reads behind the winner's write), the
 * loser's create is refused and counted once — in its own registry only.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMetrics } from '../../src/observe/metrics/index.js';
import type { FakeGitHub } from '../support/github-fake/index.js';
import { parseMetrics, sample } from '../support/prometheus-text.js';
import { makeLedger, startLedgerFake, ticketOf } from './ledger-support.js';

let fake: FakeGitHub;
beforeAll(async () => {
  fake = await startLedgerFake();
});
afterAll(() => fake.close());

const noSources = {
  events: { query: () => [] },
  tasks: () => ({ queue: 0, running: 0, blocked: 0, poisoned: 0 }),
  heartbeats: () => [],
};
const conflicts = async (metrics: ReturnType<typeof createMetrics>) =>
  sample(parseMetrics(await metrics.registry.metrics()), 'codex_monitor_ledger_cas_conflicts_total');

describe('ledger CAS conflicts (the GitHub fake, real HTTP)', () => {
  it('a claim that loses the race on the ref is counted once, by the loser', async () => {
    const winnerMetrics = createMetrics(noSources);
    const loserMetrics = createMetrics(noSources);
    const winner = makeLedger(fake, { onCasConflict: () => winnerMetrics.casConflict() }).ledger;
    const loser = makeLedger(fake, { onCasConflict: () => loserMetrics.casConflict() }).ledger;
    await winner.refresh();
    await loser.refresh();
    ticketOf(await winner.claim(301, 'w1/a', { maxRetries: 3 }));
    fake.setKnobs({ readLagMs: 60_000 }); // the loser's reads do not show the winner's claim yet
    try {
      const lost = await loser.claim(301, 'w2/a', { maxRetries: 3 });
      expect(lost).toMatchObject({ ok: false, reason: 'lost-race' });
    } finally {
      fake.setKnobs({ readLagMs: 0 });
    }
    expect(await conflicts(loserMetrics)).toBe(1);
    expect(await conflicts(winnerMetrics)).toBe(0);
  });
});
