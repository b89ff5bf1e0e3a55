/** Lost responses, permissions, foreign commits, the commit cache, owner collisions and costs. */
import { retry } from '@octokit/plugin-retry';
import { Octokit } from '@octokit/rest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LedgerPermissionError, LedgerUncertainError } from '../../src/boards/github/ledger/index.js';
import { OwnerCollisionError } from '../../src/core/errors.js';
import { MemoryKeyValueStore } from '../../src/state/kv-store.js';
import type { FakeGitHub } from '../support/github-fake/index.js';
import {
  chain,
  count,
  flakyOctokit,
  losingOctokit,
  makeLedger,
  octokitFor,
  REPO,
  ROUTES,
  STALE_MS,
  startLedgerFake,
  ticketOf,
} from './ledger-support.js';

let fake: FakeGitHub;
beforeAll(async () => {
  fake = await startLedgerFake({
    tokens: [
      { token: 'test-token' },
      { token: 'read-only', contents: 'read' },
      { token: 'no-git', contents: 'none' },
    ],
  });
});
afterAll(async () => {
  await fake.close();
});

const max = { maxRetries: 3 };

describe('lost responses', () => {
  it('a claim whose ref creation answered 502 still learns it won', async () => {
    const { octokit, arm } = losingOctokit(fake, 'POST', /\/git\/refs$/);
    const { ledger } = makeLedger(fake, { octokit });
    await ledger.refresh();
    fake.resetStats();
    arm();
    const won = ticketOf(await ledger.claim(201, 'f1/a', max));
    expect(fake.stats().lostResponses).toBe(1);
    expect(fake.state.ref(REPO, 'refs/codex-monitor/tasks/201')).toBe(won.sha);
  });

  it('a retry plugin that replays a lost ref creation (and gets 422) does not turn a win into a loss', async () => {
    const Retrying = Octokit.plugin(retry);
    const octokit = new Retrying({
      baseUrl: fake.url,
      auth: 'test-token',
      retry: { retryAfterBaseValue: 1 },
      log: { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} },
    });
    let armed = true;
    octokit.hook.before('request', (options) => {
      if (armed && options.method === 'POST' && String(options.url).endsWith('/git/refs')) {
        armed = false;
        fake.setKnobs({ lostResponseNext: 1 });
      }
    });
    const { ledger } = makeLedger(fake, { octokit });
    await ledger.refresh();
    fake.resetStats();
    const won = ticketOf(await ledger.claim(202, 'f2/a', max));
    expect(count(fake, ROUTES.createRef)).toBe(2); // the original and the plugin's replay (422)
    expect(fake.state.ref(REPO, 'refs/codex-monitor/tasks/202')).toBe(won.sha);
  });

  it('a CAS claim and a release whose answers were lost learn they applied', async () => {
    const { octokit, arm } = losingOctokit(fake, 'PATCH', /\/git\/refs\//);
    const { ledger } = makeLedger(fake, { octokit });
    const first = ticketOf(await ledger.claim(203, 'f3/a', max));
    arm();
    expect(await ledger.release(first, 'abandoned')).toMatchObject({
      ok: true,
      epoch: 2,
      sha: expect.stringMatching(/^[0-9a-f]{40}$/),
    });
    arm();
    const second = ticketOf(await ledger.claim(203, 'f3/a', max));
    arm();
    expect(await ledger.release(second, 'complete')).toMatchObject({
      ok: true,
      epoch: 4,
      sha: expect.stringMatching(/^[0-9a-f]{40}$/),
    });
    expect(fake.stats().lostResponses).toBeGreaterThanOrEqual(3);
    expect(chain(fake, 203).map((r) => r.kind)).toEqual(['release', 'claim', 'release', 'claim']);
  });

  it('a lost response under read lag is confirmed by the idempotent write, not by the lagging read', async () => {
    fake.setKnobs({ readLagMs: 400 });
    try {
      const { octokit, arm } = losingOctokit(fake, 'POST', /\/git\/refs$/);
      const { ledger } = makeLedger(fake, { octokit });
      await ledger.refresh();
      arm();
      const won = ticketOf(await ledger.claim(204, 'f4/a', max));
      expect(fake.state.ref(REPO, 'refs/codex-monitor/tasks/204')).toBe(won.sha);
    } finally {
      fake.setKnobs({ readLagMs: 0 });
    }
  });
});

