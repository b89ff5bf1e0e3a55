/**
 * Opens what `status` needs to read the fleet of a ledger board. On GitHub: a one-shot reader
 * (open-reader.ts: the client with the reader's own persisted ETags, so repeated looks cost
 * 304s, and the ledger transport) and an issue sync of the reader's own; for the dashboard, also
 * one issue's ledger chain on the same client and transport (openFleetAccess). On Jira: the
 * issue search and the git ledger at LEDGER_REMOTE (openJiraFleet). Writes nothing to either.
 */
import type { GitHubClient } from '../../boards/github/http/index.js';
import type { ChainHistory } from '../../boards/github/ledger/index.js';
import type { JiraHistoryReader } from '../../boards/jira/index.js';
import type { FleetView } from '../../boards/ledger/index.js';
import type { Config } from '../../config/config.js';
import type { Clock } from '../../core/clock.js';
import { InputError } from '../../core/errors.js';
import type { Logger } from '../../core/logger.js';
import { currentOwner } from '../../state/open-state.js';
import type { SharedState } from '../../state/shared-state.js';
import { gitCredentialsFor } from './git-credentials.js';
import { openGitHubReader, type ReaderObservers } from './open-reader.js';

/** Reads the fleet once per call (see fleet-read.ts, jira-fleet.ts for the requests each call makes). */
export type FleetReader = (signal?: AbortSignal) => Promise<FleetView>;

/** A ledger board's fleet as `status` and the dashboard read it. */
export interface FleetSource {
  board: 'github' | 'jira';
  /** What the board is: `owner/repo`, or the Jira site (JIRA_BASE_URL). */
  repository: string;
  read: FleetReader;
}

/** The fleet of the configured ledger board: Jira when JIRA_BASE_URL is set, else GitHub; null on the local board. */
export async function openFleetSource(
  config: Config,
  store: SharedState,
  deps: { clock: Clock; logger: Logger },
): Promise<FleetSource | null> {
  if (config.jira !== undefined) {
    const { read } = await openJiraFleet(config, store, deps);
    return { board: 'jira', repository: config.jira.baseUrl, read };
  }
  const repo = config.github.repository;
  if (!repo) return null;
  return {
    board: 'github',
    repository: `${repo.owner}/${repo.repo}`,
    read: await openFleetReader(config, store, deps),
  };
}

/**
 * The fleet reader on Jira: the issue search of JIRA_JQL (a rate limit fails the look at once)
 * and the git ledger at LEDGER_REMOTE, read with the user's own git credentials, no dry-run push;
 * and one issue's chain by key, on the same transport (the dashboard's task page).
 */
export async function openJiraFleet(
  config: Config,
  store: SharedState,
  deps: { clock: Clock; logger: Logger },
): Promise<{ read: FleetReader; history: JiraHistoryReader }> {
  const [{ openJiraFleetReader }, { openLedgerTransport }] = await Promise.all([
    import('../../boards/jira/index.js'),
    import('./open-ledger.js'),
  ]);
  const ledger = await openLedgerTransport(config, {
    logger: deps.logger,
    credentials: gitCredentialsFor(config, undefined),
    readOnly: true,
  });
  if (!ledger.transport) {
    throw new InputError(
      `The Jira fleet is read from the claim ledger in a git repository, but ${ledger.reason}: set LEDGER_REMOTE and LEDGER_TRANSPORT=git (or auto).`,
    );
  }
  return openJiraFleetReader(
    { ...config, jira: config.jira! },
    {
      clock: deps.clock,
      kv: store.kv,
      ledgerTransport: ledger.transport,
      ownerId: currentOwner(config.ownerId).id,
    },
  );
}

/** One issue's ledger chain (one ref read, commits cached by sha) and its title as last listed. */
export type IssueHistoryReader = (
  issue: number,
  signal?: AbortSignal,
) => Promise<{ chain: ChainHistory; title: string | null }>;

export async function openFleetReader(
  config: Config,
  store: SharedState,
  deps: { clock: Clock; logger: Logger },
): Promise<FleetReader> {
  return (await openFleetAccess(config, store, deps)).read;
}

/** The fleet reader and, on the same client and transport, the reader of one issue's history. */
export async function openFleetAccess(
  config: Config,
  store: SharedState,
  /** `observe`: the dashboard's metrics count the reader's requests. */
  deps: { clock: Clock; logger: Logger; observe?: ReaderObservers },
): Promise<{ read: FleetReader; history: IssueHistoryReader }> {
  const { clock, logger } = deps;
  const [{ IssueStore, IssueSync }, { readFleet }, { readChainHistory }] = await Promise.all([
    import('../../boards/github/issues/index.js'),
    import('../../boards/github/fleet/index.js'),
    import('../../boards/github/ledger/index.js'),
  ]);
  const {
    client,
    owner,
    repo,
    transport,
    kv: own,
  } = await openGitHubReader(config, store, {
    clock,
    logger,
    purpose: 'status on GitHub',
    ...(deps.observe ? { observe: deps.observe } : {}),
  });
  const sync = new IssueSync({
    client,
    owner,
    repo,
    cursor: own,
    monotonic: () => clock.monotonic(),
    priorities: config.github.priorityLabels,
    logger,
  });
  const issues = new IssueStore(own, `${owner}/${repo}`);
  const policy = {
    trustedAssociations: config.github.trustedAssociations,
    taskLabels: config.github.taskLabels,
  };
  const history: IssueHistoryReader = async (issue, signal) => ({
    chain: await readChainHistory(transport, issue, signal ? { signal } : {}),
    title: issues.all.get(issue)?.title ?? null,
  });
  const startGate = await readyGateFor(config, client, logger);
  const read: FleetReader = (signal) =>
    readFleet({
      repository: `${owner}/${repo}`,
      transport,
      sync,
      issues,
      kv: store.kv,
      clock,
      staleThresholdMs: config.sharedState.staleThresholdMs,
      policy,
      ownerId: currentOwner(config.ownerId).id,
      ...(signal ? { signal } : {}),
      ...(startGate ? { startGate } : {}),
    });
  return { read, history };
}

/** PROJECT_READY_STATUS's gate, so `status` says which issues wait for their card to reach Ready. */
async function readyGateFor(config: Config, client: GitHubClient, logger: Logger) {
  const project = config.github.project;
  const repository = config.github.repository;
  if (!project?.readyStatus || !repository) return undefined;
  const { ProjectSync, ReadyGate } = await import('../../boards/github/project/index.js');
  const sync = new ProjectSync({ client, ...repository, project, logger });
  return new ReadyGate(sync, project.readyStatus, logger);
}
