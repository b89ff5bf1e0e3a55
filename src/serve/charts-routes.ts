/**
 * GET /charts (the page) and GET /api/charts (the same numbers as JSON), mounted by the server
 * when the CLI gives a charts source. `?hours=` chooses the window (1–168, default 24).
 */
import type { Hono } from 'hono';
import type { EventLog } from '../state/event-log.js';
import {
  type ChartData,
  type ChartWindow,
  chartWindow,
  type GitHubBudget,
  hourBuckets,
  readWindowEvents,
} from './chart-data.js';
import { chartsPage } from './charts-page.js';
import type { QueueSamples } from './queue-samples.js';

export type { ChartData, GitHubBudget };

export interface ChartsSource {
  /** The workstation's event log. */
  events: Pick<EventLog, 'query'>;
  now(): number;
  /** On GitHub only: the client's counters. Absent on the local board: no GitHub charts at all. */
  github?: () => Promise<GitHubBudget>;
}

export async function readCharts(
  source: ChartsSource,
  samples: QueueSamples,
  window: ChartWindow,
): Promise<ChartData> {
  return {
    window,
    hours: hourBuckets(readWindowEvents(source.events, window), window),
    queueDepth: samples.since(window.from),
    github: source.github ? await source.github() : null,
  };
}

/**
 * Mounts the two routes. `status` renders the status document, whose queue a view samples
 * (the live stream samples the documents it sends: see queue-samples.ts).
 */
export function mountCharts(
  app: Hono,
  source: ChartsSource,
  samples: QueueSamples,
  status: () => Promise<unknown>,
): void {
  const read = async (hours: string | undefined) => {
    const window = chartWindow(hours, source.now()); // a bad ?hours= is a 400 before any work
    samples.record(source.now(), await status());
    return readCharts(source, samples, window);
  };
  app.get('/api/charts', async (c) => c.json(await read(c.req.query('hours'))));
  app.get('/charts', async (c) => c.html(chartsPage(await read(c.req.query('hours')))));
}
