/**
 * Schema of the local state database, as an append-only list of migrations keyed by
 * `PRAGMA user_version`. Never edit a shipped migration: add the next one.
 */
export const MIGRATIONS: readonly string[] = [
  `
  -- One row per task this workstation knows: the claim/lease, retry budget and ignore flag.
  -- Board definitions (title, agent, priority, payload) sit beside them, so the local
  -- board's claim is one conditional UPDATE over one table.
  CREATE TABLE tasks (
    id              TEXT PRIMARY KEY,
    source          TEXT NOT NULL DEFAULT 'local',
    title           TEXT NOT NULL DEFAULT '',
    agent           TEXT,
    priority        INTEGER NOT NULL DEFAULT 0,
    payload         TEXT,
    state           TEXT NOT NULL DEFAULT 'ready'
                    CHECK (state IN ('ready', 'claimed', 'done', 'failed', 'poisoned')),
    owner_id        TEXT,
    owner_host      TEXT,
    owner_pid       INTEGER,
    owner_pid_start INTEGER,
    token           TEXT,
    epoch           INTEGER NOT NULL DEFAULT 0,
    attempt         INTEGER NOT NULL DEFAULT 0,
    retry_count     INTEGER NOT NULL DEFAULT 0,
    claimed_at      INTEGER,
    heartbeat_at    INTEGER,
    released_at     INTEGER,
    next_attempt_at INTEGER NOT NULL DEFAULT 0,
    last_outcome    TEXT,
    last_error      TEXT,
    ignored         INTEGER NOT NULL DEFAULT 0,
    ignore_reason   TEXT,
    created_at      INTEGER NOT NULL,
    updated_at      INTEGER NOT NULL
  );
  CREATE INDEX tasks_by_state ON tasks(state, priority DESC, created_at);
  CREATE INDEX tasks_by_owner ON tasks(owner_id) WHERE state = 'claimed';

  -- task_id may not be claimed until dep_id is done.
  CREATE TABLE task_deps (
    task_id TEXT NOT NULL,
    dep_id  TEXT NOT NULL,
    PRIMARY KEY (task_id, dep_id)
  ) WITHOUT ROWID;
  CREATE INDEX task_deps_by_dep ON task_deps(dep_id);

  -- Daemons registered on this workstation (for collision checks and status).
  CREATE TABLE owners (
    id           TEXT PRIMARY KEY,
    host         TEXT NOT NULL,
    pid          INTEGER NOT NULL,
    pid_start    INTEGER,
    agent        TEXT,
    started_at   INTEGER NOT NULL,
    heartbeat_at INTEGER NOT NULL
  );

  -- The audit event log.
  CREATE TABLE events (
    id       INTEGER PRIMARY KEY AUTOINCREMENT,
    at       INTEGER NOT NULL,
    type     TEXT NOT NULL,
    task_id  TEXT,
    owner_id TEXT,
    epoch    INTEGER,
    data     TEXT
  );
  CREATE INDEX events_by_task ON events(task_id, id);
  CREATE INDEX events_by_owner ON events(owner_id, id);
  CREATE INDEX events_by_type ON events(type, id);
  CREATE INDEX events_by_time ON events(at);

  -- Small durable caches (ETags, cursors, ...) keyed by namespace and key.
  CREATE TABLE kv (
    namespace  TEXT NOT NULL,
    key        TEXT NOT NULL,
    value      TEXT NOT NULL,
    updated_at INTEGER NOT NULL,
    PRIMARY KEY (namespace, key)
  ) WITHOUT ROWID;
  `,
  `
  -- The attempt's process group on this host, so that a sweep that finds its daemon dead
  -- can stop the orphaned executor before another owner runs the task again.
  ALTER TABLE tasks ADD COLUMN exec_pid INTEGER;
  ALTER TABLE tasks ADD COLUMN exec_pid_start INTEGER;
  `,
  `
  -- Claims are named by (task, owner, epoch): the epoch grows with every claim, and on GitHub it
  -- is the ledger's, recorded here. A random token beside it named the same thing twice.
  ALTER TABLE tasks DROP COLUMN token;
  `,
  `
  -- Hand claims (a person's agent, \`codex-monitor claim\`): the lease length, and when it runs
  -- out on this machine's clock. NULL for a daemon's claim, which lives by heartbeats alone.
  ALTER TABLE tasks ADD COLUMN lease_ms INTEGER;
  ALTER TABLE tasks ADD COLUMN lease_until INTEGER;
  `,
];
