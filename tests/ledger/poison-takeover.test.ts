/**
 * A takeover at the retry limit writes a poison instead of a claim: the taker ended the silent
 * owner's epoch, so it tells `poisoned` and then `fenced` for that epoch (board-notices.ts). On the
 * ledger over REST (the GitHub fake), with a real SQLite state as the local gate.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { BoardNotices } from '../../src/boards/github/board-notices.js';
import { claimOnLedger } from '../../src/boards/ledger/index.js';
import { silentLogger } from '../../src/core/logger.js';
import type { Notification } from '../../src/core/notification.js';
import { ticketOf } from '../github/ledger-support.js';
import { owner, testState } from '../support/state.js';
import { useTempDirs } from '../support/temp-dir.js';
import { STALE_MS } from './ledger-worlds.js';
import { useWorld } from './use-world.js';

const tempDir = useTempDirs();
const world = useWorld('rest');
const states: { close(): void }[] = [];
afterAll(() => {
  for (const s of states) s.close();
});

describe('a takeover that poisons', () => {
  it('tells `poisoned` and `fenced` for the epoch it ended, once; a chain already poisoned tells no fence', async () => {
    const limit = { maxRetries: 1 };
    const silent = world().makeLedger();
    const held = ticketOf(await silent.ledger.claim(3, 'ws1/codex', limit));
    const taker = world().makeLedger();
    await taker.ledger.refresh();
    taker.clock.advance(STALE_MS);
    await taker.ledger.refresh();
    const { state } = testState(tempDir());
    states.push(state);
    const sent: Notification[] = [];
    const notices = new BoardNotices({
      notify: { notify: (n) => sent.push(n) },
      owner: 'acme',
      repo: 'widgets',
      webUrl: undefined,
      publish: { publishErrors: false, home: '/home/test' },
    });
    const ctx = {
      store: state,
      self: owner('ws2/codex'),
      ledger: taker.ledger,
      maxRetries: limit.maxRetries,
      logger: silentLogger(),
      source: 'github',
      onPoisoned: (n: number, by: string, detail: string) => notices.poisoned(n, by, 0, detail),
      onTookOver: notices.tookOver.bind(notices),
    };
    expect(await claimOnLedger(ctx, 'github:3', 3)).toBeNull();
    expect(world().chain(3)[0]).toMatchObject({
      kind: 'poison',
      owner: 'ws2/codex',
      tookOverFrom: 'ws1/codex',
    });
    expect(sent.map((n) => [n.event, n.owner, n.epoch])).toEqual([
      ['poisoned', 'ws2/codex', 0],
      ['fenced', 'ws1/codex', held.epoch],
    ]);
    expect(sent[1]!.summary).toContain('poisoned by ws2/codex');
    // Asked again, the chain is poisoned already: that refusal ended nobody's epoch.
    expect(await claimOnLedger(ctx, 'github:3', 3)).toBeNull();
    expect(sent.filter((n) => n.event === 'fenced')).toHaveLength(1);
  });
});
