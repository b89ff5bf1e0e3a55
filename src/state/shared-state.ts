import { randomUUID } from 'node:crypto';
import type { Statement } from 'better-sqlite3';
import { backoffDelayMs } from '../core/backoff.js';
import type { ClaimTicket, OwnerIdentity, ReleaseOutcome, TaskState } from '../core/task.js';
import { isGroupAlive, isProcessAlive } from '../host/process-liveness.js';
import { lostClaim, refusalFor, staleCause } from './claim-rules.js';
import { type Db, type OpenOptions, openDatabase } from './database.js';
import { EventLog } from './event-log.js';
import { SqliteKeyValueStore } from './kv-store.js';
import { OwnerRegistry } from './owners.js';
import type {
  ClaimProof,
  ClaimResult,
  OrphanedExecution,
  Refusal,
  ReleaseResult,
  RenewResult,
  RetryAdvice,
  SharedStateOptions,
  SweptClaim,
} from './state-types.js';
import { SELECT_TASK, type TaskRow, type TaskView, toView } from './task-rows.js';

export type * from './state-types.js';

/**
 * The local shared-state manager: this workstation's view of every task's claim, lease,
 * retry budget and ignore flag, in SQLite (WAL). Every operation is one IMMEDIATE
 * transaction and records its event in it, so several daemons and CLI commands on one
 * machine can act at once and the audit log never disagrees with the state.
 */
export class SharedState {
  readonly events: EventLog;
  readonly owners: OwnerRegistry;
  readonly kv: SqliteKeyValueStore;
  private readonly isAlive: (pid: number, pidStart: number | null) => boolean;
  private readonly isGroupAlive: (pgid: number, leaderStart: number | null) => boolean;
  private readonly random: () => number;
  private readonly statements = new Map<string, Statement>();

  constructor(
    readonly db: Db,
    private readonly options: SharedStateOptions,
  ) {
    this.isAlive = options.isAlive ?? isProcessAlive;
    this.isGroupAlive = options.isGroupAlive ?? isGroupAlive;
    this.random = options.random ?? Math.random;
    this.events = new EventLog(db, options.retention, () => options.clock.now());
    this.kv = new SqliteKeyValueStore(db, () => options.clock.now());
    this.owners = new OwnerRegistry(db, this.events, {
      host: options.host,
      ttlMs: options.policy.ownerStaleTtlMs,
      now: () => options.clock.now(),
      isAlive: this.isAlive,
    });
  }

  get maxRetries(): number {
    return this.options.policy.maxRetries;
  }

  static open(path: string, options: SharedStateOptions & OpenOptions): SharedState {
    return new SharedState(openDatabase(path, options), options);
  }

  close(): void {
    if (this.db.open) this.db.close();
  }

  /** A prepared statement, compiled once per SQL text: preparing costs more than running. */
  private sql(text: string): Statement {
    let statement = this.statements.get(text);
    if (!statement) {
      statement = this.db.prepare(text);
      this.statements.set(text, statement);
    }
    return statement;
  }

  /** Runs `fn` as one IMMEDIATE transaction: it holds the write lock from its first statement. */
  transaction<T>(fn: () => T): T {
    return this.db.transaction(fn).immediate();
  }

  get(taskId: string): TaskView | undefined {
    const row = this.row(taskId);
    return row && toView(row);
  }

  list(filter: { state?: TaskState; ownerId?: string; agent?: string; source?: string } = {}): TaskView[] {
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
    return (this.sql(sql).all(...params) as TaskRow[]).map(toView);
  }

  /**
   * Creates a task or updates its definition (title, agent, priority), never its claim or
   * retry state: how a board that is not seeded from a file (GitHub) keeps its rows current.
   */
  defineTask(
    id: string,
    def: { source: string; title: string; agent: string | null; priority: number },
  ): void {
    const now = this.options.clock.now();
    this.sql(
      `INSERT INTO tasks (id, source, title, agent, priority, created_at, updated_at)
       VALUES (@id, @source, @title, @agent, @priority, @now, @now)
       ON CONFLICT(id) DO UPDATE SET title = excluded.title, agent = excluded.agent, priority = excluded.priority,
         updated_at = excluded.updated_at
       WHERE title IS NOT excluded.title OR agent IS NOT excluded.agent OR priority IS NOT excluded.priority`,
    ).run({ id, ...def, now });
  }

