import type { EventRecord } from '../state/event-log.js';
import type { SharedState } from '../state/shared-state.js';
import type { TaskView } from '../state/tasks/task-rows.js';

/** One attempt as the event log tells it: started, and how (and when) it ended. */
export interface AttemptSummary {
  epoch: number | null;
  ownerId: string | null;
  startedAt: number;
  endedAt: number | null;
  outcome: string | null;
  durationMs: number | null;
}

export interface TaskDetail {
  task: TaskView;
  events: EventRecord[];
  attempts: AttemptSummary[];
}

const ENDINGS = new Set(['completed', 'failed', 'abandoned', 'swept', 'fenced', 'claim-lost']);

/** Pairs each `started` with the next ending of the same epoch (one attempt per claim). */
export function attemptsOf(events: readonly EventRecord[]): AttemptSummary[] {
  const attempts: AttemptSummary[] = [];
  for (const e of events) {
    if (e.type === 'started') {
      attempts.push({
        epoch: e.epoch,
        ownerId: e.ownerId,
        startedAt: e.at,
        endedAt: null,
        outcome: null,
        durationMs: null,
      });
    } else if (ENDINGS.has(e.type)) {
      const open = attempts.find((a) => a.endedAt === null && (a.epoch === e.epoch || e.epoch === null));
      if (!open) continue;
      open.endedAt = e.at;
      open.outcome = e.type;
      open.durationMs = e.at - open.startedAt;
    }
  }
  return attempts;
}

/** The task, its events (oldest first) and its attempts; null for an unknown id. */
export function readTaskDetail(store: SharedState, id: string): TaskDetail | null {
  const task = store.get(id);
  if (!task) return null;
  const events = store.events.query({ taskId: id, newestFirst: true, limit: 500 }).reverse();
  return { task, events, attempts: attemptsOf(events) };
}
