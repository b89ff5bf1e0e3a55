/**
 * `/api/tasks/:id` and the task page on Jira: what this workstation's store knows of the issue
 * (its events and attempts, when a daemon here ran it) plus the ledger chain in the Jira
 * namespace, read once per request. The id is the store's (`jira:OPS-12`) or the key (`OPS-12`).
 */
import type { JiraHistoryReader } from '../../boards/jira/index.js';
import { readTaskDetail, type TaskDetail } from '../../serve/task-detail.js';
import type { SharedState } from '../../state/shared-state.js';
import { historyDoc } from './github-task.js';

/** The Jira key `id` names (upper case), or null (not a Jira issue key). */
export function jiraKeyOf(id: string): string | null {
  const m = /^(?:jira:)?([A-Za-z][A-Za-z0-9_]*-[1-9][0-9]{0,15})$/.exec(id.trim());
  return m ? m[1]!.toUpperCase() : null;
}

/** null when the issue is unknown everywhere: no row here, and not listed by the fleet reader. */
export async function jiraTaskDetail(
  store: SharedState,
  jira: { site: string; history: JiraHistoryReader },
  id: string,
): Promise<TaskDetail | null> {
  const key = jiraKeyOf(id);
  if (key === null) return readTaskDetail(store, id);
  const local = readTaskDetail(store, `jira:${key}`);
  const found = await jira.history(key);
  if (!found) return local;
  return {
    task: local?.task ?? null,
    events: local?.events ?? [],
    attempts: local?.attempts ?? [],
    pullRequest: local?.pullRequest ?? null,
    ledger: { ...historyDoc(jira.site, found.title, found.chain), key },
  };
}
