/**
 * Refs under the ledger's namespace that point at no commit of ours — a tree, a blob, a record
 * copied from another issue's chain, a foreign name — over real HTTP against the fake. One bad
 * ref skips its own issue (with one warning per sha), never the whole refresh.
 */

import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LedgerBadRefError } from '../../src/boards/github/ledger/index.js';
import type { FakeGitHub } from '../support/github-fake/index.js';
import { makeLedger, octokitFor, REPO, startLedgerFake } from './ledger-support.js';

let fake: FakeGitHub;
beforeAll(async () => {
  fake = await startLedgerFake();
});
afterAll(async () => {
  await fake.close();
});

const p = { owner: 'acme', repo: 'widgets' };
const max = { maxRetries: 3 };

/** The default branch's tree and its README blob: objects that exist but are not commits. */
async function objects() {
  const octokit = octokitFor(fake);
  const head = await octokit.git.getRef({ ...p, ref: 'heads/main' });
  const main = await octokit.git.getCommit({ ...p, commit_sha: head.data.object.sha });
  const tree = await octokit.git.getTree({ ...p, tree_sha: main.data.tree.sha });
  return { octokit, tree: main.data.tree.sha, blob: tree.data.tree[0]!.sha! };
}

function capturingLogger() {
  const lines: Record<string, unknown>[] = [];
  const stream = { write: (line: string) => lines.push(JSON.parse(line) as Record<string, unknown>) };
  return { logger: pino({ level: 'warn' }, stream), lines };
}

describe('unusable ledger refs', () => {
  it('skip their own issue with one warning per sha; every other issue is still claimed', async () => {
    const { octokit, tree, blob } = await objects();
    // GitHub lets a ref point at any object: the fake stores these refs as it would.
    await octokit.git.createRef({ ...p, ref: 'refs/codex-monitor/tasks/401', sha: tree });
    await octokit.git.createRef({ ...p, ref: 'refs/codex-monitor/tasks/402', sha: blob });
    await octokit.git.createRef({ ...p, ref: 'refs/codex-monitor/owners/x9_2Fa', sha: tree });
    await octokit.git.createRef({ ...p, ref: 'refs/codex-monitor/junk', sha: blob });
    expect(fake.state.ref(REPO, 'refs/codex-monitor/tasks/401')).toBe(tree);

    const { logger, lines } = capturingLogger();
    const { ledger } = makeLedger(fake, { logger });
    const view = await ledger.refresh();
    expect(view.tasks.get(401)).toMatchObject({
      state: 'bad',
      record: null,
      detail: expect.stringMatching(/tree/),
    });
    expect(view.tasks.get(402)).toMatchObject({ state: 'bad', detail: expect.stringMatching(/blob/) });
    expect(view.problems?.map((x) => x.ref).sort()).toEqual([
      'refs/codex-monitor/junk',
      'refs/codex-monitor/owners/x9_2Fa',
      'refs/codex-monitor/tasks/401',
      'refs/codex-monitor/tasks/402',
    ]);

    // The fleet goes on: another issue is claimed and released on the same refresh.
    const won = await ledger.claim(403, 'x9/a', max);
    expect(won).toMatchObject({ ok: true });
    if (won.ok) expect(await ledger.release(won.ticket, 'complete')).toMatchObject({ ok: true });
    expect(await ledger.claim(401, 'x9/a', max)).toMatchObject({ ok: false, reason: 'bad-ref' });
    await expect(ledger.reset(401, 'a human')).rejects.toBeInstanceOf(LedgerBadRefError);

    await ledger.refresh();
    await ledger.refresh();
    const warnings = lines.filter((l) => String(l.msg).startsWith('ledger: skipping'));
    expect(warnings.map((w) => w.ref).sort()).toEqual([
      'refs/codex-monitor/junk',
      'refs/codex-monitor/owners/x9_2Fa',
      'refs/codex-monitor/tasks/401',
      'refs/codex-monitor/tasks/402',
    ]);
  });

  it('treat a record copied from another issue’s chain as unknown, not as that issue’s state', async () => {
    const { octokit } = await objects();
    const { ledger } = makeLedger(fake);
    await ledger.refresh();
    const won = await ledger.claim(411, 'x9/b', max);
    if (!won.ok) throw new Error(won.detail);
    const done = await ledger.release(won.ticket, 'complete');
    if (!done.ok) throw new Error(done.reason);
    // Someone points #412 at #411's "complete" release: #412 is not done.
    await octokit.git.createRef({ ...p, ref: 'refs/codex-monitor/tasks/412', sha: done.sha });
    const view = await ledger.refresh();
    expect(view.tasks.get(411)?.state).toBe('done');
    expect(view.tasks.get(412)).toMatchObject({ record: null, state: 'held' });
  });
});
