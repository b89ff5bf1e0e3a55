import type { TaskState } from '../../core/task.js';

/** A tasks row as SQLite returns it. */
export interface TaskRow {
  id: string;
  source: string;
  title: string;
  agent: string | null;
  priority: number;
  payload: string | null;
  state: TaskState;
  owner_id: string | null;
  owner_host: string | null;
  owner_pid: number | null;
  owner_pid_start: number | null;
  epoch: number;
  attempt: number;
  retry_count: number;
  claimed_at: number | null;
  heartbeat_at: number | null;
  released_at: number | null;
  next_attempt_at: number;
  last_outcome: string | null;
  last_error: string | null;
  ignored: number;
  ignore_reason: string | null;
  created_at: number;
  updated_at: number;
  exec_pid: number | null;
  exec_pid_start: number | null;
  lease_ms: number | null;
  lease_until: number | null;
  deps: string | null;
}

/** One task as this workstation sees it: definition, claim and retry state. */
export interface TaskView {
  id: string;
  source: string;
  title: string;
  agent: string | null;
  priority: number;
  payload: unknown;
  state: TaskState;
  deps: string[];
  ownerId: string | null;
  ownerHost: string | null;
  ownerPid: number | null;
  epoch: number;
  attempt: number;
  retryCount: number;
  claimedAt: number | null;
  heartbeatAt: number | null;
  releasedAt: number | null;
  nextAttemptAt: number;
  lastOutcome: string | null;
  lastError: string | null;
  ignored: boolean;
  ignoreReason: string | null;
  createdAt: number;
  updatedAt: number;
  /** Claimed by hand (`codex-monitor claim`): held until `leaseUntil` at most, or a heartbeat lapses. */
  hand: boolean;
  leaseUntil: number | null;
}

/** Selects a task with its deps folded into one column (unit separator between ids). */
export const SELECT_TASK = `
  SELECT tasks.*, (SELECT group_concat(dep_id, char(31)) FROM task_deps WHERE task_id = tasks.id) AS deps
  FROM tasks`;

export function toView(row: TaskRow): TaskView {
  return {
    id: row.id,
    source: row.source,
    title: row.title,
    agent: row.agent,
    priority: row.priority,
    payload: row.payload === null ? null : (JSON.parse(row.payload) as unknown),
    state: row.state,
    deps: row.deps ? row.deps.split('\u001f').sort() : [],
    ownerId: row.owner_id,
    ownerHost: row.owner_host,
    ownerPid: row.owner_pid,
    epoch: row.epoch,
    attempt: row.attempt,
    retryCount: row.retry_count,
    claimedAt: row.claimed_at,
    heartbeatAt: row.heartbeat_at,
    releasedAt: row.released_at,
    nextAttemptAt: row.next_attempt_at,
    lastOutcome: row.last_outcome,
    lastError: row.last_error,
    ignored: row.ignored === 1,
    ignoreReason: row.ignore_reason,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    hand: row.state === 'claimed' && row.lease_ms !== null,
    leaseUntil: row.state === 'claimed' ? row.lease_until : null,
  };
}
