import type { MarkerRecord } from '../daemons.js';

/** One chain of the ledger, oldest record first. */
export type Chain = { kind: string; outcome?: string; owner: string; epoch: number }[];

export interface ChaosEvent {
  kind: 'kill' | 'pause';
  owner: string;
  at: number;
  /** For a pause: when the process was continued. */
  until?: number;
}

export interface Overlap {
  task: string;
  first: { owner: string; epoch: number };
  second: { owner: string; epoch: number };
  overlapMs: number;
  cause: string;
}

function quantile(sorted: readonly number[], q: number): number | null {
  if (sorted.length === 0) return null;
  return sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)]!;
}

/** Completions the ledger accepted per issue: more than one would be a double completion. */
export function completions(chains: ReadonlyMap<number, Chain>) {
  let completed = 0;
  let duplicates = 0;
  for (const chain of chains.values()) {
    const accepted = chain.filter((r) => r.kind === 'release' && r.outcome === 'complete').length;
    if (accepted > 0) completed++;
    duplicates += Math.max(0, accepted - 1);
  }
  return { completed, duplicates };
}

interface Interval {
  task: string;
  owner: string;
  epoch: number;
  start: number;
  end: number;
}

/** Executions from the markers: start to end, or to the owner's kill, or to the run's end. */
export function executions(
  markers: readonly MarkerRecord[],
  chaos: readonly ChaosEvent[],
  endedAt: number,
): Interval[] {
  const open = new Map<string, Interval>();
  const done: Interval[] = [];
  for (const m of markers) {
    const key = `${m.task}|${m.owner}|${m.epoch}`;
    if (m.phase === 'start')
      open.set(key, { task: m.task, owner: m.owner, epoch: m.epoch, start: m.at, end: endedAt });
    else {
      const interval = open.get(key);
      if (interval) {
        interval.end = m.at;
        done.push(interval);
        open.delete(key);
      }
    }
  }
  for (const interval of open.values()) {
    const kill = chaos.find((c) => c.kind === 'kill' && c.owner === interval.owner && c.at >= interval.start);
    if (kill) interval.end = kill.at; // its executor died with its machine
    done.push(interval);
  }
  return done;
}

/** Two executions of one issue at the same time, and why. */
export function overlaps(intervals: readonly Interval[], chaos: readonly ChaosEvent[]): Overlap[] {
  const byTask = new Map<string, Interval[]>();
  for (const i of intervals) byTask.set(i.task, [...(byTask.get(i.task) ?? []), i]);
  const found: Overlap[] = [];
  for (const [task, list] of byTask) {
    list.sort((a, b) => a.start - b.start);
    for (let i = 0; i < list.length; i++) {
      for (let j = i + 1; j < list.length; j++) {
        const a = list[i]!;
        const b = list[j]!;
        const overlapMs = Math.min(a.end, b.end) - Math.max(a.start, b.start);
        if (overlapMs <= 0) continue;
        const paused = chaos.find(
          (c) =>
            c.kind === 'pause' &&
            c.owner === a.owner &&
            c.at < b.start &&
            (c.until ?? Number.POSITIVE_INFINITY) > a.start,
        );
        found.push({
          task,
          first: { owner: a.owner, epoch: a.epoch },
          second: { owner: b.owner, epoch: b.epoch },
          overlapMs,
          cause: paused ? 'paused owner: its executor ran on while it was stopped' : 'unexplained',
        });
      }
    }
  }
  return found;
}

/** From each kill to the next start of each issue the killed daemon was running. */
export function recoveries(
  markers: readonly MarkerRecord[],
  intervals: readonly Interval[],
  chaos: readonly ChaosEvent[],
) {
  const times: number[] = [];
  for (const kill of chaos.filter((c) => c.kind === 'kill')) {
    const inFlight = intervals.filter(
      (i) => i.owner === kill.owner && i.start <= kill.at && i.end === kill.at,
    );
    for (const attempt of inFlight) {
      const next = markers.find((m) => m.phase === 'start' && m.task === attempt.task && m.at > kill.at);
      if (next) times.push(next.at - kill.at);
    }
  }
  times.sort((a, b) => a - b);
  return {
    count: times.length,
    p50Ms: quantile(times, 0.5),
    p99Ms: quantile(times, 0.99),
    maxMs: times.at(-1) ?? null,
  };
}
