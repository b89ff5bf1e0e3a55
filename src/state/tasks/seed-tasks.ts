import type { StoreContext } from '../store-context.js';

/** A local task's definition as the DAG gives it. */
export interface TaskDefinition {
  id: string;
  title: string;
  agent: string | null;
  priority: number;
  payload: unknown;
  deps: readonly string[];
}

/**
 * Writes local task definitions: `added` are inserted ready, in the order given (rowid is the
 * scheduler's last tiebreak); `updated` get their definition and deps replaced, never their
 * claim, lease or retry columns (those belong to whoever holds the task), and never once done.
 * Runs inside the caller's transaction, which checked the whole graph first.
 */
export function writeDefinitions(
  ctx: StoreContext,
  defs: { added: readonly TaskDefinition[]; updated: readonly TaskDefinition[] },
  now: number,
): void {
  const insert = ctx.sql(
    `INSERT INTO tasks (id, source, title, agent, priority, payload, state, created_at, updated_at)
     VALUES (@id, 'local', @title, @agent, @priority, @payload, 'ready', @now, @now)`,
  );
  const update = ctx.sql(
    `UPDATE tasks SET title = @title, agent = @agent, priority = @priority, payload = @payload,
       updated_at = @now WHERE id = @id AND state != 'done'`,
  );
  const clearDeps = ctx.sql('DELETE FROM task_deps WHERE task_id = ?');
  const addDep = ctx.sql('INSERT INTO task_deps (task_id, dep_id) VALUES (?, ?)');
  const write = (list: readonly TaskDefinition[], statement: typeof insert) => {
    for (const t of list) {
      const row = { id: t.id, title: t.title, agent: t.agent, priority: t.priority, now };
      statement.run({ ...row, payload: JSON.stringify(t.payload) });
      clearDeps.run(t.id);
      for (const dep of t.deps) addDep.run(t.id, dep);
    }
  };
  write(defs.added, insert);
  write(defs.updated, update);
}
