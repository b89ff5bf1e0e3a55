/** The codex:* labels against the GitHub fake: idempotent creation, one-write reconciliation. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createGitHubClient } from '../../src/boards/github/http/index.js';
import { CODEX_LABELS, ensureLabels, reconcileLabels } from '../../src/boards/github/mirror/index.js';
import { silentLogger } from '../../src/core/logger.js';
import { MemoryKeyValueStore } from '../../src/state/kv-store.js';
import { type FakeGitHub, startFakeGitHub } from '../support/github-fake/index.js';

let fake: FakeGitHub;
const client = () =>
  createGitHubClient({
    baseUrl: fake.url,
    token: 'test-token',
    etags: new MemoryKeyValueStore(),
    logger: silentLogger(),
    pacing: false,
    waitUnitMs: 1,
  });

beforeAll(async () => {
  fake = await startFakeGitHub({
    seed: {
      repos: [
        { owner: 'acme', name: 'fresh' },
        { owner: 'acme', name: 'race' },
        { owner: 'acme', name: 'partial', labels: [{ name: 'CODEX:IGNORE', color: '123456' }] },
        {
          owner: 'acme',
          name: 'board',
          issues: [{ number: 1, title: 'one', labels: ['bug', 'codex:retry', 'codex:claimed'] }],
        },
      ],
    },
  });
});
afterAll(async () => {
  await fake.close();
});

const names = (repo: string) => fake.state.labels(`acme/${repo}`).map((l) => l.name);
const issueLabels = (repo: string, n: number) => fake.state.issue(`acme/${repo}`, n)!.labels;

describe('ensureLabels', () => {
  it('creates the seven labels once; a second run makes no write', async () => {
    const gh = client();
    const created = await ensureLabels(gh, 'acme', 'fresh');
    expect(created.sort()).toEqual(CODEX_LABELS.map((l) => l.name).sort());
    const done = fake.state.labels('acme/fresh').find((l) => l.name === 'codex:done')!;
    expect(done.color).toBe('0e8a16');
    expect(done.description).toContain('finished');

    fake.resetStats();
    expect(await ensureLabels(gh, 'acme', 'fresh')).toEqual([]);
    expect(fake.stats().writes).toBe(0);
  });

  it('treats an existing label (any case) as present', async () => {
    const created = await ensureLabels(client(), 'acme', 'partial');
    expect(created).not.toContain('codex:ignore');
    expect(names('partial').filter((n) => n.toLowerCase() === 'codex:ignore')).toEqual(['CODEX:IGNORE']);
  });

  it('survives a race with another daemon: already_exists counts as success', async () => {
    // Both list before either creates, so the loser meets 422 already_exists on every label.
    const results = await Promise.all([
      ensureLabels(client(), 'acme', 'race'),
      ensureLabels(client(), 'acme', 'race'),
    ]);
    expect(results.flat().sort()).toEqual(CODEX_LABELS.map((l) => l.name).sort());
    expect(names('race').filter((n) => n.startsWith('codex:'))).toHaveLength(CODEX_LABELS.length);
  });
});

describe('reconcileLabels', () => {
  it('moves through the lifecycle with at most one write each, keeping human labels', async () => {
    const gh = client();
    const step = async (desired: Parameters<typeof reconcileLabels>[5]) => {
      fake.resetStats();
      const writes = await reconcileLabels(gh, 'acme', 'board', 1, issueLabels('board', 1), desired);
      expect(fake.stats().writes).toBe(writes);
      return writes;
    };
    expect(await step('working')).toBe(1);
    expect(issueLabels('board', 1).sort()).toEqual(['bug', 'codex:retry', 'codex:working']);
    expect(await step('working')).toBe(0);
    expect(fake.stats().requests).toBe(0);
    expect(await step('done')).toBe(1);
    expect(issueLabels('board', 1).sort()).toEqual(['bug', 'codex:done', 'codex:retry']);
    expect(await step(null)).toBe(1);
    expect(issueLabels('board', 1).sort()).toEqual(['bug', 'codex:retry']);
    expect(await step('claimed')).toBe(1);
    expect(issueLabels('board', 1).sort()).toEqual(['bug', 'codex:claimed', 'codex:retry']);
  });

  it("keeps a human's codex:ignore added after the caller's snapshot", async () => {
    const gh = client();
    const stale = issueLabels('board', 1); // [bug, codex:retry, codex:claimed]
    await gh.rest.issues.addLabels({
      owner: 'acme',
      repo: 'board',
      issue_number: 1,
      labels: ['codex:ignore'],
    });
    fake.resetStats();
    expect(await reconcileLabels(gh, 'acme', 'board', 1, stale, 'working')).toBe(1);
    expect(fake.stats().writes).toBe(1);
    expect(issueLabels('board', 1).sort()).toEqual(['bug', 'codex:ignore', 'codex:retry', 'codex:working']);
  });
});
