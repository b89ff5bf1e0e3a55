/**
 * GET /tasks/:id/log (`?stderr=1`): the last lines of the task's latest attempt's output, when
 * its artifacts are on this machine. The text is agent output — untrusted: the source strips
 * escape sequences and the page escapes the rest. While the attempt runs the page fetches
 * itself again every 2 s (a log grows without writing events, so the status stream is silent).
 */
import type { Hono } from 'hono';
import { Html, html } from './html.js';
import { layout } from './layout.js';

export type LogStream = 'stdout' | 'stderr';

export interface LogTail {
  taskId: string;
  epoch: number;
  attempt: number | null;
  /** As `codex-monitor logs --json` says: running, completed, failed, … */
  outcome: string;
  stream: LogStream;
  /** The last lines, escape sequences and control characters removed; still untrusted text. */
  lines: string[];
  /** Earlier output was left out. */
  truncated: boolean;
  /** The file does not exist (yet): nothing written. */
  empty: boolean;
}

export interface LogSource {
  /** Whether the running attempt of `taskId` writes its log on this machine (the fleet page links it). */
  here(taskId: string): boolean;
  /** The latest attempt's tail, or why its log is not here. */
  tail(taskId: string, stream: LogStream): LogTail | { absent: string };
}

/** The fleet page's link to a task's live log (stdout, and stderr beside it). */
export function logLinks(taskId: string): Html {
  const base = `/tasks/${encodeURIComponent(taskId)}/log`;
  return html`<a href="${base}" data-testid="log-link">log</a> (<a href="${base}?stderr=1">stderr</a>)`;
}

const REFRESH = `setInterval(async()=>{const m=document.querySelector('main');if(!m||m.dataset.running!=='true')return;const r=await fetch(location.href,{headers:{accept:'text/html'}});if(!r.ok)return;const d=new DOMParser().parseFromString(await r.text(),'text/html');const n=d.querySelector('main');if(n)m.replaceWith(n)},2000);`;

export function logPage(tail: LogTail): string {
  const other = tail.stream === 'stdout' ? 'stderr' : 'stdout';
  const base = `/tasks/${encodeURIComponent(tail.taskId)}`;
  const running = tail.outcome === 'running';
  const body = html`<main data-running="${running}" data-testid="log-view"><h1>${tail.stream} of <a href="${base}">${tail.taskId}</a></h1>
<p class="muted">attempt ${tail.attempt ?? '?'} (epoch ${tail.epoch}) · ${tail.outcome}${running ? ' · updating every 2 s' : ''} · <a href="${base}/log${other === 'stderr' ? '?stderr=1' : ''}">${other}</a></p>
${tail.empty ? html`<p class="muted" data-testid="log-empty">nothing written yet</p>` : ''}${tail.truncated ? html`<p class="muted">… earlier output left out (the whole log: codex-monitor logs ${tail.taskId})</p>` : ''}<pre data-testid="log-lines" style="white-space:pre-wrap;background:#f6f6f6;padding:.5rem">${tail.lines.join('\n')}</pre></main>
<script>${new Html(REFRESH)}</script>`;
  return layout(`codex-monitor ${tail.taskId} ${tail.stream}`, body);
}

export function mountLogs(app: Hono, source: LogSource): void {
  app.get('/tasks/:id/log', (c) => {
    const id = c.req.param('id');
    const stderr = c.req.query('stderr');
    const stream: LogStream =
      stderr !== undefined && stderr !== '0' && stderr !== 'false' ? 'stderr' : 'stdout';
    const tail = source.tail(id, stream);
    if ('absent' in tail) return c.json({ error: 'NOT_FOUND', reason: tail.absent }, 404);
    return c.html(logPage(tail));
  });
}
