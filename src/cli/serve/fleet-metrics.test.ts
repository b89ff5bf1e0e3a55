import { describe, expect, it } from 'vitest';
import type { FleetView } from '../../boards/github/fleet/index.js';
import { ManualClock } from '../../core/clock.js';
import { createMetrics } from '../../observe/metrics/index.js';
import { fleetMetricsSources, recordedFleet } from './fleet-metrics.js';

const view = (queued: number) =>
  ({
    summary: { queued, held: 2, blocked: 3, poisoned: 4 },
    owners: [{ id: 'ws1/codex', heartbeat: { bound: 'at-least', ageMs: 2500 } }],
  }) as unknown as FleetView;

describe('recordedFleet', () => {
  it('reuses the last read while younger than maxAgeMs, reads again after, and shares a pending read', async () => {
    const clock = new ManualClock();
    let reads = 0;
    const fleet = recordedFleet(async () => view(++reads), clock, 1_000);
    expect((await fleet.read()).summary.queued).toBe(1); // the dashboard's read, remembered
    expect((await fleet.recent()).summary.queued).toBe(1);
    clock.advance(1_000);
    const [a, b] = await Promise.all([fleet.recent(), fleet.recent()]);
    expect([a.summary.queued, b.summary.queued, reads]).toEqual([2, 2, 2]);
  });
});

describe('fleetMetricsSources', () => {
  it('one fleet read per scrape for the four gauges and the heartbeats', async () => {
    const clock = new ManualClock();
    let reads = 0;
    const fleet = recordedFleet(async () => view(++reads), clock, 0);
    const metrics = createMetrics(fleetMetricsSources(fleet, { query: () => [] }));
    const text = await metrics.registry.metrics();
    expect(reads).toBe(1);
    expect(text).toContain('codex_monitor_queue_tasks 1');
    expect(text).toContain('codex_monitor_running_tasks 2');
    expect(text).toContain('codex_monitor_poisoned_tasks 4');
    expect(text).toContain('codex_monitor_heartbeat_age_seconds{owner="ws1/codex"} 2.5');
  });

  it('an unreadable fleet: task gauges NaN, no heartbeat, and the scrape still answers', async () => {
    const metrics = createMetrics(
      fleetMetricsSources(
        {
          recent: async () => {
            throw new Error('GitHub is down');
          },
        },
        { query: () => [] },
      ),
    );
    metrics.githubResponse({ method: 'GET', route: '/repos/{owner}/{repo}/issues', status: 503 });
    const text = await metrics.registry.metrics();
    // Unknown rather than zero (prom-client writes NaN as `Nan`, which Prometheus parses).
    expect(text).toMatch(/^codex_monitor_poisoned_tasks nan$/im);
    expect(text).not.toContain('codex_monitor_heartbeat_age_seconds{');
    expect(text).toContain('status="503"} 1');
  });
});
