import { join } from 'node:path';
import { type DaemonProcess, fastEnv, MARKER, startCli } from './daemons.js';
import { gitChain } from './git-server/index.js';
import type { FakeGitHub, SeedIssue } from './github-fake/index.js';

export const REPOSITORY = 'acme/widgets';

/** Issues written by the repository's owner (trusted), numbered from 1. */
export function ownerIssues(
  count: number,
  extra: (n: number) => Partial<SeedIssue> = () => ({}),
): SeedIssue[] {
  return Array.from({ length: count }, (_, i) => ({
    title: `Task ${i + 1}`,
    body: `Do thing ${i + 1}.`,
    authorAssociation: 'OWNER',
    ...extra(i + 1),
  }));
}

/** Seeds `acme/widgets` with `issues` on a running fake. */
export function seedIssues(fake: FakeGitHub, issues: SeedIssue[]): void {
  fake.seed({ repos: [{ owner: 'acme', name: 'widgets', issues }] });
}

/** Settings for a daemon on the GitHub board against the fake: fast, unpaced, marker executor. */
export function githubEnv(
  fake: FakeGitHub,
  stateDir: string,
  markerFile: string,
  extra: Record<string, string> = {},
): Record<string, string> {
  return fastEnv(stateDir, {
    GITHUB_REPOSITORY: REPOSITORY,
    GITHUB_TOKEN: 'test-token',
    GITHUB_API_URL: fake.url,
    GITHUB_PACE_WRITES: 'false',
    POLL_INTERVAL_MS: '200',
    SHARED_STATE_HEARTBEAT_INTERVAL_MS: '300',
    SHARED_STATE_STALE_THRESHOLD_MS: '3000',
    TASK_CLAIM_OWNER_STALE_TTL_MS: '3000',
    EXECUTOR: 'shell',
    EXECUTOR_COMMAND: `node ${MARKER} ${markerFile} 30`,
    LOG_LEVEL: 'info',
    ...extra,
  });
}

/** Starts `count` daemons, each with its own state directory: separate workstations. */
export function startGitHubDaemons(
  fake: FakeGitHub,
  dirs: () => string,
  markerFile: string,
  count: number,
  args: string[] = ['--until-idle', '--parallel', '3'],
  extra: Record<string, string> = {},
): DaemonProcess[] {
  return Array.from({ length: count }, (_, i) =>
    startCli(
      ['run', '--owner', `ws${i + 1}/codex`, ...args],
      githubEnv(fake, join(dirs(), 'state'), markerFile, extra),
    ),
  );
}

/** Structured log lines (pino JSON) a daemon wrote. */
export function logLines(daemon: DaemonProcess): Record<string, unknown>[] {
  return daemon
    .output()
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l) as Record<string, unknown>);
}

/** One record of a ledger chain as the fake holds it (`foreign` for a commit without JSON). */
export type LedgerRecord = { kind: string; owner: string; epoch: number; outcome?: string } & Record<
  string,
  unknown
>;

/** An issue's ledger chain in the fake, oldest record first (empty when it has none). */
export function ledgerChain(fake: FakeGitHub, issue: number): LedgerRecord[] {
  const ref = `refs/codex-monitor/tasks/${issue}`;
  const tip = fake.state.ref(REPOSITORY, ref);
  if (!tip) return gitLedgerChain(fake, ref);
  return fake.state
    .history(REPOSITORY, tip)
    .map((c): LedgerRecord => {
      try {
        return JSON.parse(c.message.slice(c.message.indexOf('\n\n') + 2)) as LedgerRecord;
      } catch {
        return { kind: 'foreign', owner: '', epoch: 0 };
      }
    })
    .reverse();
}

/**
 * A chain the git transport wrote: in the fake's bare repository (the fake's REST refs and its
 * bare repositories are separate stores; on GitHub they are one).
 */
function gitLedgerChain(fake: FakeGitHub, ref: string): LedgerRecord[] {
  let bare: string;
  try {
    bare = fake.gitRemote('acme', 'widgets').replace(/^file:\/\//, '');
  } catch {
    return []; // a fake without bare repositories: no git ledger
  }
  return gitChain(bare, ref)
    .map(
      (c): LedgerRecord =>
        'foreign' in c ? { kind: 'foreign', owner: '', epoch: 0 } : (c as unknown as LedgerRecord),
    )
    .reverse();
}
