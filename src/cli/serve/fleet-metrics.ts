/**
 * The metrics' task gauges and heartbeat ages on GitHub, from the fleet view (what `status` and
 * the dashboard show), not from this workstation's store, which sees only its own daemons.
 *
 * Cost: a scrape adds no GitHub request when the dashboard read the fleet recently. The fleet
 * reader is wrapped so that every read the dashboard makes is remembered; a scrape takes the
 * remembered view while it is younger than `maxAgeMs` (POLL_INTERVAL_MS: the dashboard re-reads
 * no faster while watched), else it makes one read itself — conditional requests, mostly 304s
 * on an idle fleet — which the dashboard then reuses in turn. Concurrent scrapes share one read.
 */
import type { FleetView } from '../../boards/github/fleet/index.js';
import type { Clock } from '../../core/clock.js';
import type { MetricsSources, TaskCounts } from '../../observe/metrics/index.js';
import type { FleetReader } from '../open/open-fleet.js';

export interface RecordedFleet {
  /** Reads the fleet (always) and remembers the view: the dashboard's reader. */
  read: FleetReader;
  /** The remembered view while younger than `maxAgeMs`, else a fresh read (shared while pending). */
  recent: () => Promise<FleetView>;
}

export function recordedFleet(read: FleetReader, clock: Clock, maxAgeMs: number): RecordedFleet {
  let last: { view: FleetView; at: number } | null = null;
  let pending: Promise<FleetView> | null = null;
  const readAndKeep: FleetReader = async (signal) => {
    const view = await read(signal);
    last = { view, at: clock.monotonic() };
    return view;
  };
  return {
    read: readAndKeep,
    recent: () => {
      if (last && clock.monotonic() - last.at < maxAgeMs) return Promise.resolve(last.view);
      pending ??= readAndKeep().finally(() => {
        pending = null;
      });
      return pending;
    },
  };
}

/** Gauges when the fleet cannot be read (GitHub down, a rate limit): unknown, not zero. */
const UNKNOWN: TaskCounts = {
  queue: Number.NaN,
  running: Number.NaN,
  blocked: Number.NaN,
  poisoned: Number.NaN,
};

/**
 * The sources of the metrics on GitHub. The attempt and claim counters stay this workstation's
 * event log (the fleet's ledger keeps no counts; each workstation exports its own, and
 * Prometheus sums them). An unreadable fleet makes the task gauges NaN and lists no heartbeat,
 * so the scrape still answers with the GitHub counters, which matter most in an outage.
 */
export function fleetMetricsSources(
  fleet: Pick<RecordedFleet, 'recent'>,
  events: MetricsSources['events'],
): MetricsSources {
  const view = () => fleet.recent().catch(() => null);
  return {
    events,
    tasks: async () => {
      const v = await view();
      if (!v) return UNKNOWN;
      const { queued, held, blocked, poisoned } = v.summary;
      return { queue: queued, running: held, blocked, poisoned };
    },
    heartbeats: async () =>
      (await view())?.owners.map((o) => ({ owner: o.id, ageMs: o.heartbeat.ageMs })) ?? [],
  };
}
