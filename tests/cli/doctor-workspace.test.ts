/**
 * `doctor` with WORKSPACE=worktree: the repository clone and push access, against the fake's
 * real bare repository (a local path, and behind a git smart-HTTP server that wants a token).
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.js';
import { githubEnv, ownerIssues, seedIssues } from '../support/github-daemons.js';
import { type FakeGitHub, startFakeGitHub } from '../support/github-fake/index.js';
import { useTempDirs } from '../support/temp-dir.js';
import { type GitHttpServer, startGitHttpServer } from '../workspaces/git-http-server.js';

const tempDir = useTempDirs();
let fake: FakeGitHub;
let gitRoot: string;
let http: GitHttpServer;

beforeAll(async () => {
  // Lives for the whole file (tempDir's are removed after each test).
  gitRoot = mkdtempSync(join(tmpdir(), 'codex-monitor-test-'));
  fake = await startFakeGitHub({ gitRoot, tokens: [{ token: 'test-token' }, { token: 'reader' }] });
  seedIssues(fake, ownerIssues(1));
  http = await startGitHttpServer(gitRoot, { read: ['reader'], write: ['test-token'] });
});
afterAll(async () => {
  await http.close();
  await fake.close();
  rmSync(gitRoot, { recursive: true, force: true });
});

const git = (cwd: string, args: string[]) =>
  execFileSync('git', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();

type Check = { name: string; ok: boolean; detail: string };

/** A clone of the fake's repository (origin: `url`, default the bare repository's path), and doctor's checks there. */
async function doctor(options: { url?: string; repoDir?: string; env?: Record<string, string> } = {}) {
  const dir = tempDir();
  const clone = join(dir, 'clone');
  mkdirSync(clone);
  git(dir, ['clone', '--quiet', fake.gitRemote('acme', 'widgets'), clone]);
  if (options.url) git(clone, ['remote', 'set-url', 'origin', options.url]);
  const env = githubEnv(fake, join(dir, 'state'), join(dir, 'm.jsonl'), {
    WORKSPACE: 'worktree',
    CODEX_MONITOR_REPO_DIR: options.repoDir ?? clone,
    HOME: dir,
    GIT_CONFIG_NOSYSTEM: '1',
    ...options.env,
  });
  const result = await runCli(['doctor', '--json'], { env });
  const checks = JSON.parse(result.stdout) as Check[];
  const find = (prefix: string) => checks.find((c) => c.name.startsWith(prefix));
  return { result, checks, clone: find('repository clone'), push: find('push access') };
}

const probeRefs = () =>
  git(fake.gitRemote('acme', 'widgets'), ['for-each-ref', '--format=%(refname)', 'refs/codex-monitor/']);

describe('doctor with WORKSPACE=worktree', () => {
  it('passes with a clone of GITHUB_REPOSITORY that may push, and leaves no probe ref behind', async () => {
    const { result, clone, push } = await doctor();
    expect(result.code, result.stdout + result.stderr).toBe(0);
    expect(clone).toMatchObject({ ok: true, detail: expect.stringContaining('a clone of acme/widgets') });
    expect(push).toMatchObject({
      name: 'push access (origin, your git credentials)',
      ok: true,
      detail: expect.stringMatching(/pushed and deleted a probe ref .* with your own git credentials/),
    });
    expect(probeRefs()).toBe('');
  });

  it('names a clone of another repository, and what to do, without probing the push', async () => {
    const other = join(tempDir(), 'remote', 'someone', 'elsewhere.git');
    const { result, clone, push } = await doctor({ url: other });
    expect(result.code).toBe(1);
    expect(clone!.ok).toBe(false);
    expect(clone!.detail).toContain(`is ${other}, a clone of someone/elsewhere, not acme/widgets`);
    expect(clone!.detail).toContain('Point CODEX_MONITOR_REPO_DIR at a clone of the configured repository');
    expect(push).toBeUndefined();
  });

  it('names a repository directory that is not a git repository', async () => {
    const dir = tempDir();
    const { result, clone } = await doctor({ repoDir: dir });
    expect(result.code).toBe(1);
    expect(clone!.detail).toContain(`${dir} is not a git repository`);
  });

  it('GIT_PUSH_WITH_TOKEN: pushes with the token through askpass; a token without push access is a finding with the fix', async () => {
    const url = `${http.url}/${relative(gitRoot, fake.gitRemote('acme', 'widgets'))}`;
    const seen = http.passwordsSeen.length;
    const good = await doctor({ url, env: { GIT_PUSH_WITH_TOKEN: 'true' } });
    expect(good.result.code, good.result.stdout).toBe(0);
    expect(good.push).toMatchObject({ name: 'push access (origin, token)', ok: true });
    expect(http.passwordsSeen.slice(seen)).toContain('test-token');
    expect(good.result.stdout + good.result.stderr).not.toContain('test-token');

    const reader = await doctor({ url, env: { GIT_PUSH_WITH_TOKEN: 'true', GITHUB_TOKEN: 'reader' } });
    expect(reader.result.code).toBe(1);
    expect(reader.clone!.ok).toBe(true);
    expect(reader.push!.ok).toBe(false);
    expect(reader.push!.detail).toMatch(/cannot push to "origin": .*403/);
    expect(reader.push!.detail).toContain('Give the token push access to acme/widgets (contents: write)');
    expect(reader.result.stdout).not.toContain('reader');
    expect(probeRefs()).toBe('');
  });
});
