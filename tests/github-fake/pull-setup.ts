/** A fake with a real bare repository per seeded repository, in a temporary directory of its own. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'vitest';
import {
  type FakeGitHub,
  type FakeGitHubOptions,
  pushBranch,
  startFakeGitHub,
} from '../support/github-fake/index.js';
import { call, REPO } from './helpers.js';

export interface FakeWithGit {
  fake: FakeGitHub;
  /** The directory given as `gitRoot`. */
  root: string;
  /** `acme/widgets`' bare repository. */
  remote: string;
  /** Closes the fake and removes the directory. */
  stop(): Promise<void>;
}

export async function startFakeWithGit(opts: FakeGitHubOptions = {}): Promise<FakeWithGit> {
  const root = mkdtempSync(join(tmpdir(), 'codex-monitor-fake-git-'));
  const fake = await startFakeGitHub({
    secondaryPerMinute: 10_000,
    secondaryPerHour: 10_000,
    ...opts,
    gitRoot: root,
  });
  return {
    fake,
    root,
    remote: fake.gitRemote('acme', 'widgets'),
    stop: async () => {
      await fake.close();
      rmSync(root, { recursive: true, force: true });
    },
  };
}

/** Pushes `branch` with one commit on main and opens its pull request (201 expected). */
export async function openPull(ctx: FakeWithGit, branch: string, extra: Record<string, unknown> = {}) {
  pushBranch(ctx.remote, branch, { [`${branch.replace(/\W/g, '-')}.txt`]: `${branch}\n` });
  const body = { title: branch, head: `acme:${branch}`, base: 'main', ...extra };
  const reply = await call(ctx.fake.url, 'POST', `${REPO}/pulls`, { body });
  expect(reply.status).toBe(201);
  return reply.body;
}

/**
 * Tokens for review tests: `test-token` is test-user (who opens the pull requests), `rev` another
 * user (reviewer-bot), `human` a collaborator (alice).
 */
export const REVIEW_TOKENS = [
  { token: 'test-token' },
  { token: 'rev', login: 'reviewer-bot' },
  { token: 'human', login: 'alice', association: 'COLLABORATOR' as const },
];