describe('unknown outcomes', () => {
  it('a claim that landed while every answer was lost is reported uncertain, then recovered', async () => {
    const { octokit, control } = flakyOctokit(fake);
    const { ledger } = makeLedger(fake, { octokit });
    await ledger.init();
    await ledger.refresh();
    control.outage = true;
    await expect(ledger.claim(205, 'f5/a', max)).rejects.toBeInstanceOf(LedgerUncertainError);
    control.outage = false;
    expect(control.landed).toBe(true);
    const view = await ledger.refresh();
    expect(view.tasks.get(205)).toMatchObject({ state: 'held', holder: 'f5/a', mine: true });
    fake.resetStats();
    const recovered = ticketOf(await ledger.claim(205, 'f5/a', max));
    expect(fake.stats().writes).toBe(0); // our own attempt, handed back: nothing written
    expect(recovered.sha).toBe(fake.state.ref(REPO, 'refs/codex-monitor/tasks/205'));
    expect(
      await makeLedger(fake)
        .ledger.refresh()
        .then((v) => v.tasks.get(205)?.mine),
    ).toBe(false);
  });
});

describe('owner heartbeats', () => {
  it('cost two writes a beat, and a lost answer is not mistaken for a collision', async () => {
    const { octokit, arm } = losingOctokit(fake, 'PATCH', /\/git\/refs\//);
    const { ledger } = makeLedger(fake, { octokit });
    await ledger.heartbeat('h1/a', []);
    fake.resetStats();
    await ledger.heartbeat('h1/a', [1, 2, 3]);
    expect(fake.stats()).toMatchObject({ requests: 2, writes: 2 });
    arm();
    await ledger.heartbeat('h1/a', [1, 2, 3]);
    await ledger.heartbeat('h1/a', [1, 2, 3]);
    const tip = fake.state.ref(REPO, 'refs/codex-monitor/owners/h1_2Fa')!;
    expect(fake.state.history(REPO, tip)).toHaveLength(4);
  });

  it('adopt our own write that landed after we gave up on it, instead of reporting a collision', async () => {
    const { octokit, control } = flakyOctokit(fake);
    const { ledger } = makeLedger(fake, { octokit });
    await ledger.heartbeat('h2/a', []);
    control.outage = true;
    await expect(ledger.heartbeat('h2/a', [7])).rejects.toBeInstanceOf(LedgerUncertainError);
    control.outage = false;
    expect(control.landed).toBe(true);
    await ledger.heartbeat('h2/a', [8]); // CAS on the old tip fails; the re-read shows our own commit
    const tip = fake.state.ref(REPO, 'refs/codex-monitor/owners/h2_2Fa')!;
    expect(fake.state.history(REPO, tip)).toHaveLength(3);
  });

  it('share one beat between overlapping calls and report the age of the last landed beat', async () => {
    const { ledger, clock } = makeLedger(fake);
    expect(ledger.sinceLastHeartbeatMs('h4/a')).toBeNull();
    await ledger.heartbeat('h4/a', []);
    clock.advance(300);
    expect(ledger.sinceLastHeartbeatMs('h4/a')).toBe(300);
    fake.resetStats();
    await Promise.all([ledger.heartbeat('h4/a', [1]), ledger.heartbeat('h4/a', [1])]);
    expect(fake.stats().writes).toBe(2);
    expect(ledger.sinceLastHeartbeatMs('h4/a')).toBe(0);
  });

  it('report an owner id collision when another process advanced our owner ref', async () => {
    const one = makeLedger(fake).ledger;
    const two = makeLedger(fake).ledger;
    await one.heartbeat('h3/dup', []);
    await two.heartbeat('h3/dup', []); // a second daemon started with the same id
    const failure = await one.heartbeat('h3/dup', []).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(OwnerCollisionError);
    expect((failure as OwnerCollisionError).code).toBe('OWNER_COLLISION');
    expect((failure as Error).message).toContain('h3/dup');
  });
});

describe('permissions', () => {
  it.each(['read-only', 'no-git'])(
    'init with a %s token fails with a typed error naming "contents: write"',
    async (token) => {
      const { ledger } = makeLedger(fake, { octokit: octokitFor(fake, token) });
      const failure = await ledger.init().catch((e: unknown) => e);
      expect(failure).toBeInstanceOf(LedgerPermissionError);
      expect((failure as LedgerPermissionError).code).toBe('LEDGER_PERMISSION');
      expect((failure as Error).message).toContain('"contents: write"');
    },
  );

  it('init succeeds with a writing token and creates no ref', async () => {
    const { ledger } = makeLedger(fake);
    const before = Object.keys(fake.state.refs(REPO)).length;
    await ledger.init();
    expect(Object.keys(fake.state.refs(REPO))).toHaveLength(before);
  });
});

describe('foreign and malformed commits', () => {
  it('are unknown records: never a crash, claimable by CAS after the stale threshold', async () => {
    const octokit = octokitFor(fake);
    const p = { owner: 'acme', repo: 'widgets' };
    const head = await octokit.git.getRef({ ...p, ref: 'heads/main' });
    const main = await octokit.git.getCommit({ ...p, commit_sha: head.data.object.sha });
    const tree = main.data.tree.sha;
    const foreign = await octokit.git.createCommit({
      ...p,
      message: 'hand-made, no JSON',
      tree,
      parents: [],
    });
    await octokit.git.createRef({ ...p, ref: 'refs/codex-monitor/tasks/301', sha: foreign.data.sha });
    const junk = await octokit.git.createCommit({
      ...p,
      message: 'x\n\n{"kind":"claim",',
      tree,
      parents: [],
    });
    await octokit.git.createRef({ ...p, ref: 'refs/codex-monitor/tasks/302', sha: junk.data.sha });
    await octokit.git.createRef({ ...p, ref: 'refs/codex-monitor/tasks/not-a-number', sha: junk.data.sha });
    await octokit.git.createRef({ ...p, ref: 'refs/codex-monitor/owners/bad.name', sha: junk.data.sha });

    const { ledger, clock } = makeLedger(fake);
    const view = await ledger.refresh();
    expect(view.tasks.get(301)).toMatchObject({ record: null, state: 'held' });
    expect(view.tasks.has(Number.NaN)).toBe(false);
    expect(await ledger.claim(301, 'f9/a', max)).toMatchObject({ ok: false, reason: 'held' });
    clock.advance(STALE_MS);
    await ledger.refresh();
    const won = ticketOf(await ledger.claim(301, 'f9/a', max));
    expect(won).toMatchObject({ epoch: 2, retries: 0 });
    expect(ticketOf(await ledger.claim(302, 'f9/a', max)).epoch).toBe(2);
    expect(chain(fake, 301).map((r) => r.kind ?? 'foreign')).toEqual(['claim', 'foreign']);
  });
});

describe('costs and the commit cache', () => {
  it('claim and release are two writes each; a second refresh with no changes reads no commit', async () => {
    const commits = new MemoryKeyValueStore();
    const { ledger } = makeLedger(fake, { commits });
    await ledger.init(); // looks the tree up once
    await ledger.refresh();
    fake.resetStats();
    const t = ticketOf(await ledger.claim(401, 'c1/a', max));
    expect(fake.stats()).toMatchObject({ requests: 2, writes: 2 });
    fake.resetStats();
    await ledger.release(t, 'complete');
    expect(fake.stats()).toMatchObject({ requests: 2, writes: 2 });

    const reader = makeLedger(fake, { commits: new MemoryKeyValueStore() }).ledger;
    fake.resetStats();
    const view = await reader.refresh();
    expect(count(fake, ROUTES.listRefs)).toBe(1);
    const tipsRead = count(fake, ROUTES.getCommit);
    expect(tipsRead).toBe([...view.tasks.values()].length);
    fake.resetStats();
    await reader.refresh();
    expect(count(fake, ROUTES.getCommit)).toBe(0);
    expect(fake.stats().requests).toBe(1);
    // The cache is the KeyValueStore: a new process sharing it reads no commit either.
    const restarted = makeLedger(fake, { commits }).ledger;
    await ledger.refresh(); // fills `commits` with every tip
    fake.resetStats();
    await restarted.refresh();
    expect(count(fake, ROUTES.getCommit)).toBe(0);
  });
});
