/**
 * A long-running reader of the fleet (`serve`, `run --serve` on GitHub) reads every owner's
 * heartbeat commit each time the owner beats. Those commits are read once and never again, so
 * keeping them in the transport's commit cache (persisted in the state database) grew it by one
 * row per owner per beat, for as long as the dashboard ran. The reader keeps the last one per
 * owner instead: bounded by the owners, and an owner that did not beat costs no read.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFleet } from '../../src/boards/github/fleet/index.js';
import { IssueStore } from '../../src/boards/github/issues/index.js';
import { RestTransport } from '../../src/boards/github/ledger/index.js';
import { ManualClock } from '../../src/core/clock.js';
import { silentLogger } from '../../src/core/logger.js';
import { MemoryKeyValueStore } from '../../src/state/kv-store.js';
import type { FakeGitHub } from '../support/github-fake/index.js';
import { makeLedger, octokitFor, startLedgerFake } from './ledger-support.js';

let fake: FakeGitHub;
beforeAll(async () => {
  fake = await startLedgerFake();
});
afterAll(() => fake.close());

/** A store that counts its rows (every namespace). */
class CountingStore extends MemoryKeyValueStore {
  readonly keys = new Set<string>();
  override set(namespace: string, key: string, value: string): void {
    this.keys.add(`${namespace}\u0000${key}`);
    super.set(namespace, key, value);
  }
  override delete(namespace: string, key: string): void {
    this.keys.delete(`${namespace}\u0000${key}`);
    super.delete(namespace, key);
  }
}
const rows = (kv: CountingStore) => kv.keys.size;
const COMMIT_READS = 'GET /repos/{owner}/{repo}/git/commits/{commit_sha}';

describe('reading the fleet again and again (the GitHub fake, real HTTP)', () => {
  it('keeps one heartbeat per owner, not one per beat, and reads an unmoved owner no more', async () => {
    const daemons = [makeLedger(fake).ledger, makeLedger(fake).ledger];
    const owners = ['ws1/codex', 'ws2/codex'];
    const commits = new CountingStore();
    const kv = new CountingStore();
    const transport = new RestTransport(octokitFor(fake), 'acme', 'widgets', commits, silentLogger());
    const issuesKv = new MemoryKeyValueStore();
    const read = () =>
      readFleet({
        repository: 'acme/widgets',
        transport,
        sync: { pull: async () => ({ changed: [], gone: [], pulls: [], requests: 0 }) } as never,
        issues: new IssueStore(issuesKv, 'acme/widgets'),
        kv,
        clock: new ManualClock(),
        staleThresholdMs: 60_000,
        policy: { trustedAssociations: ['OWNER'], taskLabels: [] },
        ownerId: 'ws3/codex',
      });
    const beatAll = () => Promise.all(daemons.map((d, i) => d.heartbeat(owners[i] as string, [])));

    await beatAll();
    const first = await read();
    expect(first.owners.map((o) => o.id).sort()).toEqual(owners);
    const after = { commits: rows(commits), kv: rows(kv) };
    for (let beat = 0; beat < 5; beat++) {
      await beatAll();
      await read();
    }
    // Five beats of two owners later the stores hold what they held after the first look.
    expect(rows(commits)).toBe(after.commits);
    expect(rows(kv)).toBe(after.kv);

    // An owner that did not beat since the last look is not read again; one that did, once.
    const commitReads = () => fake.stats().byRoute[COMMIT_READS] ?? 0;
    let before = commitReads();
    const again = await read();
    expect(commitReads()).toBe(before);
    expect(again.owners.map((o) => o.running)).toEqual([[], []]); // still known, from the kept beat
    await daemons[0]?.heartbeat(owners[0] as string, []);
    before = commitReads();
    await read();
    expect(commitReads()).toBe(before + 1);
  });
});
