/**
 * The task page's ledger chain on GitHub and Jira. Every value was written by whoever may push refs:
 * it goes through `html` (escaped) like any other text, and an unreadable commit is shown as
 * one — its first line, escaped — rather than failing the page.
 */
import { type Html, html } from './html.js';
import type { LedgerHistoryDoc } from './task-detail.js';

type Table = (headers: string[], rows: Html[][]) => Html;

export function ledgerSection(chain: LedgerHistoryDoc, table: Table): Html {
  const rows = chain.records.map((r) =>
    r.unreadable !== null
      ? [html`${r.sha.slice(0, 12)}`, html`<i>unreadable</i>`, html``, html``, html``, html`${r.unreadable}`]
      : [
          html`${r.sha.slice(0, 12)}`,
          html`${r.kind ?? ''}`,
          html`${r.epoch ?? ''}`,
          html`${r.owner ?? ''}`,
          html`${r.at ?? ''}`,
          html`${[r.outcome, r.pr === null ? null : `PR #${r.pr}`, r.reason].filter((x) => x !== null).join(' · ')}`,
        ],
  );
  // The caption follows the table: readers (and the browser tests) find a table right under its heading.
  return html`<h2>Ledger chain</h2>${table(['commit', 'kind', 'epoch', 'owner', 'at', 'outcome / PR / reason'], rows)}
<p class="muted">The records of ${chain.key ?? `${chain.repository}#${chain.issue}`} in the claim ledger, oldest first${chain.truncated ? ' (older records not shown)' : ''}; times are each writer's clock.</p>`;
}
