/**
 * GitHub Projects (v2) sync end to end: a daemon process on the fake, its agent gated by files the
 * test creates. The card moves In progress → Done behind the ledger; with PROJECT_READY_STATUS
 * only the card in Ready runs and `status` says why the others wait; a project without a
 * "Blocked" option leaves a poisoned issue's card where it is; an issue delivered as a pull
 * request (worktrees, the scripted agent, the fake's bare repository) goes to In review.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Octokit } from '@octokit/rest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.js';
import { startCli, waitFor } from '../support/daemons.js';
import { githubEnv, ledgerChain, ownerIssues, REPOSITORY } from '../support/github-daemons.js';
import type { FakeGitHub } from '../support/github-fake/index.js';
import { nodeId } from '../support/github-fake/render/render.js';
import { pullsOf, startPullFake, workstation } from '../support/pull-request-fleet.js';
import { useTempDirs } from '../support/temp-dir.js';

const GATE = new URL('../fixtures/gate.mjs', import.meta.url).pathname;
const tempDir = useTempDirs();
let fake: FakeGitHub;
// The fake's bare repositories live for the whole file (useTempDirs removes its dirs after each test).
const gitRoot = mkdtempSync(join(tmpdir(), 'codex-monitor-projects-'));

beforeAll(async () => {
  fake = await startPullFake(gitRoot);
  fake.seed({
    repos: [{ owner: 'acme', name: 'widgets', issues: ownerIssues(4) }],
    projects: [
      {
        owner: 'acme',
        number: 1,
        title: 'Roadmap',
        items: [
          { repo: REPOSITORY, issue: 1, status: 'Ready' },
          { repo: REPOSITORY, issue: 2, status: 'Todo' },
        ],
      },
      {
        owner: 'acme',
        number: 2,
        title: 'No Blocked',
        fields: [{ name: 'Status', options: ['Todo', 'In progress', 'Done'] }],
      },
    ],
  });
});
afterAll(async () => {
  await fake.close();
  rmSync(gitRoot, { recursive: true, force: true });
});

const contentOf = (issue: number) => nodeId('Issue', fake.state.repo(REPOSITORY).issues.get(issue)!.id);
const card = (project: number, issue: number) =>
  fake.state.projects.statusOf('acme', project, contentOf(issue));
const moves = (issue: number) => fake.state.projects.movesOf(contentOf(issue));

describe('GitHub Projects: the card follows the ledger', () => {
  it('moves the card In progress → Done, and with PROJECT_READY_STATUS runs only the card in Ready', async () => {
    const gates = tempDir();
    const env = githubEnv(fake, join(tempDir(), 'state'), join(tempDir(), 'm.jsonl'), {
      EXECUTOR_COMMAND: `node ${GATE} ${gates}`,
      GITHUB_PROJECT: 'https://github.com/orgs/acme/projects/1',
      PROJECT_READY_STATUS: 'Ready',
    });
    const daemon = startCli(['run', '--until-idle', '--owner', 'ws1/codex'], env);
    await waitFor(() => card(1, 1) === 'In progress', 30_000, 'the card of #1 to move to In progress');
    const status = await runCli(['status'], { env });
    expect(status.stdout).toMatch(/#2\s+not in the project's Ready column/);
    expect(status.stdout).toMatch(/#3\s+not in the project's Ready column/);
    writeFileSync(join(gates, '1'), '');
    expect(await daemon.exited, daemon.output().slice(-3000)).toBe(0);
    expect(moves(1)).toEqual(['In progress', 'Done']);
    expect(fake.state.issue(REPOSITORY, 1)!.labels).toEqual(['codex:done']);
    // Not in Ready: never claimed, the card untouched.
    expect(ledgerChain(fake, 2)).toEqual([]);
    expect(card(1, 2)).toBe('Todo');
    expect(card(1, 3)).toBeUndefined();
  });

  it('leaves a poisoned card alone when the project has no "Blocked" option', async () => {
    const gates = tempDir();
    for (const n of [2, 3]) writeFileSync(join(gates, String(n)), ''); // these fail at once
    const env = githubEnv(fake, join(tempDir(), 'state'), join(tempDir(), 'm.jsonl'), {
      EXECUTOR_COMMAND: `node ${GATE} ${gates} 1`,
      GITHUB_PROJECT: '2',
      SHARED_STATE_MAX_RETRIES: '1',
    });
    const daemon = startCli(['run', '--until-idle', '--owner', 'ws1/codex'], env);
    await waitFor(() => card(2, 4) === 'In progress', 30_000, 'the card of #4 to move to In progress');
    writeFileSync(join(gates, '4'), '');
    expect(await daemon.exited, daemon.output().slice(-3000)).toBe(1); // it ended with poisoned work
    expect(ledgerChain(fake, 4).at(-1)!.kind).toBe('poison');
    expect(fake.state.issue(REPOSITORY, 4)!.labels).toEqual(['codex:failed']);
    expect(card(2, 4)).toBe('In progress');
    expect(fake.state.projects.moves.filter((m) => m.contentId === contentOf(4))).toHaveLength(1);
    expect(daemon.output()).toMatch(/the project has no \\"Blocked\\" option/);
  });

  it('moves an issue delivered as a pull request to In review', async () => {
    const octokit = new Octokit({
      baseUrl: fake.url,
      auth: 'test-token',
      log: { debug() {}, info() {}, warn() {}, error() {} },
    });
    const { data } = await octokit.rest.issues.create({
      owner: 'acme',
      repo: 'widgets',
      title: 'Task 5',
      body: 'Do thing 5.',
    });
    const ws = workstation(fake, tempDir(), 1, { GITHUB_PROJECT: '1' });
    const daemon = ws.start(['--until-idle']);
    expect(await daemon.exited, daemon.output().slice(-3000)).toBe(0);
    const pr = pullsOf(fake, data.number)[0]!;
    expect(ledgerChain(fake, data.number).at(-1)).toMatchObject({
      kind: 'release',
      outcome: 'complete',
      pr: pr.number,
    });
    expect(card(1, data.number)).toBe('In review');
    expect(moves(data.number).at(-1)).toBe('In review');
  });
});
