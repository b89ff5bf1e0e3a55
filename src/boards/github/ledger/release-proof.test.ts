import { describe, expect, it } from 'vitest';
import type { LedgerTicket } from './ledger-types.js';
import { encodeTaskMessage, type TaskRecord } from './records/ledger-record.js';
import { releaseProof } from './release-proof.js';
import type { CommitInfo, LedgerTransport } from './transport.js';

const record = (kind: TaskRecord['kind'], owner: string, epoch: number, attempt = ''): TaskRecord => ({
  v: 1,
  kind,
  issue: 1,
  owner,
  attempt,
  epoch,
  retries: 0,
  at: '2026-01-01T00:00:00Z',
});

/** A chain of commits (sha → message, parent): only `commit` is read. */
function chain(commits: Record<string, { message: string; parent?: string }>): LedgerTransport {
  return {
    commit: async (sha: string): Promise<CommitInfo> => {
      const c = commits[sha];
      if (!c) throw new Error(`no commit ${sha}`);
      return { sha, message: c.message, parents: c.parent ? [c.parent] : [] };
    },
  } as unknown as LedgerTransport;
}

const ours: LedgerTicket = {
  issue: 1,
  ownerId: 'ws1/codex',
  attempt: 'a1',
  epoch: 1,
  sha: 'c1',
  retries: 0,
  branch: null,
  pr: null,
};
const claim1 = { message: encodeTaskMessage(record('claim', 'ws1/codex', 1, 'a1')) };

describe('releaseProof names the record that ended our epoch', () => {
  it('a takeover claim, a poison, a foreign commit, and a compacted chain whose root is the next epoch', async () => {
    const taken = chain({
      c1: claim1,
      c2: { message: encodeTaskMessage(record('claim', 'ws2/codex', 2, 'b1')), parent: 'c1' },
    });
    expect(await releaseProof(taken, 'c2', ours)).toMatchObject({
      verdict: 'theirs',
      by: { kind: 'claim', owner: 'ws2/codex', epoch: 2 },
    });
    const poisoned = chain({
      c1: claim1,
      c2: { message: encodeTaskMessage(record('poison', 'admin', 2)), parent: 'c1' },
      c3: { message: encodeTaskMessage(record('reset', 'admin', 3)), parent: 'c2' },
    });
    expect(await releaseProof(poisoned, 'c3', ours)).toMatchObject({
      by: { kind: 'poison', owner: 'admin' },
    });
    const foreign = chain({ c1: claim1, c2: { message: 'not a record', parent: 'c1' } });
    expect(await releaseProof(foreign, 'c2', ours)).toEqual({ verdict: 'theirs', by: null });
    const compacted = chain({ r2: { message: encodeTaskMessage(record('claim', 'ws2/codex', 2, 'b1')) } });
    expect(await releaseProof(compacted, 'r2', ours)).toMatchObject({ by: { kind: 'claim', epoch: 2 } });
    // Our own release on the chain is ours, not theirs.
    const released = chain({
      c1: claim1,
      c2: {
        message: encodeTaskMessage({ ...record('release', 'ws1/codex', 2, 'a1'), outcome: 'complete' }),
        parent: 'c1',
      },
    });
    expect(await releaseProof(released, 'c2', ours)).toEqual({ verdict: 'ours', sha: 'c2', epoch: 2 });
  });
});
