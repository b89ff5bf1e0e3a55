import { OwnerCollisionError } from '../core/errors.js';
import type { OwnerIdentity } from '../core/task.js';
import type { Db } from './db/database.js';
import type { EventLog } from './event-log.js';

export interface OwnerView {
  id: string;
  host: string;
  pid: number;
  agent: string | null;
  startedAt: number;
  heartbeatAt: number;
  /** Milliseconds since the last heartbeat. */
  silentMs: number;
  /** False when the pid is dead (same host) or it has been silent past the owner TTL. */
  live: boolean;
}

interface OwnerRow {
  id: string;
  host: string;
  pid: number;
  pid_start: number | null;
  agent: string | null;
  started_at: number;
  heartbeat_at: number;
}

interface RegistryOptions {
  host: string;
  ttlMs: number;
  now: () => number;
  isAlive: (pid: number, pidStart: number | null) => boolean;
}

/**
 * Daemons registered on this workstation. Registration refuses an owner id that a live
 * daemon already uses: two daemons under one id would renew each other's claims.
 * Callers run these inside the state manager's transactions.
 */
export class OwnerRegistry {
  constructor(
    private readonly db: Db,
    private readonly events: EventLog,
    private readonly options: RegistryOptions,
  ) {}

  register(owner: OwnerIdentity, agent: string | null): void {
    this.db
      .transaction(() => {
        const now = this.options.now();
        const existing = this.db.prepare('SELECT * FROM owners WHERE id = ?').get(owner.id) as
          | OwnerRow
          | undefined;
        if (
          existing &&
          !(existing.host === owner.host && existing.pid === owner.pid) &&
          this.isLive(existing, now)
        ) {
          throw new OwnerCollisionError(owner.id, `pid ${existing.pid} on ${existing.host}`);
        }
        this.db
          .prepare(
            `INSERT INTO owners (id, host, pid, pid_start, agent, started_at, heartbeat_at) VALUES (?, ?, ?, ?, ?, ?, ?)
             ON CONFLICT(id) DO UPDATE SET host = excluded.host, pid = excluded.pid, pid_start = excluded.pid_start,
               agent = excluded.agent, started_at = excluded.started_at, heartbeat_at = excluded.heartbeat_at`,
          )
          .run(owner.id, owner.host, owner.pid, owner.pidStart, agent, now, now);
        this.events.append({
          type: 'owner-registered',
          ownerId: owner.id,
          data: { host: owner.host, pid: owner.pid },
        });
      })
      .immediate();
  }

  /** Records a heartbeat; fails (returns false) if another process has taken the id over. */
  touch(owner: OwnerIdentity, now: number): boolean {
    const changed = this.db
      .prepare('UPDATE owners SET heartbeat_at = ? WHERE id = ? AND host = ? AND pid = ?')
      .run(now, owner.id, owner.host, owner.pid).changes;
    return changed > 0;
  }

  unregister(owner: OwnerIdentity): void {
    this.db
      .transaction(() => {
        const changed = this.db
          .prepare('DELETE FROM owners WHERE id = ? AND host = ? AND pid = ?')
          .run(owner.id, owner.host, owner.pid).changes;
        if (changed) this.events.append({ type: 'owner-unregistered', ownerId: owner.id });
      })
      .immediate();
  }

  list(): OwnerView[] {
    const now = this.options.now();
    const rows = this.db.prepare('SELECT * FROM owners ORDER BY id').all() as OwnerRow[];
    return rows.map((r) => ({
      id: r.id,
      host: r.host,
      pid: r.pid,
      agent: r.agent,
      startedAt: r.started_at,
      heartbeatAt: r.heartbeat_at,
      silentMs: now - r.heartbeat_at,
      live: this.isLive(r, now),
    }));
  }

  /** Forgets owners that are dead or silent past the TTL; returns their ids. */
  prune(): string[] {
    const now = this.options.now();
    const gone = (this.db.prepare('SELECT * FROM owners').all() as OwnerRow[]).filter(
      (r) => !this.isLive(r, now),
    );
    const del = this.db.prepare('DELETE FROM owners WHERE id = ? AND pid = ?');
    for (const r of gone) del.run(r.id, r.pid);
    return gone.map((r) => r.id);
  }

  private isLive(row: OwnerRow, now: number): boolean {
    if (row.host === this.options.host && !this.options.isAlive(row.pid, row.pid_start)) return false;
    return now - row.heartbeat_at < this.options.ttlMs;
  }
}
