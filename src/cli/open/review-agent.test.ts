import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { useTempDirs } from '../../../tests/support/temp-dir.js';
import type { ReviewTicket } from '../../boards/github/ledger/index.js';
import { ShellExecutor } from '../../executors/index.js';
import { reviewAgent } from './review-agent.js';

const tempDir = useTempDirs();
const SCRIPT = new URL('../../../tests/fixtures/scripted-reviewer.mjs', import.meta.url).pathname;
const ticket: ReviewTicket = {
  pr: 7,
  issue: 3,
  owner: 'ws2/review',
  author: 'ws1/codex',
  attempt: 'a',
  epoch: 2,
  round: 0,
  headSha: 'abc',
  sha: 's',
};

/** The agent over a real ShellExecutor running the scripted reviewer in a prepared "head". */
function agentFor(dir: string, diff: string, args: string[] = []) {
  const head = join(dir, 'head');
  mkdirSync(head, { recursive: true });
  writeFileSync(join(head, 'change.txt'), 'good\n');
  const executor = new ShellExecutor({
    allowlist: ['node'],
    defaultTimeoutMs: 20_000,
    killGraceMs: 300,
    workspacesRoot: join(dir, 'workspaces'),
  });
  return reviewAgent({
    executor,
    payloadFor: (promptFile) => ({ kind: 'shell', cmd: ['node', SCRIPT, ...args], stdinFile: promptFile }),
    root: join(dir, 'reviews'),
    workspace: async () => ({ dir: head, diff }),
    describe: async () => ({
      pr: { number: 7, title: 'Change', url: 'https://x/pull/7', body: 'I changed it', base: 'main' },
      issue: { number: 3, title: 'Needs a change', body: 'Please.' },
    }),
    signal: new AbortController().signal,
  });
}

describe('the reviewing agent (a real process)', () => {
  it('runs in the PR head with the prompt and the diff, and its review.json is the verdict', async () => {
    const dir = tempDir();
    expect(await agentFor(dir, '+good\n')(ticket)).toEqual({ verdict: 'approve', body: 'ok' });
    expect(await agentFor(dir, '+bad\n')({ ...ticket, epoch: 3 })).toEqual({
      verdict: 'request-changes',
      body: 'saw PR 7: change.txt must say good',
    });
  });

  it('a failed run is an error, not a verdict', async () => {
    const dir = tempDir();
    await expect(agentFor(dir, '+good\n', ['crash'])(ticket)).rejects.toThrow(/reviewing agent failed/);
  });
});
