/** The reserved /_fake endpoints and the command-line entry point. */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FakeGitHub, startFakeGitHub } from '../support/github-fake/index.js';
import { call, REPO } from './helpers.js';

let fake: FakeGitHub;
beforeAll(async () => {
  fake = await startFakeGitHub();
});
afterAll(async () => {
  await fake.close();
});

describe('/_fake endpoints', () => {
  it('serves statistics by route template without auth and without counting itself', async () => {
    await call(fake.url, 'POST', '/_fake/stats/reset', { token: null });
    await call(fake.url, 'GET', `${REPO}/git/ref/heads/main`);
    await call(fake.url, 'PATCH', `${REPO}/git/refs/heads/main`, { body: { sha: '0'.repeat(40) } });
    await call(fake.url, 'GET', '/nowhere');
    const stats = (await call(fake.url, 'GET', '/_fake/stats', { token: null })).body;
    expect(stats.byRoute).toEqual({
      'GET /repos/{owner}/{repo}/git/ref/{ref}': 1,
      'PATCH /repos/{owner}/{repo}/git/refs/{ref}': 1,
      'GET (unmatched)': 1,
    });
    expect(stats).toMatchObject({ requests: 3, writes: 1, byStatus: { 200: 1, 422: 1, 404: 1 } });
    expect(fake.stats()).toEqual(stats);
  });

  it('sets knobs, seeds and dumps state over HTTP', async () => {
    const knobs = await call(fake.url, 'POST', '/_fake/knobs', { token: null, body: { readLagMs: 5 } });
    expect(knobs.body.readLagMs).toBe(5);
    expect(fake.knobs().readLagMs).toBe(5);
    await call(fake.url, 'POST', '/_fake/knobs', { token: null, body: { readLagMs: 0 } });
    const seeded = await call(fake.url, 'POST', '/_fake/seed', {
      token: null,
      body: { repos: [{ owner: 'o', name: 'r', defaultBranch: 'trunk', issues: [{ title: 'seeded' }] }] },
    });
    expect(seeded.status).toBe(204);
    const repo = await call(fake.url, 'GET', '/repos/o/r');
    expect(repo.body.default_branch).toBe('trunk');
    const state = (await call(fake.url, 'GET', '/_fake/state', { token: null })).body;
    const dumped = state.find((r: { full_name: string }) => r.full_name === 'o/r');
    expect(dumped.issues.map((i: { title: string }) => i.title)).toEqual(['seeded']);
    expect(Object.keys(dumped.refs)).toEqual(['refs/heads/trunk']);
    expect((await call(fake.url, 'GET', '/_fake/nothing', { token: null })).status).toBe(404);
  });

  it('resets rate-limit usage', async () => {
    await call(fake.url, 'GET', REPO);
    await call(fake.url, 'POST', '/_fake/limits/reset', { token: null });
    const reply = await call(fake.url, 'GET', REPO);
    expect(reply.headers.get('x-ratelimit-used')).toBe('1');
  });
});

describe('cli', () => {
  it('prints its URL, serves the seed, and exits 0 on SIGTERM', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'fake-gh-'));
    const seedFile = join(dir, 'seed.json');
    await writeFile(
      seedFile,
      JSON.stringify({ repos: [{ owner: 'cli', name: 'repo', issues: [{ title: 'x' }] }] }),
    );
    const child = spawn(
      process.execPath,
      [
        '--import',
        'tsx',
        'tests/support/github-fake/cli.ts',
        '--port',
        '0',
        '--seed',
        seedFile,
        '--token',
        'cli-token',
      ],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    try {
      const [line] = (await once(createInterface({ input: child.stdout! }), 'line')) as [string];
      expect(line).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      const reply = await call(line, 'GET', '/repos/cli/repo/issues/1', { token: 'cli-token' });
      expect(reply.body.title).toBe('x');
      expect((await call(line, 'GET', '/repos/cli/repo', { token: 'test-token' })).status).toBe(401);
    } finally {
      child.kill('SIGTERM');
    }
    const [code] = await once(child, 'exit');
    expect(code).toBe(0);
  });
});