  /**
   * Claims a task for `owner`. Succeeds only for a claimable task (ready, or failed with its
   * backoff elapsed) that is not ignored and whose deps are all done; a claim whose owner is
   * stale is expired first, so a dead or silent owner is taken over here.
   */
  claim(
    taskId: string,
    owner: OwnerIdentity,
    options: { create?: boolean; source?: string } = {},
  ): ClaimResult {
    return this.transaction(() => {
      const now = this.options.clock.now();
      let row = this.row(taskId);
      if (!row) {
        if (!options.create) return { ok: false, reason: 'unknown', detail: `no task ${taskId}` };
        this.sql('INSERT INTO tasks (id, source, created_at, updated_at) VALUES (?, ?, ?, ?)').run(
          taskId,
          options.source ?? 'local',
          now,
          now,
        );
        row = this.row(taskId)!;
      }
      let tookOverFrom: string | null = null;
      if (row.state === 'claimed' && this.staleCause(row, now)) {
        tookOverFrom = row.owner_id;
        this.expire(row, this.staleCause(row, now)!, now);
      }
      const token = randomUUID();
      const claimed = this.sql(
        `UPDATE tasks SET state = 'claimed', owner_id = @ownerId, owner_host = @host, owner_pid = @pid,
             owner_pid_start = @pidStart, token = @token, epoch = epoch + 1, attempt = retry_count + 1,
             claimed_at = @now, heartbeat_at = @now, released_at = NULL, updated_at = @now,
             exec_pid = NULL, exec_pid_start = NULL
           WHERE id = @taskId AND ignored = 0
             AND (state = 'ready' OR (state = 'failed' AND next_attempt_at <= @now AND retry_count < @maxRetries))
             AND NOT EXISTS (SELECT 1 FROM task_deps d LEFT JOIN tasks dep ON dep.id = d.dep_id
                             WHERE d.task_id = tasks.id AND dep.state IS NOT 'done')
           RETURNING epoch, attempt, claimed_at`,
      ).get({
        taskId,
        ownerId: owner.id,
        host: owner.host,
        pid: owner.pid,
        pidStart: owner.pidStart,
        token,
        now,
        maxRetries: this.options.policy.maxRetries,
      }) as { epoch: number; attempt: number; claimed_at: number } | undefined;

      if (!claimed) {
        const refusal = this.explain(this.row(taskId)!, now) ?? {
          reason: 'unknown',
          detail: 'not claimable',
        };
        if (refusal.reason === 'held') {
          this.events.append({
            type: 'conflict',
            taskId,
            ownerId: owner.id,
            data: { holder: refusal.holder, detail: refusal.detail },
          });
        }
        return { ok: false, ...refusal };
      }
      const ticket: ClaimTicket = {
        taskId,
        ownerId: owner.id,
        token,
        epoch: claimed.epoch,
        attempt: claimed.attempt,
        claimedAt: claimed.claimed_at,
      };
      this.events.append({
        type: 'claimed',
        taskId,
        ownerId: owner.id,
        epoch: ticket.epoch,
        data: { attempt: ticket.attempt, ...(tookOverFrom ? { tookOverFrom } : {}) },
      });
      return { ok: true, ticket, tookOverFrom };
    });
  }

  /** Renews one claim's lease. Fails if the claim is no longer this owner's (token checked). */
  renew(proof: ClaimProof): RenewResult {
    return this.transaction(() => {
      const now = this.options.clock.now();
      const row = this.sql(
        `UPDATE tasks SET heartbeat_at = @now, updated_at = @now
           WHERE id = @taskId AND state = 'claimed' AND owner_id = @ownerId AND token = @token
           RETURNING epoch, ignored`,
      ).get({ ...proof, now }) as { epoch: number; ignored: number } | undefined;
      if (!row) return { ok: false, ...lostClaim(this.row(proof.taskId), proof) };
      this.events.append({ type: 'renewed', taskId: proof.taskId, ownerId: proof.ownerId, epoch: row.epoch });
      return { ok: true, ignored: row.ignored === 1 };
    });
  }

