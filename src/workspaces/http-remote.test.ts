/**
 * The token's whole path against a real smart-HTTP remote (git http-backend behind Basic auth,
 * as GitHub takes tokens): push through askpass, refusal without credentials, a read-only token
 * found by the dry-run probe.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { useTempDirs } from '../../tests/support/temp-dir.js';
import { gitFixture } from '../../tests/workspaces/git-fixture.js';
import { type GitHttpServer, startGitHttpServer } from '../../tests/workspaces/git-http-server.js';
import { ManualClock } from '../core/clock.js';
// Through the entry module, as the daemon will use it.
import {
  checkRepository,
  commitAll,
  ensureAskpass,
  gitAuthEnv,
  probePush,
  pushBranch,
  Worktrees,
} from './index.js';

const tempDir = useTempDirs();
const WRITE_TOKEN = 'ghs_writeToken0123456789';
const READ_TOKEN = 'ghs_readToken0123456789';
const servers: GitHttpServer[] = [];
afterEach(async () => {
  for (const server of servers.splice(0)) await server.close();
});

async function httpClone() {
  const repo = gitFixture(tempDir());
  const server = await startGitHttpServer(join(repo.dir, 'remote'), {
    read: [READ_TOKEN],
    write: [WRITE_TOKEN],
  });
  servers.push(server);
  repo.git(['remote', 'set-url', 'origin', `${server.url}/acme/widgets.git`]);
  const askpass = ensureAskpass(join(repo.dir, 'state'));
  writeFileSync(join(repo.clone, 'change.txt'), 'change\n');
  await commitAll(repo.clone, { message: 'change', env: repo.env });
  return { repo, server, askpass };
}

describe('a token over https, through askpass', () => {
  it('pushes with the token from the environment', async () => {
    const { repo, server, askpass } = await httpClone();
    const env = { ...repo.env, ...gitAuthEnv(WRITE_TOKEN, askpass) };
    const result = await pushBranch(repo.clone, {
      remote: 'origin',
      branch: 'codex/1-x',
      expectedRemoteSha: null,
      env,
    });
    expect(result).toEqual({ ok: true, sha: repo.git(['rev-parse', 'HEAD']) });
    expect(repo.git(['rev-parse', 'refs/heads/codex/1-x'], repo.remote)).toBe(
      repo.git(['rev-parse', 'HEAD']),
    );
    expect(server.passwordsSeen).toContain(WRITE_TOKEN);
    expect(await checkRepository({ repoDir: repo.clone, repository: 'acme/widgets', env })).toMatchObject({
      remoteUrl: `${server.url}/acme/widgets.git`,
    });
  });

  it('fails at once without credentials: git never waits for a prompt', async () => {
    const { repo } = await httpClone();
    const result = await pushBranch(repo.clone, {
      remote: 'origin',
      branch: 'codex/1-x',
      expectedRemoteSha: null,
      env: { ...repo.env, ...gitAuthEnv(null, '/unused') },
    });
    expect(result).toMatchObject({ ok: false, reason: 'failed' });
    expect(!result.ok && result.detail).toMatch(/could not read Username|Authentication failed/);
  });

  it('finds a token that may read but not push, by a dry run that writes nothing', async () => {
    const { repo, server, askpass } = await httpClone();
    const refsBefore = repo.git(['for-each-ref'], repo.remote);
    const readOnly = await probePush({
      repoDir: repo.clone,
      env: { ...repo.env, ...gitAuthEnv(READ_TOKEN, askpass) },
    });
    expect(readOnly.ok).toBe(false);
    expect(!readOnly.ok && readOnly.detail).toContain('403');
    const writable = await probePush({
      repoDir: repo.clone,
      env: { ...repo.env, ...gitAuthEnv(WRITE_TOKEN, askpass) },
    });
    expect(writable).toEqual({ ok: true });
    expect(server.passwordsSeen).toEqual(expect.arrayContaining([READ_TOKEN, WRITE_TOKEN]));
    expect(repo.git(['for-each-ref'], repo.remote)).toBe(refsBefore);
  });

  it('fetches a worktree’s base with the token, but no hook of the checkout sees it', async () => {
    const { repo, server, askpass } = await httpClone();
    const seen = join(repo.dir, 'hook-env');
    writeFileSync(join(repo.clone, '.git', 'hooks', 'post-checkout'), `#!/bin/sh\nenv > '${seen}'\n`, {
      mode: 0o755,
    });
    const worktrees = new Worktrees({
      repoDir: repo.clone,
      root: join(repo.dir, 'state', 'worktrees'),
      remote: 'origin',
      baseBranch: 'main',
      freshRetry: false,
      keepFailedMs: 0,
      clock: new ManualClock(),
      owner: { pid: process.pid, pidStart: null },
      env: repo.env,
      credentials: async () => gitAuthEnv(READ_TOKEN, askpass),
    });
    const prepared = await worktrees.prepare({ key: '1', branch: 'codex/1-x', attempt: '1' });
    expect(prepared.baseSha).toBe(repo.git(['rev-parse', 'main'], repo.remote));
    expect(server.passwordsSeen).toContain(READ_TOKEN);
    const hookEnv = readFileSync(seen, 'utf8');
    expect(hookEnv).toContain('GIT_TERMINAL_PROMPT=0'); // the hook ran, under runGit's environment
    expect(hookEnv).not.toContain(READ_TOKEN);
  });
});
