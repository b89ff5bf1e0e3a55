/**
 * The charts' numbers from the event log: one bucket per hour over a window that ends now
 * (the last bucket is the hour in progress). Bucketing and percentiles are pure; one reader
 * queries what a window needs. The log is this workstation's (every daemon sharing the state
 * directory appends to it), bounded by its retention — as /metrics' counters are.
 */
import { InputError } from '../core/errors.js';
import { ATTEMPT_OUTCOMES, attemptOutcome } from '../state/attempt-outcome.js';
import type { EventLog, EventRecord, EventType } from '../state/event-log.js';
import type { QueueSample } from './queue-samples.js';
import { ATTEMPT_ENDINGS, attemptsOf } from './task-detail.js';

export const HOUR_MS = 3_600_000;
export const DEFAULT_HOURS = 24;
export const MAX_HOURS = 168;

/** What the outcomes chart stacks: how attempts ended, and tasks poisoned (out of retries). */
export const CHART_OUTCOMES = [...ATTEMPT_OUTCOMES, 'poisoned'] as const;
export type ChartOutcome = (typeof CHART_OUTCOMES)[number];

export interface ChartWindow {
  hours: number;
  /** Start of the first bucket (an hour boundary), wall-clock ms. */
  from: number;
  /** Now: the end of the last (partial) bucket. */
  to: number;
}

export interface HourBucket {
  /** The hour's start, wall-clock ms. */
  start: number;
  outcomes: Record<ChartOutcome, number>;
  /** Attempts that ended in this hour with a known start (before the window too), nearest-rank percentiles. */
  durations: { count: number; p50Ms: number | null; p95Ms: number | null };
}

/** The window `?hours=` asks for (1 to 168, default 24), or an InputError naming the value. */
export function chartWindow(hours: string | undefined, now: number): ChartWindow {
  const n = hours === undefined ? DEFAULT_HOURS : /^\d{1,4}$/.test(hours) ? Number(hours) : Number.NaN;
  if (!(n >= 1 && n <= MAX_HOURS)) {
    throw new InputError(
      `hours=${JSON.stringify(hours)} is not a whole number of hours from 1 to ${MAX_HOURS}: ask for e.g. ?hours=${DEFAULT_HOURS}`,
    );
  }
  const currentHour = Math.floor(now / HOUR_MS) * HOUR_MS;
  return { hours: n, from: currentHour - (n - 1) * HOUR_MS, to: now };
}

/**
 * The GitHub client's counters as the metrics registry holds them (a structural copy: src/serve
 * does not import src/observe). Read from the registry, never counted twice.
 */
export interface GitHubBudget {
  /** Per resource (core, graphql, search…) as the last answer's x-ratelimit headers said. */
  rateLimits: { resource: string; remaining: number; limit: number | null }[];
  /** Requests since this process started, by route template; 304s were answered from the ETag cache. */
  requestsByRoute: { route: string; total: number; notModified: number; failed: number }[];
  /** Waits on (or refusals by) a rate limit, by kind: primary, secondary. */
  limitWaits: { kind: string; count: number }[];
}

export interface ChartData {
  window: ChartWindow;
  hours: HourBucket[];
  queueDepth: { sampledSince: number | null; samples: QueueSample[] };
  github: GitHubBudget | null;
}

/** The `p`th percentile (0–100) of ascending `sorted` by nearest rank; null when empty. */
export function percentile(sorted: readonly number[], p: number): number | null {
  if (sorted.length === 0) return null;
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[Math.min(rank, sorted.length) - 1] ?? null;
}

const zeroOutcomes = () =>
  Object.fromEntries(CHART_OUTCOMES.map((o) => [o, 0])) as Record<ChartOutcome, number>;

/**
 * Buckets `events` (oldest first; the `started` of an attempt that ended in the window may lie
 * before it) by hour: outcomes by the ending event's hour, durations by the hour the attempt ended.
 */
export function hourBuckets(events: readonly EventRecord[], window: ChartWindow): HourBucket[] {
  const buckets: HourBucket[] = [];
  const durations: number[][] = [];
  for (let i = 0; i < window.hours; i++) {
    buckets.push({
      start: window.from + i * HOUR_MS,
      outcomes: zeroOutcomes(),
      durations: { count: 0, p50Ms: null, p95Ms: null },
    });
    durations.push([]);
  }
  const index = (at: number) =>
    at < window.from || at > window.to
      ? -1
      : Math.min(window.hours - 1, Math.floor((at - window.from) / HOUR_MS));
  for (const e of events) {
    const outcome: ChartOutcome | null = e.type === 'poisoned' ? 'poisoned' : attemptOutcome(e);
    const bucket = buckets[index(e.at)];
    if (outcome && bucket) bucket.outcomes[outcome]++;
  }
  for (const a of attemptsOf(events)) {
    if (a.endedAt === null || a.durationMs === null) continue;
    durations[index(a.endedAt)]?.push(a.durationMs);
  }
  buckets.forEach((bucket, i) => {
    const sorted = (durations[i] ?? []).sort((x, y) => x - y);
    bucket.durations = { count: sorted.length, p50Ms: percentile(sorted, 50), p95Ms: percentile(sorted, 95) };
  });
  return buckets;
}

/** Attempts ending in the window whose start is looked up before it, at most (one indexed read each). */
const MAX_EARLIER_STARTS = 500;
const CHART_TYPES: readonly EventType[] = ['started', ...ATTEMPT_ENDINGS, 'poisoned'];

/**
 * The events a window's charts need, oldest first: the window's starts, endings and poisonings,
 * and the `started` of each attempt that began before the window and ended in it.
 */
export function readWindowEvents(log: Pick<EventLog, 'query'>, window: ChartWindow): EventRecord[] {
  const inWindow = log.query({ since: window.from, until: window.to, types: CHART_TYPES });
  const key = (e: EventRecord) => `${e.taskId}\u0000${e.epoch}`;
  const started = new Set(inWindow.filter((e) => e.type === 'started').map(key));
  const asked = new Set<string>();
  const earlier: EventRecord[] = [];
  for (const e of inWindow) {
    if (e.type === 'started' || e.type === 'poisoned' || e.taskId === null) continue;
    if (started.has(key(e)) || asked.has(key(e)) || asked.size >= MAX_EARLIER_STARTS) continue;
    asked.add(key(e));
    const [start] = log.query({
      taskId: e.taskId,
      types: ['started'],
      until: window.from - 1,
      newestFirst: true,
      limit: 1,
    });
    if (start && (e.epoch === null || start.epoch === e.epoch)) earlier.push(start);
  }
  return [...earlier, ...inWindow].sort((a, b) => a.id - b.id);
}
