/**
 * `codex-monitor init` on a real terminal (a tmux pane): it asks for what the flags leave
 * out, takes the answers as typed, writes the .env, creates the labels and runs doctor.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { parse } from 'dotenv';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cliCommand } from '../support/cli.js';
import { type FakeGitHub, startFakeGitHub } from '../support/github-fake/index.js';
import { useTempDirs } from '../support/temp-dir.js';

const tempDir = useTempDirs();
const hasTmux = spawnSync('tmux', ['-V']).status === 0;
// A server of our own (its own socket): never the user's sessions.
const SOCKET = `cm-init-test-${process.pid}`;
// The server (and so the pane) inherits this environment: none of the developer's GitHub settings.
const paneEnv = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('GITHUB_')));
const tmux = (...args: string[]) =>
  execFileSync('tmux', ['-L', SOCKET, ...args], { encoding: 'utf8', env: paneEnv });
let fake: FakeGitHub;

beforeAll(async () => {
  fake = await startFakeGitHub({ tokens: [{ token: 'test-token' }] });
});
afterAll(async () => {
  if (hasTmux) spawnSync('tmux', ['-L', SOCKET, 'kill-server']);
  await fake.close();
});

const quote = (s: string) => `'${s.replaceAll("'", "'\\''")}'`;

/** The pane's text once it contains `text` (polled; bounded so a hang fails with the screen). */
async function screenWith(text: string): Promise<string> {
  let screen = '';
  for (let i = 0; i < 300; i++) {
    screen = tmux('capture-pane', '-p', '-J', '-S', '-200', '-t', 'init');
    if (screen.includes(text)) return screen;
    await sleep(100);
  }
  throw new Error(`the terminal never showed ${JSON.stringify(text)}; it shows:\n${screen}`);
}

describe.runIf(hasTmux)('codex-monitor init on a terminal (tmux)', () => {
  it('asks for the board, the repository and the executor, and writes the answers', async () => {
    const dir = tempDir();
    const env = [
      'GITHUB_TOKEN=test-token',
      `GITHUB_API_URL=${fake.url}`,
      'GITHUB_PACE_WRITES=false',
      'LOG_LEVEL=warn',
    ];
    const command = `cd ${quote(dir)} && env ${env.map(quote).join(' ')} ${cliCommand('init')}; echo "EXIT=$?"; sleep 600`;
    tmux('new-session', '-d', '-s', 'init', '-x', '200', '-y', '50', command);
    await screenWith('Board: local');
    tmux('send-keys', '-t', 'init', 'github', 'Enter');
    await screenWith('Repository (owner/name):');
    tmux('send-keys', '-t', 'init', 'acme/widgets', 'Enter');
    await screenWith('[codex]:');
    tmux('send-keys', '-t', 'init', 'Enter'); // the default
    const screen = await screenWith('EXIT=');
    expect(screen).toContain(`Wrote ${join(dir, '.env')}`);
    expect(screen).toMatch(/Created labels codex:claimed/);
    expect(screen).toMatch(/✓ identity: token of test-user/);
    expect(parse(readFileSync(join(dir, '.env')))).toEqual({
      GITHUB_REPOSITORY: 'acme/widgets',
      EXECUTOR: 'codex',
    });
    // Doctor's verdict is the exit code: 1 exactly when a check failed (codex may be missing here).
    expect(screen).toContain(/^✗ /m.test(screen) ? 'EXIT=1' : 'EXIT=0');
  });
});
