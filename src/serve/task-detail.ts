import type { EventRecord, EventType } from '../state/event-log.js';
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
  /**
   * The task as this workstation's store has it. null on GitHub when the store has no row for
   * the issue (no daemon here ever saw it: `serve` alone): the ledger chain tells its story.
   */
  task: TaskView | null;
  events: EventRecord[];
  attempts: AttemptSummary[];
  /**
   * The latest pull request an attempt delivered to, as its release event records it; null: none.
   * Optional so a detail built elsewhere (GitHub's ledger-only view) may leave it out.
   */
  pullRequest?: { number: number; url: string } | null;
  /** On GitHub: the issue's ledger chain. */
  ledger?: LedgerHistoryDoc;
}

/**
 * An issue's ledger chain as the task page and /api/tasks/:id show it, oldest record first. A
 * structural copy (src/serve does not depend on the GitHub board). Every record was written by
 * whoever may push refs: untrusted data, rendered escaped; `unreadable` holds the first line of
 * a commit that carries no record of this issue.
 */
export interface LedgerHistoryDoc {
  repository: string;
  issue: number;
  /** On Jira: the issue's key (`issue` is its numeric id, the chain's number). */
  key?: string;
  /** From the issue list as this reader last read it (null: not seen). */
  title: string | null;
  records: LedgerEntryDoc[];
  /** Older records exist below the first one shown. */
  truncated: boolean;
}

export interface LedgerEntryDoc {
  sha: string;
  kind: string | null;
  epoch: number | null;
  owner: string | null;
  /** The writer's wall clock (informative only). */
  at: string | null;
  outcome: string | null;
  pr: number | null;
  reason: string | null;
  unreadable: string | null;
}

/** Events that end an attempt (the other half of the pairing, for readers that query by type). */
export const ATTEMPT_ENDINGS: readonly EventType[] = [
  'completed',
  'failed',
  'abandoned',
  'swept',
  'fenced',
  'claim-lost',
];
const ENDINGS: ReadonlySet<EventType> = new Set(ATTEMPT_ENDINGS);

/**
 * Pairs each `started` with the next ending of the same task and epoch (one attempt per claim).
 * Events oldest first; one task's (the task page) or many tasks' (the charts).
 */
export function attemptsOf(events: readonly EventRecord[]): AttemptSummary[] {
  const attempts: AttemptSummary[] = [];
  const open = new Map<string | null, AttemptSummary[]>();
  for (const e of events) {
    if (e.type === 'started') {
      const started: AttemptSummary = {
        epoch: e.epoch,
        ownerId: e.ownerId,
        startedAt: e.at,
        endedAt: null,
        outcome: null,
        durationMs: null,
      };
      attempts.push(started);
      open.set(e.taskId, [...(open.get(e.taskId) ?? []), started]);
    } else if (ENDINGS.has(e.type)) {
      const ofTask = open.get(e.taskId) ?? [];
      const i = ofTask.findIndex((a) => a.epoch === e.epoch || e.epoch === null);
      const ended = ofTask[i];
      if (!ended) continue;
      ofTask.splice(i, 1);
      ended.endedAt = e.at;
      ended.outcome = e.type;
      ended.durationMs = e.at - ended.startedAt;
    }
  }
  return attempts;
}

/** The task, its events (oldest first) and its attempts; null for an unknown id. */
export function readTaskDetail(store: SharedState, id: string): TaskDetail | null {
  const task = store.get(id);
  if (!task) return null;
  const events = store.events.query({ taskId: id, newestFirst: true, limit: 500 }).reverse();
  return { task, events, attempts: attemptsOf(events), pullRequest: pullRequestOf(events) };
}

/** The newest event naming a pull request (`pr`, `prUrl`: see state/claims/release.ts); only a web link. */
export function pullRequestOf(events: readonly EventRecord[]): { number: number; url: string } | null {
  for (const e of [...events].reverse()) {
    const { pr, prUrl } = e.data;
    if (typeof pr === 'number' && typeof prUrl === 'string' && /^https?:\/\//.test(prUrl))
      return { number: pr, url: prUrl };
  }
  return null;
}