  /** Records that the attempt started (an audit event); false if the claim is no longer ours. */
  recordStart(proof: ClaimProof): boolean {
    return this.transaction(() => {
      const row = this.row(proof.taskId);
      if (row?.state !== 'claimed' || row.token !== proof.token) return false;
      this.events.append({ type: 'started', taskId: proof.taskId, ownerId: proof.ownerId, epoch: row.epoch });
      return true;
    });
  }

  /** Remembers the attempt's process group leader, so a sweep can stop it if its daemon dies. */
  recordProcess(proof: ClaimProof, pid: number, pidStart: number | null): void {
    this.sql(
      `UPDATE tasks SET exec_pid = ?, exec_pid_start = ?
       WHERE id = ? AND state = 'claimed' AND owner_id = ? AND token = ?`,
    ).run(pid, pidStart, proof.taskId, proof.ownerId, proof.token);
  }

  /**
   * Renews every claim this owner process holds, and its registration, in one statement each:
   * the cost of liveness does not grow with the number of running tasks.
   * Returns the ids of the claims renewed.
   */
  heartbeat(owner: OwnerIdentity): string[] {
    return this.transaction(() => {
      const now = this.options.clock.now();
      this.owners.touch(owner, now);
      const rows = this.sql(
        `UPDATE tasks SET heartbeat_at = @now, updated_at = @now
           WHERE state = 'claimed' AND owner_id = @id AND owner_host = @host AND owner_pid = @pid
           RETURNING id`,
      ).all({ id: owner.id, host: owner.host, pid: owner.pid, now }) as { id: string }[];
      return rows.map((r) => r.id);
    });
  }

  /**
   * Gives a claim back with its outcome. Checks owner and token; does not touch the heartbeat.
   * A failure counts against the retry budget (poisoning at the limit) and schedules a backoff;
   * a graceful abandon makes the task ready again without counting.
   */
  release(proof: ClaimProof, outcome: ReleaseOutcome, detail: { error?: string } = {}): ReleaseResult {
    return this.transaction(() => {
      const now = this.options.clock.now();
      const row = this.row(proof.taskId);
      if (row?.state !== 'claimed' || row.owner_id !== proof.ownerId || row.token !== proof.token) {
        const lost = lostClaim(row, proof);
        // The owner's result is discarded: say so in the audit log.
        this.events.append({
          type: 'fenced',
          taskId: proof.taskId,
          ownerId: proof.ownerId,
          data: { outcome, reason: lost.reason, cause: lost.cause },
        });
        return { ok: false, ...lost };
      }
      const { maxRetries, backoff } = this.options.policy;
      const failures = row.retry_count + (outcome === 'failed' ? 1 : 0);
      const state: TaskState =
        outcome === 'complete'
          ? 'done'
          : outcome === 'abandoned'
            ? 'ready'
            : failures >= maxRetries
              ? 'poisoned'
              : 'failed';
      const nextAttemptAt = state === 'failed' ? now + backoffDelayMs(failures, backoff, this.random) : now;
      this.sql(
        `UPDATE tasks SET state = ?, retry_count = ?, next_attempt_at = ?, released_at = ?,
             last_outcome = ?, last_error = ?, updated_at = ? WHERE id = ?`,
      ).run(state, failures, nextAttemptAt, now, outcome, detail.error ?? null, now, proof.taskId);
      const type = outcome === 'complete' ? 'completed' : outcome;
      const base = { taskId: proof.taskId, ownerId: proof.ownerId, epoch: row.epoch };
      this.events.append({
        ...base,
        type,
        data: {
          attempt: row.attempt,
          retryCount: failures,
          ...(detail.error ? { error: detail.error } : {}),
        },
      });
      if (state === 'poisoned')
        this.events.append({ ...base, type: 'poisoned', data: { retryCount: failures } });
      return { ok: true, state, retryCount: failures, nextAttemptAt };
    });
  }

