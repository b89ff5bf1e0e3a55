/**
 * What the dashboard reads, opened once per process: the fleet reader on GitHub or Jira and the one
 * metrics registry of the process. `run --serve` opens it BEFORE the board, so the board's
 * client and ledger report to the same registry the dashboard exports (boardObservers);
 * `serve` alone exports what its own reader does. The reader's requests are counted too: they
 * spend the same token's budget. On Jira the task gauges and heartbeat ages come from the fleet
 * alike; there is no GitHub budget to count.
 */
import type { Config } from '../../config/config.js';
import type { Clock } from '../../core/clock.js';
import type { Logger } from '../../core/logger.js';
import { createMetrics, localSources, type Metrics } from '../../observe/metrics/index.js';
import type { SharedState } from '../../state/shared-state.js';
import { openFleetAccess, openJiraFleet } from '../open/open-fleet.js';
import { fleetMetricsSources, recordedFleet } from './fleet-metrics.js';
import type { SourcesOptions } from './serve-sources.js';

export interface DashboardFeed {
  /** null on the local board. */
  fleet: SourcesOptions['fleet'];
  metrics: Metrics;
}

export async function openDashboardFeed(
  config: Config,
  store: SharedState,
  deps: { clock: Clock; logger: Logger },
): Promise<DashboardFeed> {
  if (config.jira !== undefined) {
    const { read, history } = await openJiraFleet(config, store, deps);
    const fleet = recordedFleet(read, deps.clock, config.pollIntervalMs);
    const metrics = createMetrics(fleetMetricsSources(fleet, store.events));
    return {
      fleet: { board: 'jira', repository: config.jira.baseUrl, read: fleet.read, keyHistory: history },
      metrics,
    };
  }
  const repo = config.github.repository;
  if (!repo) return { fleet: null, metrics: createMetrics(localSources(store)) };
  // The reader's observers need the registry, and the registry's gauges need the reader: the
  // closures below close the loop (nothing is reported before the reader has been opened).
  let metrics: Metrics | undefined;
  const { read, history } = await openFleetAccess(config, store, {
    ...deps,
    observe: {
      onResponse: (info) => metrics?.githubResponse(info),
      onLimit: (kind) => metrics?.rateLimitWait(kind),
    },
  });
  const fleet = recordedFleet(read, deps.clock, config.pollIntervalMs);
  metrics = createMetrics(fleetMetricsSources(fleet, store.events));
  return {
    fleet: { board: 'github', repository: `${repo.owner}/${repo.repo}`, read: fleet.read, history },
    metrics,
  };
}

/** The board's observers feeding `metrics` (openBoard's `observe`). */
export function boardObservers(metrics: Metrics) {
  return {
    onResponse: (info: Parameters<Metrics['githubResponse']>[0]) => metrics.githubResponse(info),
    onLimit: (info: { kind: string }) => metrics.rateLimitWait(info.kind),
    onCasConflict: () => metrics.casConflict(),
  };
}
