/**
 * Workstations that deliver issues as pull requests (real daemons, real git, the fake's bare
 * repository): each has its own clone of the repository and its own state directory, and
 * runs the scripted agent (examples/scripted-agent.mjs) in its worktrees.
 */
import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { Octokit } from '@octokit/rest';
import { type DaemonProcess, startCli } from './daemons.js';
import { githubEnv } from './github-daemons.js';
import { type FakeGitHub, startFakeGitHub } from './github-fake/index.js';

export const SCRIPTED_AGENT = new URL('../../examples/scripted-agent.mjs', import.meta.url).pathname;

/** A fake with a real bare repository for `acme/widgets` under `gitRoot`, and no pacing limits. */
export function startPullFake(gitRoot: string): Promise<FakeGitHub> {
  return startFakeGitHub({ gitRoot, secondaryPerMinute: 100_000, secondaryPerHour: 100_000 });
}

export const git = (cwd: string, args: string[]) =>
  execFileSync('git', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();

export interface Workstation {
  /** The user's clone of the repository (CODEX_MONITOR_REPO_DIR). */
  clone: string;
  stateDir: string;
  env: Record<string, string>;
  /** Starts `codex-monitor run --owner ws<n>/codex <args>` on this workstation. */
  start(args?: string[]): DaemonProcess;
}

/** A workstation in `dir`: a fresh clone of the fake's bare repository and a state directory. */
export function workstation(
  fake: FakeGitHub,
  dir: string,
  n: number,
  extra: Record<string, string> = {},
): Workstation {
  const remote = fake.gitRemote('acme', 'widgets');
  const clone = join(dir, 'clone');
  mkdirSync(clone);
  git(dir, ['clone', '--quiet', remote, clone]);
  const stateDir = join(dir, 'state');
  const env = githubEnv(fake, stateDir, join(dir, 'markers.jsonl'), {
    EXECUTOR_COMMAND: `node ${SCRIPTED_AGENT}`,
    WORKSPACE: 'worktree',
    LEDGER_TRANSPORT: 'rest', // these tests read the ledger from the fake's REST refs
    CODEX_MONITOR_REPO_DIR: clone,
    COMMIT_AUTHOR: 'codex-monitor <bot@example.test>',
    HOME: dir,
    ...extra,
  });
  const start = (args = ['--until-idle', '--parallel', '2']) =>
    startCli(['run', '--owner', `ws${n}/codex`, ...args], env);
  return { clone, stateDir, env, start };
}

/** Files a branch changes against main, in the fake's bare repository. */
export const changedFiles = (remote: string, branch: string) =>
  git(remote, ['diff', '--name-only', 'main', branch]).split('\n').filter(Boolean);

/** Makes the bare repository keep a reflog of every ref update: who pushed what, in order. */
export function keepReflog(remote: string): void {
  git(remote, ['config', 'core.logAllRefUpdates', 'always']);
}

/** The new shas a branch was moved to in the bare repository, oldest first (keepReflog). */
export function pushesTo(remote: string, branch: string): string[] {
  const out = execFileSync('git', ['reflog', 'show', '--format=%H', `refs/heads/${branch}`, '--'], {
    cwd: remote,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'ignore'],
  }).trim();
  return out === '' ? [] : out.split('\n').reverse();
}

/** Installs a hook (a shell script) in the bare repository. */
export function installHook(remote: string, name: string, script: string): void {
  const file = join(remote, 'hooks', name);
  writeFileSync(file, `#!/bin/sh\n${script}\n`);
  chmodSync(file, 0o755);
}

/** Adds `label` to an issue as a human would, through the API. */
export async function addLabel(fake: FakeGitHub, issue: number, label: string): Promise<void> {
  const octokit = new Octokit({
    baseUrl: fake.url,
    auth: 'test-token',
    log: { debug() {}, info() {}, warn() {}, error() {} },
  });
  await octokit.rest.issues.addLabels({
    owner: 'acme',
    repo: 'widgets',
    issue_number: issue,
    labels: [label],
  });
}

/** The pull requests of `issue` (by the `Fixes #N` of their body), open or closed. */
export const pullsOf = (fake: FakeGitHub, issue: number) =>
  fake.state.pulls('acme/widgets').filter((p) => new RegExp(`Fixes #${issue}\\b`).test(p.body ?? ''));

/** Pids of the scripted agents started on a workstation (their `agent.pid` files). */
export function agentPids(stateDir: string): number[] {
  if (!existsSync(stateDir)) return [];
  return readdirSync(stateDir, { recursive: true, encoding: 'utf8' })
    .filter((f) => basename(f) === 'agent.pid')
    .map((f) => Number(readFileSync(join(stateDir, f), 'utf8')));
}

/** Ends agents a killed daemon left running (their process groups), if still there. */
export function killAgents(pids: readonly number[]): void {
  for (const pid of pids) {
    try {
      process.kill(-pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
}

/** The attempts' worktrees under a workstation's state directory (names only). */
export function worktreeNames(stateDir: string): string[] {
  const root = join(stateDir, 'worktrees');
  if (!existsSync(root)) return [];
  return readdirSync(root, { withFileTypes: true })
    .filter((e) => e.isDirectory() && !e.name.startsWith('.'))
    .map((e) => e.name);
}
