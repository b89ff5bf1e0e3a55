/**
 * A push whose result is lost: the server applied it, the client never heard so and failed.
 * Over HTTP the server destroys the connection instead of answering (losePushResponses); over
 * file:// the repository's reference-transaction hook kills receive-pack after the commit
 * (armLostPush). Either way the ref moved and git exited non-zero — what the ledger must
 * resolve by re-reading, never by blindly repeating.
 */
import { describe, expect, it } from 'vitest';
import { armLostPush, commitObject, gitSync, leasePush } from '../support/git-server/index.js';
import { refOf, useRemotes } from './remotes.js';

const REF = 'refs/codex-monitor/tasks/7';

describe('lost push responses', () => {
  const open = useRemotes();

  it('over HTTP: losePushResponses applies the next push and cuts its answer, once', async () => {
    const { url, bare, client, server } = await open('http');
    const claim = commitObject(client, 'claim');
    const beat = commitObject(client, 'beat', [claim]);
    server!.setKnobs({ losePushResponses: 1 });

    const lost = await leasePush(client, url, { ref: REF, expected: '', sha: claim });
    expect(lost.code).not.toBe(0);
    expect(lost.stdout).not.toContain(REF); // no porcelain status line for the ref: no answer
    expect(refOf(bare, REF)).toBe(claim);
    expect(server!.stats().lostPushes).toBe(1);

    // The knob is spent: the next push is answered (and the lease sees the lost push applied).
    const next = await leasePush(client, url, { ref: REF, expected: claim, sha: beat });
    expect(next.code).toBe(0);
    expect(refOf(bare, REF)).toBe(beat);
  });

  it('over HTTP: dropPushConnections applies the next push and drops its connection', async () => {
    const { url, bare, client, server } = await open('http');
    const claim = commitObject(client, 'claim');
    server!.setKnobs({ dropPushConnections: 1 });
    const lost = await leasePush(client, url, { ref: REF, expected: '', sha: claim });
    // curl may resend the POST on a fresh connection; then receive-pack refuses the resent
    // push because the first one already created the ref. Applied either way, reported failed.
    expect(lost.code).not.toBe(0);
    expect(lost.stdout).not.toMatch(/^\*\t/m);
    expect(refOf(bare, REF)).toBe(claim);
    expect(server!.stats().lostPushes).toBe(1);
  });

  it('over file://: armLostPush kills receive-pack after it committed, n times', async () => {
    const { url, bare, client } = await open('file');
    const claim = commitObject(client, 'claim');
    const beat = commitObject(client, 'beat', [claim]);
    const third = commitObject(client, 'third', [beat]);
    const arm = armLostPush(bare, 2);

    const first = await leasePush(client, url, { ref: REF, expected: '', sha: claim });
    expect(first.code).not.toBe(0);
    expect(first.stdout).not.toContain(REF);
    expect(refOf(bare, REF)).toBe(claim);
    const second = await leasePush(client, url, { ref: REF, expected: claim, sha: beat });
    expect(second.code).not.toBe(0);
    expect(refOf(bare, REF)).toBe(beat);
    expect(arm.remaining()).toBe(0);

    const answered = await leasePush(client, url, { ref: REF, expected: beat, sha: third });
    expect(answered.code).toBe(0);
    expect(refOf(bare, REF)).toBe(third);
  });

  it('over file://: spares a ref update that is not a push, and disarms', async () => {
    const { url, bare, client } = await open('file');
    const claim = commitObject(client, 'claim');
    const arm = armLostPush(bare, 1);
    const local = commitObject(bare, 'written in the server repository');
    gitSync(bare, ['update-ref', 'refs/codex-monitor/tasks/local', local]); // not killed
    expect(arm.remaining()).toBe(1);
    arm.disarm();
    expect(arm.remaining()).toBe(0);
    expect((await leasePush(client, url, { ref: REF, expected: '', sha: claim })).code).toBe(0);
  });

  it('names the bad input', async () => {
    const { bare } = await open('file');
    expect(() => armLostPush(bare, 0)).toThrow(/n must be a whole number ≥ 1, got 0/);
    expect(() => armLostPush(`${bare}/missing`, 1)).toThrow(/is not a bare repository/);
  });
});
