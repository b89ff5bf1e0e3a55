import type { RefusalReason, TaskState } from '../../core/task.js';
import { AGENT_MATCHES, REFUSAL } from '../claims/claimable.js';
import type { StoreContext } from '../store-context.js';
import { SELECT_TASK, type TaskRow, type TaskView, toView } from './task-rows.js';

export interface TaskFilter {
  state?: TaskState;
  ownerId?: string;
  agent?: string;
  source?: string;
}

export function listTasks(ctx: StoreContext, filter: TaskFilter = {}): TaskView[] {
  const where: string[] = [];
  const params: unknown[] = [];
  for (const [column, value] of [
    ['state', filter.state],
    ['owner_id', filter.ownerId],
    ['agent', filter.agent],
    ['source', filter.source],
  ] as const) {
    if (value === undefined) continue;
    where.push(`${column} = ?`);
    params.push(value);
  }
  const sql = `${SELECT_TASK} ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY priority DESC, created_at, id`;
  return (ctx.sql(sql).all(...params) as TaskRow[]).map(toView);
}

/**
 * Creates a task or updates its definition (title, agent, priority), never its claim or
 * retry state: how a board that is not seeded from a file (GitHub) keeps its rows current.
 */
export function defineTask(
  ctx: StoreContext,
  id: string,
  def: { source: string; title: string; agent: string | null; priority: number },
): void {
  ctx
    .sql(
      `INSERT INTO tasks (id, source, title, agent, priority, created_at, updated_at)
       VALUES (@id, @source, @title, @agent, @priority, @now, @now)
       ON CONFLICT(id) DO UPDATE SET title = excluded.title, agent = excluded.agent, priority = excluded.priority,
         updated_at = excluded.updated_at
       WHERE title IS NOT excluded.title OR agent IS NOT excluded.agent OR priority IS NOT excluded.priority`,
    )
    .run({ id, ...def, now: ctx.now() });
}

/** A task with the claimable rule's verdict on it now, for counting pending work. */
export interface TaskClaimability {
  id: string;
  state: TaskState;
  deps: string[];
  nextAttemptAt: number;
  /** Why it cannot be claimed now (claimable.ts); null: it can. */
  refusal: RefusalReason | null;
  /** Whether a daemon serving the agent asked about may run it. */
  forAgent: boolean;
}

/** Every task of `source` with the claimable rule's verdict, as of now, for `agent`. */
export function claimability(ctx: StoreContext, source: string, agent: string | null): TaskClaimability[] {
  const rows = ctx
    .sql(
      `SELECT t.id, t.state, t.next_attempt_at AS nextAttemptAt, ${REFUSAL} AS refusal, ${AGENT_MATCHES} AS forAgent,
         (SELECT group_concat(dep_id, char(31)) FROM task_deps WHERE task_id = t.id) AS deps
       FROM tasks t WHERE t.source = @source`,
    )
    .all({ source, agent, now: ctx.now(), maxRetries: ctx.policy.maxRetries }) as (Omit<
    TaskClaimability,
    'deps' | 'forAgent'
  > & { deps: string | null; forAgent: number })[];
  return rows.map((r) => ({ ...r, deps: r.deps ? r.deps.split('\u001f') : [], forAgent: r.forAgent === 1 }));
}

export interface StoreStats {
  byState: Record<TaskState, number>;
  ignored: number;
  retryCount: number;
  owners: number;
  events: number;
}

export function storeStats(ctx: StoreContext): StoreStats {
  const byState: Record<TaskState, number> = { ready: 0, claimed: 0, done: 0, failed: 0, poisoned: 0 };
  const rows = ctx.sql('SELECT state, COUNT(*) AS n FROM tasks GROUP BY state').all() as {
    state: TaskState;
    n: number;
  }[];
  for (const r of rows) byState[r.state] = r.n;
  const totals = ctx
    .sql(
      'SELECT COALESCE(SUM(ignored), 0) AS ignored, COALESCE(SUM(retry_count), 0) AS retryCount FROM tasks',
    )
    .get() as { ignored: number; retryCount: number };
  const owners = (ctx.sql('SELECT COUNT(*) AS n FROM owners').get() as { n: number }).n;
  const events = (ctx.sql('SELECT COUNT(*) AS n FROM events').get() as { n: number }).n;
  return { byState, ...totals, owners, events };
}
