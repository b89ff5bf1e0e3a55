/**
 * The compare-and-swap the git ledger relies on, proven against real git over both transports:
 * `git push --force-with-lease=<ref>:<expected>` refuses a stale expectation, accepts the right
 * one (also for a non-fast-forward move and a delete), and an empty expectation means
 * "must not exist" — so of 20 processes racing to create one ref, exactly one wins.
 */
import { describe, expect, it } from 'vitest';
import { commitObject, leasePush, runGit } from '../support/git-server/index.js';
import { refOf, useRemotes } from './remotes.js';

const REF = 'refs/codex-monitor/tasks/12';

describe.each(['file', 'http'] as const)('force-with-lease over %s', (transport) => {
  const open = useRemotes();

  it('refuses a stale expectation and accepts the right one, also moving backwards', async () => {
    const { url, bare, client } = await open(transport);
    const first = commitObject(client, 'claim 1');
    const second = commitObject(client, 'claim 2', [first]);
    expect((await leasePush(client, url, { ref: REF, expected: '', sha: first })).code).toBe(0);

    const stale = await leasePush(client, url, { ref: REF, expected: second, sha: second });
    expect(stale.code).not.toBe(0);
    expect(stale.stdout).toMatch(new RegExp(`^!\\t${second}:${REF}\\t\\[rejected\\] \\(stale info\\)$`, 'm'));
    expect(refOf(bare, REF)).toBe(first);

    const forward = await leasePush(client, url, { ref: REF, expected: first, sha: second });
    expect(forward.code).toBe(0);
    expect(forward.stdout).toMatch(new RegExp(`^ \\t${second}:${REF}\\t[0-9a-f]+\\.\\.[0-9a-f]+$`, 'm'));
    expect(refOf(bare, REF)).toBe(second);

    // Compaction: an unrelated commit replaces the chain (not a fast-forward).
    const compacted = commitObject(client, 'compacted');
    const back = await leasePush(client, url, { ref: REF, expected: second, sha: compacted });
    expect(back.code).toBe(0);
    expect(back.stdout).toMatch(new RegExp(`^\\+\\t${compacted}:${REF}\\t.*\\(forced update\\)$`, 'm'));
    expect(refOf(bare, REF)).toBe(compacted);
  });

  it('an empty expectation creates an absent ref and refuses an existing one', async () => {
    const { url, bare, client } = await open(transport);
    const mine = commitObject(client, 'mine');
    const theirs = commitObject(client, 'theirs');
    const created = await leasePush(client, url, { ref: REF, expected: '', sha: mine });
    expect(created.code).toBe(0);
    expect(created.stdout).toMatch(new RegExp(`^\\*\\t${mine}:${REF}\\t\\[new reference\\]$`, 'm'));

    const again = await leasePush(client, url, { ref: REF, expected: '', sha: theirs });
    expect(again.code).not.toBe(0);
    expect(again.stdout).toMatch(new RegExp(`^!\\t${theirs}:${REF}\\t\\[rejected\\] \\(stale info\\)$`, 'm'));
    expect(refOf(bare, REF)).toBe(mine);
  });

  it('deletes a ref only under the right expectation (the doctor probe)', async () => {
    const { url, bare, client } = await open(transport);
    const probe = commitObject(client, 'probe');
    const other = commitObject(client, 'other');
    await leasePush(client, url, { ref: REF, expected: '', sha: probe });
    expect((await leasePush(client, url, { ref: REF, expected: other, sha: '' })).code).not.toBe(0);
    expect(refOf(bare, REF)).toBe(probe);
    const deleted = await leasePush(client, url, { ref: REF, expected: probe, sha: '' });
    expect(deleted.code).toBe(0);
    expect(deleted.stdout).toMatch(new RegExp(`^-\\t:${REF}\\t\\[deleted\\]$`, 'm'));
    expect(refOf(bare, REF)).toBeNull();
  });

  it('--atomic moves several refs all-or-nothing: one stale lease refuses both', async () => {
    const { url, bare, client } = await open(transport);
    const [a, b, c] = ['a', 'b', 'c'].map((m) => commitObject(client, m)) as [string, string, string];
    const OTHER = 'refs/codex-monitor/owners/ws-a';
    await leasePush(client, url, { ref: REF, expected: '', sha: a });
    await leasePush(client, url, { ref: OTHER, expected: '', sha: a });
    const leases = (other: string) => [
      `--force-with-lease=${REF}:${a}`,
      `--force-with-lease=${OTHER}:${other}`,
    ];
    const push = (other: string) =>
      runGit(['push', '--porcelain', '--atomic', ...leases(other), url, `${b}:${REF}`, `${b}:${OTHER}`], {
        cwd: client,
      });
    expect((await push(c)).code).not.toBe(0);
    expect([refOf(bare, REF), refOf(bare, OTHER)]).toEqual([a, a]);
    expect((await push(a)).code).toBe(0);
    expect([refOf(bare, REF), refOf(bare, OTHER)]).toEqual([b, b]);
  });

  it('of 20 processes racing to move one ref from the same tip, exactly one wins', async () => {
    const { url, bare, client } = await open(transport, { latencyMs: 100 });
    const tip = commitObject(client, 'claim');
    await leasePush(client, url, { ref: REF, expected: '', sha: tip });
    const takeovers = Array.from({ length: 20 }, (_, i) => commitObject(client, `takeover ${i}`, [tip]));
    const runs = await Promise.all(
      takeovers.map((sha) => leasePush(client, url, { ref: REF, expected: tip, sha })),
    );
    const winners = takeovers.filter((_, i) => runs[i]!.code === 0);
    expect(winners).toHaveLength(1);
    expect(refOf(bare, REF)).toBe(winners[0]);
  });

  it('of 20 processes racing to create one ref with the empty lease, exactly one wins', async () => {
    // Over HTTP, latency holds every advertisement back, so the pushes reach receive-pack
    // together and its check under the ref lock decides (`[remote rejected]`).
    const { url, bare, client } = await open(transport, { latencyMs: 100 });
    const contenders = Array.from({ length: 20 }, (_, i) => commitObject(client, `contender ${i}`));
    const runs = await Promise.all(
      contenders.map((sha) => leasePush(client, url, { ref: REF, expected: '', sha })),
    );
    const winners = contenders.filter((_, i) => runs[i]!.code === 0);
    expect(winners).toHaveLength(1);
    expect(refOf(bare, REF)).toBe(winners[0]);
    // Every loser was refused by a lease check (the client's, or receive-pack's under the ref lock).
    for (const [i, run] of runs.entries()) {
      if (run.code === 0) continue;
      expect(run.stdout).toMatch(
        new RegExp(`^!\\t${contenders[i]}:${REF}\\t\\[(rejected|remote rejected)\\]`, 'm'),
      );
    }
  });
});
