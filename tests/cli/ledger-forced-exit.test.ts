/**
 * A daemon forced to exit (a second signal) while its git ledger waits on a remote that hangs
 * leaves no git behind: git runs in process groups of its own, which an exit alone would leave
 * running until the remote answered (or forever).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startCli } from '../support/daemons.js';
import { createBareRepo, type GitHttpServer, startGitHttpServer } from '../support/git-server/index.js';
import { githubEnv } from '../support/github-daemons.js';
import { type FakeGitHub, startFakeGitHub } from '../support/github-fake/index.js';
import { useTempDirs } from '../support/temp-dir.js';

const tempDir = useTempDirs();
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
let fake: FakeGitHub | undefined;
let server: GitHttpServer | undefined;
afterEach(async () => {
  await server?.close();
  await fake?.close();
});

/** Pids of the processes whose command line mentions `text`. */
function processesMentioning(text: string): number[] {
  return readdirSync('/proc').flatMap((entry) => {
    if (!/^\d+$/.test(entry)) return [];
    try {
      return readFileSync(`/proc/${entry}/cmdline`, 'utf8').includes(text) ? [Number(entry)] : [];
    } catch {
      return [];
    }
  });
}

describe('a forced exit with the git ledger waiting on a remote that hangs', () => {
  it('stops the ledger’s git: no git process is left running', async () => {
    const dir = tempDir();
    fake = await startFakeGitHub();
    createBareRepo(join(dir, 'srv', 'acme', 'widgets.git'));
    server = await startGitHttpServer({ root: join(dir, 'srv'), latencyMs: 120_000 });
    const remote = server.url('acme/widgets.git');
    const daemon = startCli(
      ['run'],
      githubEnv(fake, join(dir, 'state'), join(dir, 'markers.jsonl'), {
        LEDGER_TRANSPORT: 'git',
        LEDGER_REMOTE: remote,
      }),
    );
    // The daemon's first ledger read is a fetch the remote holds for two minutes.
    for (let i = 0; i < 300 && processesMentioning(remote).length === 0; i++) await sleep(100);
    expect(processesMentioning(remote).length, daemon.output()).toBeGreaterThan(0);
    daemon.child.kill('SIGTERM');
    await sleep(300);
    daemon.child.kill('SIGTERM'); // the second signal: kill and exit at once
    expect(await daemon.exited).toBe(130);
    for (let i = 0; i < 50 && processesMentioning(remote).length > 0; i++) await sleep(100);
    expect(processesMentioning(remote)).toEqual([]);
  }, 60_000);
});
