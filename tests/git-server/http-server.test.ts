/**
 * The smart-HTTP server in front of `git http-backend`: real git clones, fetches, lists and
 * pushes through it (protocol v2 and gzip'd bodies included), and its knobs do what they say.
 */

import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { describe, expect, it } from 'vitest';
import { commitObject, gitSync, leasePush, runGit } from '../support/git-server/index.js';
import { useTempDirs } from '../support/temp-dir.js';
import { refOf, useRemotes } from './remotes.js';

const basic = (token: string) => Buffer.from(`x-access-token:${token}`).toString('base64');

describe('git smart-HTTP test server', () => {
  const open = useRemotes();
  const tempDir = useTempDirs();

  it('serves clone, fetch, ls-remote and push to real git', async () => {
    const { url, bare, client, server } = await open('http');
    const first = commitObject(client, 'first');
    expect((await runGit(['push', '--quiet', url, `${first}:refs/heads/main`], { cwd: client })).code).toBe(
      0,
    );
    const clone = join(tempDir(), 'clone');
    expect((await runGit(['clone', '--quiet', url, clone], { cwd: client })).code).toBe(0);
    expect(gitSync(clone, ['rev-parse', 'HEAD'])).toBe(first);

    const second = commitObject(client, 'second', [first]);
    expect((await runGit(['push', '--quiet', url, `${second}:refs/heads/main`], { cwd: client })).code).toBe(
      0,
    );
    expect((await runGit(['fetch', '--quiet', 'origin'], { cwd: clone })).code).toBe(0);
    expect(gitSync(clone, ['rev-parse', 'origin/main'])).toBe(second);
    const listed = await runGit(['ls-remote', url], { cwd: client });
    expect(listed.stdout).toContain(`${second}\trefs/heads/main`);
    expect(refOf(bare, 'refs/heads/main')).toBe(second);

    const stats = server!.stats();
    expect(stats.advertisements['git-receive-pack']).toBe(2);
    expect(stats.rpcs['git-receive-pack']).toBe(2);
    expect(stats.rpcs['git-upload-pack']).toBeGreaterThanOrEqual(3); // clone, fetch, ls-remote
    expect(stats.protocolV2).toBeGreaterThan(0); // git 2.26+ asks for v2 by default
    expect(stats.commands.fetch).toBe(2); // clone and fetch moved objects with v2 `fetch`
  });

  it('speaks protocol v2: fetch filters by ref-prefix, ls-remote patterns are matched by the client', async () => {
    const { url, client, server } = await open('http');
    const sha = commitObject(client, 'record');
    const refs = [
      'refs/heads/main',
      'refs/heads/refs/codex-monitor/tasks/1',
      'refs/codex-monitor/owners/ws-a',
      'refs/codex-monitor/tasks/1',
    ];
    const push = await runGit(['push', '--quiet', url, ...refs.map((r) => `${sha}:${r}`)], { cwd: client });
    expect(push.code).toBe(0);
    server!.resetStats();

    const v2 = ['-c', 'protocol.version=2'];
    const star = await runGit([...v2, 'ls-remote', url, 'refs/codex-monitor/*'], { cwd: client });
    // The pattern matches the tail of a name: a branch named `refs/codex-monitor/…` (anyone
    // who can push a branch can make one) is listed too. Readers must check the full prefix.
    expect(star.stdout.trim().split('\n').sort()).toEqual([
      `${sha}\trefs/codex-monitor/owners/ws-a`,
      `${sha}\trefs/codex-monitor/tasks/1`,
      `${sha}\trefs/heads/refs/codex-monitor/tasks/1`,
    ]);
    // A pattern is matched against the tail of each ref name: without the `*` nothing matches.
    const bare = await runGit([...v2, 'ls-remote', url, 'refs/codex-monitor/'], { cwd: client });
    expect(bare).toMatchObject({ code: 0, stdout: '' });
    // ls-remote sent no ref-prefix: the server advertised every ref both times.
    expect(server!.stats().lsRefsPrefixes).toEqual([[], []]);

    server!.resetStats();
    const cache = join(tempDir(), 'cache.git');
    gitSync(client, ['init', '--quiet', '--bare', cache]);
    const spec = '+refs/codex-monitor/*:refs/codex-monitor/*';
    expect((await runGit([...v2, 'fetch', '--quiet', '--no-tags', url, spec], { cwd: cache })).code).toBe(0);
    expect(gitSync(cache, ['for-each-ref', '--format=%(refname)']).split('\n')).toEqual(refs.slice(2));
    expect(server!.stats().lsRefsPrefixes).toEqual([['refs/codex-monitor/']]);
  });

  it("accepts gzip'd request bodies", async () => {
    const { url, client, server } = await open('http');
    // Enough wants that git compresses its fetch request (over 1 KiB).
    const shas = Array.from({ length: 40 }, (_, i) => commitObject(client, `task ${i}`));
    const pushed = await runGit(
      ['push', '--quiet', url, ...shas.map((s, i) => `${s}:refs/codex-monitor/tasks/${i}`)],
      {
        cwd: client,
      },
    );
    expect(pushed.code).toBe(0);
    const cache = join(tempDir(), 'cache.git');
    gitSync(client, ['init', '--quiet', '--bare', cache]);
    const fetched = await runGit(['fetch', '--quiet', url, '+refs/codex-monitor/*:refs/codex-monitor/*'], {
      cwd: cache,
    });
    expect(fetched.code).toBe(0);
    expect(server!.stats().gzipBodies).toBeGreaterThan(0);
    expect(gitSync(cache, ['rev-parse', 'refs/codex-monitor/tasks/39'])).toBe(shas[39]);
  });

  it('failNext answers 502 without reaching git, then serves again', async () => {
    const { url, client, server } = await open('http');
    const sha = commitObject(client, 'claim');
    server!.setKnobs({ failNext: 1 });
    const refused = await leasePush(client, url, { ref: 'refs/codex-monitor/tasks/1', expected: '', sha });
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toContain('502');
    expect(server!.stats().failed).toBe(1);
    const accepted = await leasePush(client, url, { ref: 'refs/codex-monitor/tasks/1', expected: '', sha });
    expect(accepted.code).toBe(0);
  });

  it('adds latencyMs before every response', async () => {
    const { url, client, server } = await open('http', { latencyMs: 120 });
    const started = performance.now();
    expect((await runGit(['ls-remote', url], { cwd: client })).code).toBe(0);
    const elapsed = performance.now() - started;
    const { requests } = server!.stats();
    expect(requests).toBe(2); // v2: capabilities (GET), then ls-refs (POST), one after the other
    // A lower bound only (a slow machine is slower, never faster); 1 ms per timer of slack.
    expect(elapsed).toBeGreaterThanOrEqual(requests * 119);

    server!.setKnobs({ latencyMs: 0 });
    expect(() => server!.setKnobs({ latencyMs: -1 })).toThrow(/latencyMs/);
  });

  it('with tokens: a read token fetches, only a write token pushes, no token is asked for one', async () => {
    const { url, bare, client, server } = await open('http', {
      tokens: { read: ['r-tok'], write: ['w-tok'] },
    });
    const sha = commitObject(client, 'claim');
    // Test tokens only; the product never puts a credential on a command line.
    const as = (token: string) => ['-c', `http.extraHeader=Authorization: Basic ${basic(token)}`];
    const push = (token: string) =>
      runGit([...as(token), 'push', url, `${sha}:refs/heads/main`], { cwd: client });
    expect((await push('r-tok')).stderr).toContain('403');
    expect((await runGit(['ls-remote', url], { cwd: client })).stderr).toMatch(/could not read Username/);
    expect((await push('w-tok')).code).toBe(0);
    expect((await runGit([...as('r-tok'), 'ls-remote', url], { cwd: client })).stdout).toContain(sha);
    expect(refOf(bare, 'refs/heads/main')).toBe(sha);
    expect(new Set(server!.stats().tokensSeen)).toEqual(new Set(['r-tok', 'w-tok']));
  });

  it('names the repository and the root when asked for a URL outside it', async () => {
    const { server } = await open('http');
    expect(() => server!.url('../elsewhere.git')).toThrow(/"\.\.\/elsewhere\.git" is not inside its root/);
  });
});