  /**
   * Expires every claim whose owner is stale: a dead pid on this host at once, any owner after
   * the stale threshold without a heartbeat. Each stale claim is marked once: it becomes a
   * failed attempt (or poisoned) and its owner's later writes are refused.
   */
  sweepStale(): SweptClaim[] {
    return this.transaction(() => {
      const now = this.options.clock.now();
      const claimed = this.sql(`${SELECT_TASK} WHERE state = 'claimed'`).all() as TaskRow[];
      const swept: SweptClaim[] = [];
      for (const row of claimed) {
        const cause = this.staleCause(row, now);
        if (!cause) continue;
        const state = this.expire(row, cause, now);
        swept.push({
          taskId: row.id,
          ownerId: row.owner_id!,
          epoch: row.epoch,
          cause,
          state,
          execPid: row.owner_host === this.options.host ? row.exec_pid : null,
          execPidStart: row.exec_pid_start,
        });
      }
      return swept;
    });
  }

  /**
   * Attempts of stale claims whose process group still runs on this host: orphans of a dead
   * (or silent) daemon. Until they are stopped their claims are not expired (see staleCause),
   * so nobody starts the task a second time meanwhile. The boards' refresh stops them.
   */
  staleExecutions(): OrphanedExecution[] {
    const now = this.options.clock.now();
    const rows = this.sql(
      `${SELECT_TASK} WHERE state = 'claimed' AND owner_host = ? AND exec_pid IS NOT NULL`,
    ).all(this.options.host) as TaskRow[];
    return rows
      .filter((row) => staleCause(row, now, this.livenessRules()) !== null && this.executionRuns(row))
      .map((row) => ({
        taskId: row.id,
        ownerId: row.owner_id!,
        pid: row.exec_pid!,
        pidStart: row.exec_pid_start,
      }));
  }

  /** Whether the task may be attempted now, and if not, why (and for how long). */
  shouldRetry(taskId: string): RetryAdvice {
    const row = this.row(taskId);
    if (!row) return { retry: true, reason: 'never attempted' };
    const now = this.options.clock.now();
    if (row.state === 'claimed' && !row.ignored && this.staleCause(row, now)) {
      return { retry: true, reason: `owner ${row.owner_id} is stale (${this.staleCause(row, now)})` };
    }
    const refusal = this.explain(row, now);
    return refusal ? { retry: false, ...refusal } : { retry: true, reason: 'claimable' };
  }

  setIgnored(taskId: string, reason: string, actor?: string): void {
    this.transaction(() => {
      const now = this.options.clock.now();
      this.sql(
        `INSERT INTO tasks (id, ignored, ignore_reason, created_at, updated_at) VALUES (?, 1, ?, ?, ?)
           ON CONFLICT(id) DO UPDATE SET ignored = 1, ignore_reason = excluded.ignore_reason, updated_at = excluded.updated_at`,
      ).run(taskId, reason, now, now);
      this.events.append({ type: 'ignored', taskId, ownerId: actor ?? null, data: { reason } });
    });
  }

  clearIgnored(taskId: string, actor?: string): boolean {
    return this.transaction(() => {
      const changed = this.sql(
        'UPDATE tasks SET ignored = 0, ignore_reason = NULL, updated_at = ? WHERE id = ? AND ignored = 1',
      ).run(this.options.clock.now(), taskId).changes;
      if (changed) this.events.append({ type: 'unignored', taskId, ownerId: actor ?? null });
      return changed > 0;
    });
  }

  /**
   * Makes a failed or poisoned task ready again with a fresh retry budget (and a done one,
   * with `includeDone`). A claimed task is left alone: its owner is still working on it.
   */
  reset(taskId: string, options: { includeDone?: boolean; actor?: string } = {}): boolean {
    return this.transaction(() => {
      const states = options.includeDone ? "('failed', 'poisoned', 'done')" : "('failed', 'poisoned')";
      // A ready task is reset only if it has spent part of its retry budget.
      const changed = this.sql(
        `UPDATE tasks SET state = 'ready', retry_count = 0, next_attempt_at = 0, updated_at = ?
           WHERE id = ? AND (state IN ${states} OR (state = 'ready' AND retry_count > 0))`,
      ).run(this.options.clock.now(), taskId).changes;
      if (changed) this.events.append({ type: 'reset', taskId, ownerId: options.actor ?? null });
      return changed > 0;
    });
  }

