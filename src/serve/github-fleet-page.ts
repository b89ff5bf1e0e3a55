import { duration, type Html, html } from './html.js';

/**
 * The part of `status --json` on a ledger board (the ledger core's FleetView: GitHub, Jira) the
 * fleet page draws. A structural copy: src/serve does not depend on the boards; a field renamed
 * there shows as an empty table here, and the JSON API keeps the whole document.
 */
export interface GitHubFleetDoc {
  board?: string;
  repository: string;
  /** Jira: the key of each chain number the document mentions. */
  keys?: Record<string, string>;
  generatedAt: string;
  unreadable?: string;
  owners?: {
    id: string;
    heartbeat: { bound: string; ageMs: number };
    running: number[] | null;
    liveness: string;
  }[];
  held?: {
    issue: number;
    title: string;
    owner: string;
    since: string | null;
    ownerLiveness: string;
    byHandUntil?: string;
  }[];
  queue?: { issue: number; title: string; priority: number; recover: boolean }[];
  blocked?: { issue: number; title: string; waitingOn: { issue: number; pr: number | null }[] }[];
  backingOff?: { issue: number; title: string; retries: number; until: string }[];
  poisoned?: { issue: number; title: string; retries: number; reason: string | null }[];
}

type Table = (headers: string[], rows: Html[][]) => Html;
const cell = (value: unknown) => html`${value}`;

/**
 * How the page names a task, and the local task id it links to: GitHub `#12` → /tasks/12 (its
 * ledger chain, and what this workstation ran of it; the store names it `owner/repo#12`); Jira
 * `OPS-12` → the task `jira:OPS-12` of this workstation's store.
 */
function naming(doc: GitHubFleetDoc) {
  const key = (n: number) => doc.keys?.[String(n)];
  const name = (n: number) => key(n) ?? `#${n}`;
  const taskId = (n: number) => (key(n) ? `jira:${key(n)}` : `${doc.repository}#${n}`);
  const link = (n: number) => (key(n) ? encodeURIComponent(taskId(n)) : String(n));
  return { name, taskId, issue: (n: number) => html`<a href="/tasks/${link(n)}">${name(n)}</a>` };
}
const age = (h: { bound: string; ageMs: number }) =>
  `${h.bound === 'at-least' ? '≥' : h.bound === 'at-most' ? '≤' : '≥'}${duration(h.ageMs)}`;

/** The fleet page's body on a ledger board: what the ledger and the board's issues show. */
export function githubFleetBody(doc: GitHubFleetDoc, table: Table, log?: (taskId: string) => Html): Html {
  if (doc.unreadable) {
    const from = doc.board === 'jira' ? 'Jira and the ledger' : 'GitHub';
    return html`<h1>Fleet of ${doc.repository}</h1><p>The fleet could not be read from ${from}: ${doc.unreadable}</p>`;
  }
  const { name, taskId, issue } = naming(doc);
  return html`<h1>Fleet of ${doc.repository}</h1>
<p class="muted">at ${doc.generatedAt}</p>
<h2>Owners</h2>${table(
    ['owner', 'heartbeat age', 'runs', 'liveness'],
    (doc.owners ?? []).map((o) => [
      cell(o.id),
      cell(age(o.heartbeat)),
      cell((o.running ?? []).map(name).join(', ')),
      cell(o.liveness),
    ]),
  )}
<h2>Running</h2>${table(
    ['issue', 'title', 'owner', 'since', 'owner liveness', ...(log ? ['log'] : [])],
    (doc.held ?? []).map((t) => [
      issue(t.issue),
      cell(t.title),
      cell(t.byHandUntil ? `${t.owner} (by hand, until ${t.byHandUntil.slice(11, 16)} UTC)` : t.owner),
      cell(t.since ?? ''),
      cell(t.ownerLiveness),
      ...(log ? [log(taskId(t.issue))] : []),
    ]),
  )}
<h2>Queue (claim order)</h2>${table(
    ['issue', 'title', 'priority'],
    (doc.queue ?? []).map((t) => [
      issue(t.issue),
      cell(t.title),
      cell(t.recover ? `${t.priority} (recovery)` : t.priority),
    ]),
  )}
<h2>Blocked</h2>${table(
    ['issue', 'title', 'waits on'],
    (doc.blocked ?? []).map((t) => [
      issue(t.issue),
      cell(t.title),
      cell(t.waitingOn.map((w) => `${name(w.issue)}${w.pr ? ` (PR #${w.pr})` : ''}`).join(', ')),
    ]),
  )}
<h2>Backing off</h2>${table(
    ['issue', 'title', 'failures', 'until'],
    (doc.backingOff ?? []).map((t) => [issue(t.issue), cell(t.title), cell(t.retries), cell(t.until)]),
  )}
<h2>Poisoned</h2>${table(
    ['issue', 'title', 'failures', 'reason'],
    (doc.poisoned ?? []).map((t) => [issue(t.issue), cell(t.title), cell(t.retries), cell(t.reason ?? '')]),
  )}`;
}
