import type { Db } from './db/database.js';

/** Small durable values (ETags, cursors, cached commits) by namespace and key. */
export interface KeyValueStore {
  get(namespace: string, key: string): string | undefined;
  set(namespace: string, key: string, value: string): void;
  delete(namespace: string, key: string): void;
  /** Every key and value of a namespace. */
  entries(namespace: string): [string, string][];
}

/** The kv table of the state database. Each call is its own (autocommit) transaction. */
export class SqliteKeyValueStore implements KeyValueStore {
  private readonly getStmt;
  private readonly setStmt;
  private readonly deleteStmt;
  private readonly entriesStmt;

  constructor(
    db: Db,
    private readonly now: () => number = Date.now,
  ) {
    this.getStmt = db.prepare('SELECT value FROM kv WHERE namespace = ? AND key = ?').pluck();
    this.setStmt = db.prepare(
      `INSERT INTO kv (namespace, key, value, updated_at) VALUES (?, ?, ?, ?)
       ON CONFLICT(namespace, key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at`,
    );
    this.deleteStmt = db.prepare('DELETE FROM kv WHERE namespace = ? AND key = ?');
    this.entriesStmt = db.prepare('SELECT key, value FROM kv WHERE namespace = ? ORDER BY key').raw();
  }

  get(namespace: string, key: string): string | undefined {
    return this.getStmt.get(namespace, key) as string | undefined;
  }

  set(namespace: string, key: string, value: string): void {
    this.setStmt.run(namespace, key, value, this.now());
  }

  delete(namespace: string, key: string): void {
    this.deleteStmt.run(namespace, key);
  }

  entries(namespace: string): [string, string][] {
    return this.entriesStmt.all(namespace) as [string, string][];
  }
}

/** An in-memory store for tests and for callers without a database. */
export class MemoryKeyValueStore implements KeyValueStore {
  private readonly map = new Map<string, string>();
  get(namespace: string, key: string) {
    return this.map.get(`${namespace}\u0000${key}`);
  }
  set(namespace: string, key: string, value: string) {
    this.map.set(`${namespace}\u0000${key}`, value);
  }
  delete(namespace: string, key: string) {
    this.map.delete(`${namespace}\u0000${key}`);
  }
  entries(namespace: string): [string, string][] {
    const prefix = `${namespace}\u0000`;
    return [...this.map]
      .filter(([k]) => k.startsWith(prefix))
      .map(([k, v]): [string, string] => [k.slice(prefix.length), v])
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  }
}
