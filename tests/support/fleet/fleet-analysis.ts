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

/** What humans see on one issue: its labels and the bodies of its state comments, oldest first. */
export interface IssueMirror {
  labels: readonly string[];
  stateComments: readonly string[];
}

export interface MirrorDisagreement {
  issue: number;
  /** The ledger tip, e.g. `release:complete@2`, or `none`. */
  tip: string;
  labels: string[];
  /** The newest state comment's status and epoch, or null when there is none. */
  comment: { status: unknown; epoch: unknown } | null;
}

const DAEMON_LABELS = ['codex:claimed', 'codex:working', 'codex:stale', 'codex:done', 'codex:failed'];

/** The daemon label and the comment status an issue should show for its ledger tip. */
function expectedFor(tip: Chain[number] | undefined): { label: string | null; status: string | null } {
  if (!tip) return { label: null, status: null };
  if (tip.kind === 'claim') return { label: 'codex:working', status: 'working' };
  if (tip.kind === 'poison') return { label: 'codex:failed', status: 'failed' };
  if (tip.kind === 'release')
    return tip.outcome === 'complete'
      ? { label: 'codex:done', status: 'done' }
      : { label: null, status: 'released' };
  return { label: null, status: null }; // a reset (or a foreign commit): no daemon label, comment left
}

function stateOf(body: string): { status: unknown; epoch: unknown } | null {
  const m = /<!--\s*codex-monitor-state\s*([\s\S]*?)-->/.exec(body);
  try {
    const json = m ? (JSON.parse(m[1]!) as Record<string, unknown>) : null;
    return json ? { status: json.status, epoch: json.epoch } : null;
  } catch {
    return null;
  }
}

/**
 * Issues whose labels or state comment disagree with their ledger tip (the daemon label and the
 * comment's status and epoch), and issues carrying more than one state comment.
 */
export function mirrorCheck(chains: ReadonlyMap<number, Chain>, mirrors: ReadonlyMap<number, IssueMirror>) {
  const disagreeing: MirrorDisagreement[] = [];
  const multipleStateComments: number[] = [];
  for (const [issue, mirror] of mirrors) {
    const tip = chains.get(issue)?.at(-1);
    const want = expectedFor(tip);
    const labels = mirror.labels.filter((l) => DAEMON_LABELS.includes(l.toLowerCase()));
    const newest = mirror.stateComments.at(-1);
    const comment = newest === undefined ? null : stateOf(newest);
    const labelsOk =
      want.label === null ? labels.length === 0 : labels.length === 1 && labels[0] === want.label;
    const commentOk =
      want.status === null ||
      (comment !== null && comment.status === want.status && comment.epoch === tip?.epoch);
    if (!labelsOk || !commentOk) {
      const tipName = tip ? `${tip.kind}${tip.outcome ? `:${tip.outcome}` : ''}@${tip.epoch}` : 'none';
      disagreeing.push({ issue, tip: tipName, labels, comment });
    }
    if (mirror.stateComments.length > 1) multipleStateComments.push(issue);
  }
  return { disagreeing, multipleStateComments };
}
