import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import type { Db } from './db/database.js';

/** Every kind of event the audit log records. */
export const EVENT_TYPES = [
  'claimed',
  'granted',
  'conflict',
  'renewed',
  'heartbeat',
  'started',
  'completed',
  'failed',
  'abandoned',
  'swept',
  'poisoned',
  'reset',
  'ignored',
  'unignored',
  'fenced',
  'claim-lost',
  'heartbeat-missed',
  'owner-registered',
  'owner-unregistered',
  'seeded',
] as const;
export type EventType = (typeof EVENT_TYPES)[number];

export interface EventRecord {
  id: number;
  at: number;
  type: EventType;
  taskId: string | null;
  ownerId: string | null;
  epoch: number | null;
  data: Record<string, unknown>;
}

export interface NewEvent {
  type: EventType;
  taskId?: string | null;
  ownerId?: string | null;
  epoch?: number | null;
  data?: Record<string, unknown>;
}

export interface EventQuery {
  taskId?: string;
  ownerId?: string;
  types?: readonly EventType[];
  /** Inclusive lower bound, wall-clock ms. */
  since?: number;
  until?: number;
  /** Only events with an id above this (for tailing). */
  afterId?: number;
  /** Only events with an id up to this (a tail reads up to the newest id it saw). */
  untilId?: number;
  limit?: number;
  /** Newest first; default oldest first. */
  newestFirst?: boolean;
}

export interface Retention {
  maxEvents: number;
  maxAgeMs: number;
}

interface EventRow {
  id: number;
  at: number;
  type: string;
  task_id: string | null;
  owner_id: string | null;
  epoch: number | null;
  data: string | null;
}

function toRecord(row: EventRow): EventRecord {
  return {
    id: row.id,
    at: row.at,
    type: row.type as EventType,
    taskId: row.task_id,
    ownerId: row.owner_id,
    epoch: row.epoch,
    data: row.data ? (JSON.parse(row.data) as Record<string, unknown>) : {},
  };
}

/**
 * The audit log. `append` is called inside the transaction of the state change it records,
 * so the log and the state never disagree.
 *
 * Retention is enforced by whoever appends: every `pruneEvery`-th row id (ids are global to
 * the database, so short-lived processes share the count) prunes in the same transaction.
 * The log therefore never holds more than `maxEvents`, however many processes append.
 */
export class EventLog {
  private readonly insert;
  private readonly deleteOlder;
  private readonly deleteUpTo;
  private readonly pruneEvery: number;

  constructor(
    private readonly db: Db,
    private readonly retention: Retention,
    private readonly now: () => number,
  ) {
    this.insert = db.prepare(
      'INSERT INTO events (at, type, task_id, owner_id, epoch, data) VALUES (?, ?, ?, ?, ?, ?)',
    );
    this.deleteOlder = db.prepare('DELETE FROM events WHERE at < ?');
    this.deleteUpTo = db.prepare('DELETE FROM events WHERE id <= ?');
    // A tenth of the bound, at most every 1,000 appends: pruning stays rare (cheap) and the
    // log stays between 90% and 100% of its bound once full.
    this.pruneEvery = Math.max(1, Math.min(1000, Math.floor(retention.maxEvents / 10)));
  }

  append(event: NewEvent): void {
    const { lastInsertRowid } = this.insert.run(
      this.now(),
      event.type,
      event.taskId ?? null,
      event.ownerId ?? null,
      event.epoch ?? null,
      event.data && Object.keys(event.data).length > 0 ? JSON.stringify(event.data) : null,
    );
    const id = Number(lastInsertRowid);
    if (id % this.pruneEvery === 0) this.prune(id);
  }

  /**
   * Deletes events beyond the retention limits; returns how many. Ids only grow, so the newest
   * `keep` events are those above `lastId - keep`: a range delete, no scan of the kept rows.
   * Pruning at id k keeps room for the appends until the next prune at k + pruneEvery.
   */
  prune(lastId = this.lastId()): number {
    const byAge = this.deleteOlder.run(this.now() - this.retention.maxAgeMs).changes;
    const keep = Math.max(1, this.retention.maxEvents - this.pruneEvery + 1);
    const byCount = this.deleteUpTo.run(lastId - keep).changes;
    return byAge + byCount;
  }

  private lastId(): number {
    return (this.db.prepare('SELECT COALESCE(MAX(id), 0) AS id FROM events').get() as { id: number }).id;
  }

  query(q: EventQuery = {}): EventRecord[] {
    const { sql, params } = selectEvents(q);
    return (this.db.prepare(sql).all(...params) as EventRow[]).map(toRecord);
  }

  /**
   * Streams matching events, one JSON object per line (`encode` shapes each), to a file (created
   * or truncated, then closed) or to a stream left open (stdout); returns the count.
   */
  async exportJsonl(
    target: string | NodeJS.WritableStream,
    q: EventQuery = {},
    encode: (event: EventRecord) => unknown = (event) => event,
  ): Promise<number> {
    const out = typeof target === 'string' ? createWriteStream(target, { flags: 'w' }) : target;
    let count = 0;
    const { sql, params } = selectEvents(q);
    // Iterate rather than load: an export of the whole log must not hold it all in memory.
    for (const row of this.db.prepare(sql).iterate(...params)) {
      if (!out.write(`${JSON.stringify(encode(toRecord(row as EventRow)))}\n`)) await once(out, 'drain');
      count++;
    }
    if (typeof target === 'string') {
      out.end();
      await once(out, 'finish');
    }
    return count;
  }

  stats(): { total: number; byType: Record<string, number>; oldest: number | null; newest: number | null } {
    const rows = this.db
      .prepare('SELECT type, COUNT(*) AS n FROM events GROUP BY type ORDER BY type')
      .all() as {
      type: string;
      n: number;
    }[];
    const span = this.db
      .prepare('SELECT MIN(at) AS oldest, MAX(at) AS newest, COUNT(*) AS total FROM events')
      .get() as {
      oldest: number | null;
      newest: number | null;
      total: number;
    };
    return { ...span, byType: Object.fromEntries(rows.map((r) => [r.type, r.n])) };
  }
}

function selectEvents(q: EventQuery): { sql: string; params: unknown[] } {
  const where: string[] = [];
  const params: unknown[] = [];
  const add = (clause: string, ...values: unknown[]) => {
    where.push(clause);
    params.push(...values);
  };
  if (q.taskId !== undefined) add('task_id = ?', q.taskId);
  if (q.ownerId !== undefined) add('owner_id = ?', q.ownerId);
  if (q.types && q.types.length > 0) add(`type IN (${q.types.map(() => '?').join(', ')})`, ...q.types);
  if (q.since !== undefined) add('at >= ?', q.since);
  if (q.until !== undefined) add('at <= ?', q.until);
  if (q.afterId !== undefined) add('id > ?', q.afterId);
  if (q.untilId !== undefined) add('id <= ?', q.untilId);
  let sql = `SELECT * FROM events ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY id ${
    q.newestFirst ? 'DESC' : 'ASC'
  }`;
  if (q.limit !== undefined) {
    sql += ' LIMIT ?';
    params.push(q.limit);
  }
  return { sql, params };
}
