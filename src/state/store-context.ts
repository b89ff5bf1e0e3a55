import type { Statement } from 'better-sqlite3';
import type { Db } from './db/database.js';
import type { EventLog } from './event-log.js';
import type { StatePolicy } from './state-types.js';
import { SELECT_TASK, type TaskRow } from './tasks/task-rows.js';

/**
 * What every store operation (one file each under claims/ and tasks/) needs: the database,
 * its audit log, the policy and the injected time and liveness checks. Plain data, so an
 * operation is a function of it and a test can build one around a real SQLite file.
 */
export interface StoreContext {
  readonly db: Db;
  readonly events: EventLog;
  readonly policy: StatePolicy;
  /** This machine's host name: pids are only checked for owners on the same host. */
  readonly host: string;
  now(): number;
  isAlive(pid: number, pidStart: number | null): boolean;
  /** Whether an attempt's process group (leader pid and its start) still has live members. */
  isGroupAlive(pgid: number, leaderStart: number | null): boolean;
  random(): number;
  /** A prepared statement, compiled once per SQL text: preparing costs more than running. */
  sql(text: string): Statement;
  /** Runs `fn` as one IMMEDIATE transaction: it holds the write lock from its first statement. */
  transaction<T>(fn: () => T): T;
}

/** Caches prepared statements per SQL text for one database. */
export function statementCache(db: Db): (text: string) => Statement {
  const statements = new Map<string, Statement>();
  return (text) => {
    let statement = statements.get(text);
    if (!statement) {
      statement = db.prepare(text);
      statements.set(text, statement);
    }
    return statement;
  };
}

export function readRow(ctx: StoreContext, taskId: string): TaskRow | undefined {
  return ctx.sql(`${SELECT_TASK} WHERE id = ?`).get(taskId) as TaskRow | undefined;
}
