import type { StatusReport } from '../state/status-report.js';
import { type GitHubFleetDoc, githubFleetBody } from './github-fleet-page.js';
import { duration, html } from './html.js';
import { layout, table } from './layout.js';
import { ledgerSection } from './ledger-section.js';
import { logLinks } from './log-routes.js';
import type { TaskDetail } from './task-detail.js';

/** What the fleet page shows: the status document and, on the local board, the queue. */
export interface FleetPageData {
  status: unknown;
  queue: { id: string; title: string; priority: number }[];
  /** Whether a running task's log is on this machine (then the row links its live tail). */
  logHere?: (taskId: string) => boolean;
}

const taskLink = (id: string) => html`<a href="/tasks/${encodeURIComponent(id)}">${id}</a>`;

const cell = (value: unknown) => html`${value}`;
/** A running task's log links when its log is here; on another workstation, said so. */
const logCell = (data: FleetPageData) => (id: string) =>
  data.logHere?.(id) ? logLinks(id) : html`<span class="muted">not on this machine</span>`;

/** The fleet page: owners, running attempts, queue, blocked, backoffs, poisoned. */
export function fleetPage(data: FleetPageData): string {
  const status = data.status as Partial<StatusReport> & { board?: string };
  if (status.board === 'github' || status.board === 'jira') {
    return layout(
      'codex-monitor fleet',
      html`<main>${githubFleetBody(status as unknown as GitHubFleetDoc, table, logCell(data))}</main>`,
    );
  }
  const r = status as StatusReport;
  const body = html`<main><h1>Fleet</h1>
<p class="muted">at ${new Date(r.generatedAt).toISOString()}</p>
<h2>Owners</h2>${table(
    ['owner', 'host', 'agent', 'heartbeat age', 'live'],
    r.owners.map((o) => [
      cell(o.id),
      cell(o.host),
      cell(o.agent ?? '(any)'),
      cell(duration(o.silentMs)),
      cell(o.live ? 'yes' : 'no'),
    ]),
  )}
<h2>Running</h2>${table(
    ['task', 'title', 'owner', 'attempt', 'elapsed', 'log'],
    r.running.map((t) => [
      taskLink(t.id),
      cell(t.title),
      // cell() escapes: the owner id is data, as is everything else in a row.
      cell(t.leaseLeftMs === null ? t.owner : `${t.owner} (by hand, ${duration(t.leaseLeftMs)} left)`),
      cell(t.attempt),
      cell(duration(t.runningForMs)),
      logCell(data)(t.id),
    ]),
  )}
<h2>Queue (claim order)</h2>${table(
    ['task', 'title', 'priority'],
    data.queue.map((t) => [taskLink(t.id), cell(t.title), cell(t.priority)]),
  )}
<h2>Blocked</h2>${table(
    ['task', 'waits on'],
    r.blocked.map((t) => [
      taskLink(t.id),
      html`${t.waitingOn.map((d, i) => html`${i ? ', ' : ''}${taskLink(d)}`)}`,
    ]),
  )}
<h2>Backing off</h2>${table(
    ['task', 'failures', 'retry at', 'last error'],
    r.backingOff.map((t) => [
      taskLink(t.id),
      cell(t.retryCount),
      cell(new Date(r.generatedAt + t.retryInMs).toISOString()),
      cell(t.lastError ?? ''),
    ]),
  )}
<h2>Poisoned</h2>${table(
    ['task', 'failures', 'last error'],
    r.poisoned.map((t) => [taskLink(t.id), cell(t.retryCount), cell(t.lastError ?? '')]),
  )}
</main>`;
  return layout('codex-monitor fleet', body);
}

/** The task page: the task, its attempts, its history; action forms when actions are allowed. */
export function taskPage(detail: TaskDetail, actions: { csrf: string } | null): string {
  const t = detail.task;
  const chain = detail.ledger;
  const form = (id: string, action: string) =>
    html`<form method="post" action="/api/tasks/${encodeURIComponent(id)}/${action}"><input type="hidden" name="csrf" value="${actions?.csrf}"><button>${action}</button></form> `;
  const id = t?.id ?? (chain ? (chain.key ?? `${chain.repository}#${chain.issue}`) : '');
  const head = t
    ? html`<h1>${t.id}: ${t.title}</h1>
<p>state <b>${t.state}</b>${t.ignored ? html` · ignored (${t.ignoreReason ?? ''})` : ''} · failures ${t.retryCount}${t.lastError ? html` · last error: ${t.lastError}` : ''}</p>
${t.hand && t.leaseUntil !== null ? html`<p data-testid="task-hand">held by ${t.ownerId ?? ''}, by hand, until ${new Date(t.leaseUntil).toISOString()}</p>` : ''}
${actions ? html`<p>${form(t.id, 'retry')}${form(t.id, t.ignored ? 'unignore' : 'ignore')}</p>` : ''}`
    : html`<h1>${id}: ${chain?.title ?? '(title not read yet)'}</h1>
<p class="muted">No daemon of this workstation has run this issue: the ledger chain below is its history.</p>`;
  const body = html`<main>${head}
${detail.pullRequest ? html`<p data-testid="task-pr">pull request <a href="${detail.pullRequest.url}">#${detail.pullRequest.number}</a></p>` : ''}
${chain ? ledgerSection(chain, table) : ''}
<h2>Attempts</h2>${table(
    ['epoch', 'owner', 'started', 'outcome', 'duration'],
    detail.attempts.map((a) => [
      cell(a.epoch ?? ''),
      cell(a.ownerId ?? ''),
      cell(new Date(a.startedAt).toISOString()),
      cell(a.outcome ?? 'running'),
      cell(a.durationMs === null ? '' : duration(a.durationMs)),
    ]),
  )}
<h2>History</h2>${table(
    ['at', 'event', 'owner', 'epoch', 'data'],
    detail.events.map((e) => [
      cell(new Date(e.at).toISOString()),
      cell(e.type),
      cell(e.ownerId ?? ''),
      cell(e.epoch ?? ''),
      cell(Object.keys(e.data).length ? JSON.stringify(e.data) : ''),
    ]),
  )}
</main>`;
  return layout(`codex-monitor ${id}`, body);
}
