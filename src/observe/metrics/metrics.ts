/**
 * The process's Prometheus registry. Never prom-client's global default registry: a test (or
 * a process hosting several boards) creates as many as it needs and they share nothing.
 * Counters of the event log and the gauges are computed when scraped (collect), so nobody
 * scraping costs nothing; the GitHub and ledger counters are pushed by their observers.
 */
import { Counter, Gauge, Registry } from 'prom-client';
import type { EventLog } from '../../state/event-log.js';
import { ATTEMPT_OUTCOMES, EventCounters } from './event-counters.js';
import { routeTemplate } from './github-route.js';

/** Tasks by what they wait for, as the board's state store shows them now. */
export interface TaskCounts {
  queue: number;
  running: number;
  blocked: number;
  poisoned: number;
}

/** Where the computed metrics come from (see local-sources.ts for the local store). */
export interface MetricsSources {
  events: Pick<EventLog, 'query'>;
  /** Async on GitHub, where the counts come from a read of the fleet (cli/serve/fleet-metrics.ts). */
  tasks: () => TaskCounts | Promise<TaskCounts>;
  /** Every registered owner with the age of its last heartbeat on this observer's clock. */
  heartbeats: () => Heartbeats | Promise<Heartbeats>;
}

export type Heartbeats = readonly { owner: string; ageMs: number }[];

/** One GitHub answer as the client's `onResponse` observer reports it (structural: no import of the board). */
export interface GitHubResponseInfo {
  method: string;
  /** The route as requested: a template, or a concrete URL (a followed next-page link). */
  route: string;
  /** Undefined when no answer came (a failed connection). */
  status: number | undefined;
  headers?: Readonly<Record<string, unknown>>;
}

export interface Metrics {
  readonly registry: Registry;
  /** The client's `onResponse` observer. */
  githubResponse(info: GitHubResponseInfo): void;
  /** The client's `onLimit` observer: a wait (or a refusal) on a primary or secondary limit. */
  rateLimitWait(kind: string): void;
  /** The ledger's observer of a refused CAS (another writer moved the ref first). */
  casConflict(): void;
}

const P = 'codex_monitor_';

export function createMetrics(sources: MetricsSources): Metrics {
  const registry = new Registry();
  const registers = [registry];
  const attempts: Counter<'outcome'> = new Counter({
    name: `${P}attempts_total`,
    help: 'Attempts ended, by outcome (completed, failed, abandoned, fenced, self-fenced), from the event log.',
    labelNames: ['outcome'] as const,
    registers,
    collect: (): void => counters.catchUp(),
  });
  const claims: Counter<'result'> = new Counter({
    name: `${P}claims_total`,
    help: 'Claims by result: won, conflict (another owner held it), claim-lost (a held claim was lost), from the event log.',
    labelNames: ['result'] as const,
    registers,
    collect: (): void => counters.catchUp(),
  });
  for (const outcome of ATTEMPT_OUTCOMES) attempts.inc({ outcome }, 0);
  for (const result of ['won', 'conflict', 'claim-lost']) claims.inc({ result }, 0);
  const counters: EventCounters = new EventCounters(sources.events, { attempts, claims });

  const heartbeat = new Gauge({
    name: `${P}heartbeat_age_seconds`,
    help: "Seconds since each registered owner's last heartbeat, on this observer's clock.",
    labelNames: ['owner'] as const,
    registers,
    collect: async () => {
      const ages = await sources.heartbeats();
      heartbeat.reset();
      for (const { owner, ageMs } of ages) heartbeat.set({ owner }, ageMs / 1000);
    },
  });
  taskGauges(sources, registers);

  const requests = new Counter({
    name: `${P}github_requests_total`,
    help: 'GitHub requests by route template and status ("error": no answer); status 304 answered from the ETag cache.',
    labelNames: ['route', 'status'] as const,
    registers,
  });
  const remaining = new Gauge({
    name: `${P}github_rate_limit_remaining`,
    help: 'Requests left in the current rate-limit window, by resource (x-ratelimit-remaining).',
    labelNames: ['resource'] as const,
    registers,
  });
  const limit = new Gauge({
    name: `${P}github_rate_limit_limit`,
    help: 'Requests allowed per rate-limit window, by resource (x-ratelimit-limit).',
    labelNames: ['resource'] as const,
    registers,
  });
  const waits = new Counter({
    name: `${P}github_rate_limit_waits_total`,
    help: 'Waits (or refusals) on a GitHub rate limit, by kind (primary, secondary).',
    labelNames: ['kind'] as const,
    registers,
  });
  const cas = new Counter({
    name: `${P}ledger_cas_conflicts_total`,
    help: "Ledger writes refused because another writer moved the task's ref first (a lost CAS).",
    registers,
  });

  return {
    registry,
    githubResponse(info) {
      const route = `${info.method.toUpperCase()} ${routeTemplate(info.route)}`;
      requests.inc({ route, status: info.status === undefined ? 'error' : String(info.status) });
      const h = info.headers ?? {};
      const resource = typeof h['x-ratelimit-resource'] === 'string' ? h['x-ratelimit-resource'] : 'core';
      const left = Number(h['x-ratelimit-remaining']);
      const of = Number(h['x-ratelimit-limit']);
      if (h['x-ratelimit-remaining'] !== undefined && Number.isFinite(left))
        remaining.set({ resource }, left);
      if (h['x-ratelimit-limit'] !== undefined && Number.isFinite(of)) limit.set({ resource }, of);
    },
    rateLimitWait: (kind) => waits.inc({ kind }),
    casConflict: () => cas.inc(),
  };
}

function taskGauges(sources: MetricsSources, registers: Registry[]): void {
  // One read of the store per scrape, shared by the four gauges: a registry calls every metric's
  // collect in one synchronous pass, so the (possibly pending) counts are kept until the next
  // microtask. A gauge read on its own (getSingleMetric().get()) reads afresh.
  let counts: Promise<TaskCounts> | undefined;
  const read = (): Promise<TaskCounts> => {
    if (counts === undefined) {
      counts = new Promise<TaskCounts>((resolve) => resolve(sources.tasks()));
      queueMicrotask(() => {
        counts = undefined;
      });
    }
    return counts;
  };
  const gauge = (key: keyof TaskCounts, help: string) => {
    const g: Gauge = new Gauge({
      name: `${P}${key}_tasks`,
      help,
      registers,
      collect: async () => g.set((await read())[key]),
    });
  };
  gauge('queue', 'Tasks ready to be claimed now.');
  gauge('running', 'Tasks claimed (an attempt runs).');
  gauge('blocked', 'Tasks waiting on a dependency that is not done.');
  gauge('poisoned', 'Tasks poisoned: out of retries, they need a human (codex-monitor steer retry).');
}
