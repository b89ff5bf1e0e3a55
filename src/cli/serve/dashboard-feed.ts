/**
 * What the dashboard reads, opened once per process: the fleet reader on GitHub and the one
 * metrics registry of the process. `run --serve` opens it BEFORE the board, so the board's
 * client and ledger report to the same registry the dashboard exports (boardObservers);
 * `serve` alone exports what its own reader does. The reader's requests are counted too: they
 * spend the same token's budget.
 */
import type { Config } from '../../config/config.js';
import type { Clock } from '../../core/clock.js';
import type { Logger } from '../../core/logger.js';
import { createMetrics, localSources, type Metrics } from '../../observe/metrics/index.js';
import type { SharedState } from '../../state/shared-state.js';
import { githubIssuesRepository } from '../open/board-kind.js';
import { openFleetAccess } from '../open/open-fleet.js';
import { fleetMetricsSources, recordedFleet } from './fleet-metrics.js';
import type { SourcesOptions } from './serve-sources.js';

export interface DashboardFeed {
  /** null on the local board. */
  github: SourcesOptions['github'];
  metrics: Metrics;
}

export async function openDashboardFeed(
  config: Config,
  store: SharedState,
  deps: { clock: Clock; logger: Logger },
): Promise<DashboardFeed> {
  const repo = githubIssuesRepository(config);
  if (!repo) return { github: null, metrics: createMetrics(localSources(store)) };
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
  return { github: { repository: `${repo.owner}/${repo.repo}`, read: fleet.read, history }, metrics };
}

/** The board's observers feeding `metrics` (openBoard's `observe`). */
export function boardObservers(metrics: Metrics) {
  return {
    onResponse: (info: Parameters<Metrics['githubResponse']>[0]) => metrics.githubResponse(info),
    onLimit: (info: { kind: string }) => metrics.rateLimitWait(info.kind),
    onCasConflict: () => metrics.casConflict(),
  };
}
