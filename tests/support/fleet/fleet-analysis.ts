import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { MarkerRecord } from '../daemons.js';

/** One chain of the ledger, oldest record first. */
export type Chain = { kind: string; outcome?: string; owner: string; epoch: number }[];

export interface ChaosEvent {
  /**
   * kill: the daemon and its executors (a machine lost); kill-daemon: the daemon process alone,
   * its executors left to the watchdog; hup: SIGHUP (a closed terminal); pause: SIGSTOP.
   */
  kind: 'kill' | 'kill-daemon' | 'hup' | 'pause';
  owner: string;
  at: number;
  /** For a pause: when the process was continued. */
  until?: number;
  /** For a kill-daemon: each executor it left running (by pid), and when it was seen gone. */
  ended?: Record<number, number | null>;
  /** For a hup: the daemon's exit code (0: it shut down gracefully). */
  exitCode?: number | null;
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
  pid: number;
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
      open.set(key, { task: m.task, owner: m.owner, epoch: m.epoch, pid: m.pid, start: m.at, end: endedAt });
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
    // Its daemon alone was killed: the executor ran on until it was seen gone (or the run's end).
    const orphaned = chaos.find(
      (c) => c.kind === 'kill-daemon' && typeof c.ended?.[interval.pid] === 'number',
    );
    if (!kill && orphaned) interval.end = orphaned.ended![interval.pid]!;
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

/**
 * What the kill-daemon-only and SIGHUP chaos showed: executors that outlived their daemon (and
 * for how long), exit codes on SIGHUP, and executions of a victim's issues that overlapped.
 */
export function daemonDeaths(chaos: readonly ChaosEvent[], found: ReturnType<typeof overlaps>) {
  const killed = chaos.filter((c) => c.kind === 'kill-daemon');
  const hups = chaos.filter((c) => c.kind === 'hup');
  const ends = killed.flatMap((c) =>
    Object.values(c.ended ?? {}).map((at) => (at === null ? null : at - c.at)),
  );
  const lifetimes = ends.filter((ms): ms is number => ms !== null);
  const victims = new Set([...killed, ...hups].map((c) => c.owner));
  return {
    killDaemonOnly: killed.length,
    orphans: ends.length,
    orphansAliveAfterThreshold: ends.length - lifetimes.length,
    orphanLifetimeMaxMs: lifetimes.length ? Math.max(...lifetimes) : null,
    hup: hups.length,
    hupExitCodes: hups.map((c) => c.exitCode ?? null),
    // The victim's execution ran on beside the next one of its issue.
    overlapsInvolvingVictims: found.filter((o) => victims.has(o.first.owner)).length,
  };
}

/** What the daemons said about fencing, from their logs: why work was done again. */
export function daemonLogCounts(workDir: string) {
  // With delivery: fenced at the delivery fence (nothing pushed), and pull requests a fenced
  // attempt opened and then closed when its release was refused.
  const counts = { selfFenced: 0, fencedResults: 0, claimsLost: 0, deliveryFenced: 0, fencedPullsClosed: 0 };
  for (const file of readdirSync(workDir).filter((f) => f.endsWith('.log'))) {
    for (const line of readFileSync(join(workDir, file), 'utf8').split('\n')) {
      if (line.includes('heartbeat overdue')) counts.selfFenced++;
      else if (line.includes('release refused (fenced)')) counts.fencedResults++;
      else if (line.includes('claim lost during the attempt')) counts.claimsLost++;
      else if (line.includes('claim lost before delivery')) counts.deliveryFenced++;
      else if (line.includes('closed the pull request of a fenced attempt')) counts.fencedPullsClosed++;
    }
  }
  return counts;
}