  stats(): {
    byState: Record<TaskState, number>;
    ignored: number;
    retries: number;
    owners: number;
    events: number;
  } {
    const byState: Record<TaskState, number> = { ready: 0, claimed: 0, done: 0, failed: 0, poisoned: 0 };
    const rows = this.sql('SELECT state, COUNT(*) AS n FROM tasks GROUP BY state').all() as {
      state: TaskState;
      n: number;
    }[];
    for (const r of rows) byState[r.state] = r.n;
    const totals = this.sql(
      'SELECT COALESCE(SUM(ignored), 0) AS ignored, COALESCE(SUM(retry_count), 0) AS retries FROM tasks',
    ).get() as { ignored: number; retries: number };
    const owners = (this.sql('SELECT COUNT(*) AS n FROM owners').get() as { n: number }).n;
    const events = (this.sql('SELECT COUNT(*) AS n FROM events').get() as { n: number }).n;
    return { byState, ...totals, owners, events };
  }

  private row(taskId: string): TaskRow | undefined {
    return this.sql(`${SELECT_TASK} WHERE id = ?`).get(taskId) as TaskRow | undefined;
  }

  /**
   * Why a claim may be expired, or null while it may not: its owner is live — or its owner is
   * gone but the attempt it started still runs here (an orphan is stopped first, by
   * `staleExecutions` and the reaper, never run beside a second execution).
   */
  private staleCause(row: TaskRow, now: number): SweptClaim['cause'] | null {
    const cause = staleCause(row, now, this.livenessRules());
    return cause !== null && this.executionRuns(row) ? null : cause;
  }

  private livenessRules() {
    return {
      host: this.options.host,
      staleThresholdMs: this.options.policy.staleThresholdMs,
      isAlive: this.isAlive,
    };
  }

  /** Whether the claim's attempt recorded a process group on this host that still has members. */
  private executionRuns(row: TaskRow): boolean {
    return (
      row.owner_host === this.options.host &&
      row.exec_pid !== null &&
      this.isGroupAlive(row.exec_pid, row.exec_pid_start)
    );
  }

  /** Turns a stale claim into a failed attempt (no backoff: the silence already cost time). */
  private expire(row: TaskRow, cause: SweptClaim['cause'], now: number): TaskState {
    const failures = row.retry_count + 1;
    const state: TaskState = failures >= this.options.policy.maxRetries ? 'poisoned' : 'failed';
    this.sql(
      `UPDATE tasks SET state = ?, retry_count = ?, next_attempt_at = ?, released_at = ?,
           last_outcome = 'stale', last_error = ?, updated_at = ? WHERE id = ? AND token = ?`,
    ).run(state, failures, now, now, `owner ${row.owner_id} stale: ${cause}`, now, row.id, row.token);
    const base = { taskId: row.id, ownerId: row.owner_id, epoch: row.epoch };
    this.events.append({ ...base, type: 'swept', data: { cause, retryCount: failures } });
    if (state === 'poisoned')
      this.events.append({ ...base, type: 'poisoned', data: { retryCount: failures } });
    return state;
  }

  private explain(row: TaskRow, now: number): Refusal | null {
    return refusalFor(row, now, this.options.policy.maxRetries, () => this.pendingDeps(row.id));
  }

  pendingDeps(taskId: string): string[] {
    const rows = this.sql(
      `SELECT d.dep_id AS id FROM task_deps d LEFT JOIN tasks dep ON dep.id = d.dep_id
         WHERE d.task_id = ? AND dep.state IS NOT 'done' ORDER BY d.dep_id`,
    ).all(taskId) as { id: string }[];
    return rows.map((r) => r.id);
  }
}
