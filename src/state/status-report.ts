import { DISPLAYED_STATES, type DisplayedState, displayedStates } from './displayed-state.js';
import type { EventRecord } from './event-log.js';
import type { OwnerView } from './owners.js';
import type { SharedState } from './shared-state.js';

export interface StatusReport {
  generatedAt: number;
  /** By displayed state: `blocked` is a ready (or failed) task with a dependency not done. */
  totals: Record<DisplayedState, number> & { ignored: number };
  byAgent: { agent: string; counts: Record<DisplayedState, number> }[];
  running: {
    id: string;
    title: string;
    owner: string;
    attempt: number;
    epoch: number;
    heartbeatAgeMs: number;
    runningForMs: number;
    /** A person's hand claim: how long its lease has left (null: a daemon's claim). */
    leaseLeftMs: number | null;
  }[];
  blocked: { id: string; waitingOn: string[] }[];
  backingOff: { id: string; retryCount: number; retryInMs: number; lastError: string | null }[];
  poisoned: { id: string; retryCount: number; lastError: string | null }[];
  ignored: { id: string; reason: string | null }[];
  owners: OwnerView[];
  recentEvents: EventRecord[];
}

const zeroCounts = () =>
  Object.fromEntries(DISPLAYED_STATES.map((s) => [s, 0])) as Record<DisplayedState, number>;

/** Everything `codex-monitor status` shows, read in one pass over the local store. */
export function buildStatus(store: SharedState, now: number): StatusReport {
  const tasks = store.list();
  const shown = displayedStates(tasks);
  const totals = { ...zeroCounts(), ignored: 0 };
  const agents = new Map<string, Record<DisplayedState, number>>();
  const report: StatusReport = {
    generatedAt: now,
    totals,
    byAgent: [],
    running: [],
    blocked: [],
    backingOff: [],
    poisoned: [],
    ignored: [],
    owners: store.owners.list(),
    recentEvents: store.events.query({ newestFirst: true, limit: 10 }).reverse(),
  };
  for (const t of tasks) {
    const { state, waitingOn } = shown(t);
    totals[state]++;
    const agent = t.agent ?? '(any)';
    const counts = agents.get(agent) ?? zeroCounts();
    counts[state]++;
    agents.set(agent, counts);
    if (t.ignored) {
      totals.ignored++;
      report.ignored.push({ id: t.id, reason: t.ignoreReason });
    }
    if (t.state === 'claimed') {
      report.running.push({
        id: t.id,
        title: t.title,
        owner: t.ownerId ?? '?',
        attempt: t.attempt,
        epoch: t.epoch,
        heartbeatAgeMs: now - (t.heartbeatAt ?? now),
        runningForMs: now - (t.claimedAt ?? now),
        leaseLeftMs: t.hand && t.leaseUntil !== null ? Math.max(0, t.leaseUntil - now) : null,
      });
    } else if (t.state === 'poisoned') {
      report.poisoned.push({ id: t.id, retryCount: t.retryCount, lastError: t.lastError });
    } else if (state === 'blocked') {
      report.blocked.push({ id: t.id, waitingOn });
    } else if (state === 'failed' && t.nextAttemptAt > now) {
      report.backingOff.push({
        id: t.id,
        retryCount: t.retryCount,
        retryInMs: t.nextAttemptAt - now,
        lastError: t.lastError,
      });
    }
  }
  report.byAgent = [...agents]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([agent, counts]) => ({ agent, counts }));
  return report;
}
