/** The page frame every dashboard page shares (header, style, the live script) and its table. */
import { escapeHtml, type Html, html } from './html.js';

/**
 * The live part: on each `status` event the page fetches itself again and swaps its <main>
 * (the server renders every byte; the script only moves it). No build step, no library.
 */
const LIVE = `const s=new EventSource('/events/stream');s.addEventListener('status',async()=>{const r=await fetch(location.href,{headers:{accept:'text/html'}});if(!r.ok)return;const d=new DOMParser().parseFromString(await r.text(),'text/html');const m=d.querySelector('main');if(m)document.querySelector('main').replaceWith(m)});`;

export function layout(title: string, body: Html): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>body{font:14px system-ui,sans-serif;margin:1.5rem;color:#222}table{border-collapse:collapse;margin:.5rem 0 1.5rem}td,th{border-bottom:1px solid #ddd;padding:.25rem .75rem;text-align:left}h2{font-size:1.1rem;margin-top:1.5rem}.muted{color:#777}form{display:inline}</style>
</head><body><header><a href="/">codex-monitor</a> · <a href="/charts" data-testid="charts-link">charts</a></header>
${body.text}
<script>${LIVE}</script></body></html>`;
}

export function table(headers: string[], rows: Html[][]): Html {
  if (rows.length === 0) return html`<p class="muted">none</p>`;
  return html`<table><tr>${headers.map((h) => html`<th>${h}</th>`)}</tr>${rows.map(
    (r) => html`<tr>${r.map((cell) => html`<td>${cell}</td>`)}</tr>`,
  )}</table>`;
}
