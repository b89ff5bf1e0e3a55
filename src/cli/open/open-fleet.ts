/**
 * Opens what `status` needs to read the fleet on GitHub: a one-shot reader (open-reader.ts:
 * the client with the reader's own persisted ETags, so repeated looks cost 304s, and the ledger
 * transport) and an issue sync of the reader's own; for the dashboard, also one issue's ledger
 * chain on the same client and transport (openFleetAccess). Writes nothing to GitHub.
 */
import type { FleetView } from '../../boards/github/fleet/index.js';
import type { GitHubClient } from '../../boards/github/http/index.js';
import type { ChainHistory } from '../../boards/github/ledger/index.js';
import type { Config } from '../../config/config.js';
import type { Clock } from '../../core/clock.js';
import type { Logger } from '../../core/logger.js';
import { currentOwner } from '../../state/open-state.js';
import type { SharedState } from '../../state/shared-state.js';
import { openGitHubReader, type ReaderObservers } from './open-reader.js';

/** Reads the fleet once per call (see fleet-read.ts for the requests each call makes). */
export type FleetReader = (signal?: AbortSignal) => Promise<FleetView>;

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
