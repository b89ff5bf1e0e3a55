/**
 * The charts page: each chart a <section> with a stable id (= its data-testid), the SVG, a
 * caption saying where the numbers come from, and a table of the same numbers.
 */

import type { ChartData, GitHubBudget } from './chart-data.js';
import { CHART_OUTCOMES, type ChartOutcome } from './chart-data.js';
import { duration, type Html, html } from './html.js';
import { layout, table } from './layout.js';
import { barChart, hbarChart, lineChart, niceDurationMax, type Series } from './svg-charts.js';

const COLORS: Record<ChartOutcome, string> = {
  completed: '#228833',
  failed: '#ee6677',
  abandoned: '#ccbb44',
  fenced: '#aa3377',
  'self-fenced': '#66ccee',
  poisoned: '#222222',
};
const WINDOWS = [6, 24, 72, 168];

const iso = (ms: number) => new Date(ms).toISOString();
const cell = (value: unknown) => html`${value}`;
/** An hour's label: `14:00` in a day's window, `11-30 14:00` in a longer one (UTC). */
const hourLabel = (hours: number) => (ms: number) =>
  iso(ms)
    .slice(hours > 24 ? 5 : 11, 16)
    .replace('T', ' ');
const ms = (v: number) => duration(v);

function section(id: string, title: string, caption: string, chart: Html, numbers: Html): Html {
  return html`<section id="${id}" data-testid="${id}"><h2>${title}</h2>${chart}
<p class="muted">${caption}</p><details><summary>the numbers</summary>${numbers}</details></section>`;
}

export function chartsPage(data: ChartData): string {
  const { window, hours } = data;
  const label = hourLabel(window.hours);
  const categories = hours.map((h) => label(h.start));
  const total = (o: ChartOutcome) => hours.reduce((sum, h) => sum + h.outcomes[o], 0);
  const completions = section(
    'chart-completions',
    'Completions per hour',
    `Attempts completed per hour, ${total('completed')} in the last ${window.hours} h, from this workstation's event log (times in UTC).`,
    barChart({
      label: `Completions per hour over the last ${window.hours} hours: ${total('completed')} in all`,
      categories,
      series: [
        { name: 'completed', color: COLORS.completed, values: hours.map((h) => h.outcomes.completed) },
      ],
      yLabel: 'completed',
    }),
    table(
      ['hour (UTC)', 'completed'],
      hours.map((h) => [cell(iso(h.start)), cell(h.outcomes.completed)]),
    ),
  );
  const series: Series[] = CHART_OUTCOMES.map((o) => ({
    name: o,
    color: COLORS[o],
    values: hours.map((h) => h.outcomes[o]),
  }));
  const outcomes = section(
    'chart-outcomes',
    'Outcomes per hour',
    'How attempts ended each hour (self-fenced: an attempt that stopped itself when its heartbeat lapsed), and tasks poisoned (out of retries).',
    barChart({
      label: `Outcomes per hour over the last ${window.hours} hours: ${CHART_OUTCOMES.map((o) => `${total(o)} ${o}`).join(', ')}`,
      categories,
      series,
      yLabel: 'attempts',
    }),
    table(
      ['hour (UTC)', ...CHART_OUTCOMES],
      hours.map((h) => [cell(iso(h.start)), ...CHART_OUTCOMES.map((o) => cell(h.outcomes[o]))]),
    ),
  );
  const durations = section(
    'chart-durations',
    'Attempt durations (p50 / p95)',
    'Percentiles (nearest rank) of the attempts that ended each hour, from start to end; an attempt that started before the window counts in the hour it ended.',
    lineChart({
      label: `Attempt duration percentiles per hour over the last ${window.hours} hours`,
      domain: [window.from, window.from + window.hours * 3_600_000],
      x: hours.map((h) => h.start + 1_800_000),
      xFormat: label,
      series: [
        { name: 'p50', color: '#4477aa', values: hours.map((h) => h.durations.p50Ms) },
        { name: 'p95', color: '#ee6677', values: hours.map((h) => h.durations.p95Ms) },
      ],
      yLabel: 'duration',
      yFormat: ms,
      yNice: niceDurationMax,
    }),
    table(
      ['hour (UTC)', 'attempts', 'p50', 'p95'],
      hours.map((h) => [
        cell(iso(h.start)),
        cell(h.durations.count),
        cell(h.durations.p50Ms === null ? '' : ms(h.durations.p50Ms)),
        cell(h.durations.p95Ms === null ? '' : ms(h.durations.p95Ms)),
      ]),
    ),
  );
  const q = data.queueDepth;
  const queue = section(
    'chart-queue',
    'Queue depth',
    `Tasks ready to be claimed, sampled in memory by this server when the board changed while someone watched, or when this page was read — not kept across restarts${q.sampledSince === null ? '' : `; sampling since ${iso(q.sampledSince)}`}.`,
    lineChart({
      label: `Queue depth samples over the last ${window.hours} hours: ${q.samples.length} samples`,
      domain: [window.from, window.to],
      x: q.samples.map((s) => s.at),
      xFormat: (v) => iso(v).slice(11, 16),
      series: [{ name: 'ready', color: '#4477aa', values: q.samples.map((s) => s.depth) }],
      yLabel: 'tasks',
    }),
    table(
      ['at', 'ready'],
      q.samples.map((s) => [cell(iso(s.at)), cell(s.depth)]),
    ),
  );
  const windows = html`<p>window: ${WINDOWS.map(
    (h) => html`${h === window.hours ? html`<b>${h} h</b>` : html`<a href="/charts?hours=${h}">${h} h</a>`} `,
  )}</p>`;
  const body = html`<main><h1>Charts</h1>
<p class="muted">from ${iso(window.from)} to ${iso(window.to)}</p>${windows}
${completions}${outcomes}${durations}${queue}${data.github ? githubSections(data.github) : ''}</main>`;
  return layout('codex-monitor charts', body);
}

function githubSections(g: GitHubBudget): Html {
  const budget = section(
    'chart-github-budget',
    'GitHub rate-limit budget remaining',
    "Requests left in each resource's window (primary rate limit), as GitHub's last answer to this process said. Secondary limits publish no budget: their waits are counted below.",
    hbarChart(
      'GitHub requests remaining per rate-limit resource',
      g.rateLimits.map((r) => ({
        label: r.resource,
        value: r.remaining,
        of: r.limit,
        text: r.limit === null ? `${r.remaining}` : `${r.remaining} / ${r.limit}`,
      })),
      '#228833',
    ),
    table(
      ['resource', 'remaining', 'limit'],
      g.rateLimits.map((r) => [cell(r.resource), cell(r.remaining), cell(r.limit ?? '')]),
    ),
  );
  const routes = section(
    'chart-github-routes',
    'GitHub requests by route',
    'Requests this process made since it started, by route template (304: answered from the ETag cache, free of budget).',
    hbarChart(
      'GitHub requests by route',
      g.requestsByRoute.map((r) => ({ label: r.route, value: r.total })),
    ),
    table(
      ['route', 'requests', '304', 'failed'],
      g.requestsByRoute.map((r) => [cell(r.route), cell(r.total), cell(r.notModified), cell(r.failed)]),
    ),
  );
  const waits = html`<section id="github-limit-waits" data-testid="github-limit-waits"><h2>Rate-limit waits</h2>${table(
    ['kind', 'waits'],
    g.limitWaits.map((w) => [cell(w.kind), cell(w.count)]),
  )}</section>`;
  return html`${budget}${routes}${waits}`;
}
