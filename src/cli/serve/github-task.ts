/**
 * `/api/tasks/:id` and the task page on GitHub: what this workstation's store knows of the issue
 * (its events and attempts, when a daemon here ran it) plus the issue's ledger chain, read once
 * per request. The id is the store's (`owner/repo#12`), `#12` or `12`.
 */
import type { ChainHistory } from '../../boards/github/ledger/index.js';
import { type LedgerHistoryDoc, readTaskDetail, type TaskDetail } from '../../serve/task-detail.js';
import type { SharedState } from '../../state/shared-state.js';
import type { IssueHistoryReader } from '../open/open-fleet.js';

/** The issue number `id` names in `repository`, or null (not an issue of this board). */
export function issueOf(id: string, repository: string): number | null {
  const m = /^(?:([^#\s]+\/[^#\s]+))?#?([1-9][0-9]{0,15})$/.exec(id.trim());
  if (!m || (m[1] !== undefined && m[1].toLowerCase() !== repository.toLowerCase())) return null;
  const n = Number(m[2]);
  return Number.isSafeInteger(n) ? n : null;
}

/** null when the issue is unknown everywhere: no row here, no chain, not in the issue list. */
export async function githubTaskDetail(
  store: SharedState,
  github: { repository: string; history: IssueHistoryReader },
  id: string,
): Promise<TaskDetail | null> {
  const issue = issueOf(id, github.repository);
  if (issue === null) return readTaskDetail(store, id);
  const local = readTaskDetail(store, `${github.repository}#${issue}`);
  const { chain, title } = await github.history(issue);
  if (!local && chain.tip === null && title === null) return null;
  return {
    task: local?.task ?? null,
    events: local?.events ?? [],
    attempts: local?.attempts ?? [],
    // A pull request this workstation delivered (its release event has the link).
    pullRequest: local?.pullRequest ?? null,
    ledger: historyDoc(github.repository, title, chain),
  };
}

/** Picks the fields shown, one by one: nothing else a writer put in a record reaches the page. */
export function historyDoc(repository: string, title: string | null, chain: ChainHistory): LedgerHistoryDoc {
  return {
    repository,
    issue: chain.issue,
    title,
    truncated: chain.truncated,
    records: chain.entries.map(({ sha, record: r, summary }) => ({
      sha,
      kind: r?.kind ?? null,
      epoch: r?.epoch ?? null,
      owner: r?.owner ?? null,
      at: r ? r.at || null : null,
      outcome: r?.outcome ?? null,
      pr: r?.pr ?? null,
      reason: r?.reason ?? null,
      unreadable: r ? null : (summary ?? ''),
    })),
  };
}
