/**
 * Charts as SVG rendered on the server: no client library, no build step. Every label passes
 * through the `html` template (escaped: a route or a task title is data, never markup), every
 * mark carries a `<title>` tooltip, and the picture has an aria-label; the page puts a table of
 * the same numbers under it for anyone who cannot see it.
 */
import { type Html, html } from './html.js';

const W = 640;
const H = 220;
const LEFT = 56;
const RIGHT = 24;
const TOP = 30;
const BOTTOM = 40;
const PLOT_W = W - LEFT - RIGHT;
const PLOT_H = H - TOP - BOTTOM;

export interface Series {
  name: string;
  color: string;
  /** One value per category (bars) or per x (lines); null: no value there (a gap in a line). */
  values: readonly (number | null)[];
}

type Format = (value: number) => string;
const plain: Format = (v) => String(Math.round(v * 100) / 100);
const px = (n: number) => Math.round(n * 10) / 10;

/** The smallest of 1, 2, 2.5, 5 × 10^k at or above `max` (an axis that ends on a round number). */
export function niceMax(max: number): number {
  if (!(max > 0)) return 1;
  const p = 10 ** Math.floor(Math.log10(max));
  for (const m of [1, 2, 2.5, 5, 10]) if (m * p >= max) return m * p;
  return 10 * p;
}

const DURATION_STEPS = [
  1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1_800, 3_600, 7_200, 14_400, 43_200, 86_400,
];

/** A duration axis's end (milliseconds) on a round number of seconds, minutes or hours. */
export function niceDurationMax(maxMs: number): number {
  const step = DURATION_STEPS.find((s) => s * 1000 * 2 >= maxMs);
  return step ? step * 2000 : niceMax(maxMs / 86_400_000) * 86_400_000;
}

function legend(series: readonly Series[]): Html {
  let x = LEFT;
  return html`${series.map((s) => {
    const at = x;
    x += 24 + s.name.length * 7;
    return html`<rect x="${at}" y="8" width="10" height="10" fill="${s.color}"/><text x="${at + 14}" y="17" font-size="11">${s.name}</text>`;
  })}`;
}

/** Axes, y ticks (0, half, max) and up to eight x labels; `xAt` places label i. */
function axes(yMax: number, yFormat: Format, xLabels: readonly { at: number; text: string }[]): Html {
  const step = Math.max(1, Math.ceil(xLabels.length / 8));
  const ticks = [0, 0.5, 1].map((f) => {
    const y = px(TOP + PLOT_H - f * PLOT_H);
    return html`<line x1="${LEFT}" x2="${W - RIGHT}" y1="${y}" y2="${y}" stroke="#eee"/><text x="${LEFT - 6}" y="${y + 4}" font-size="10" text-anchor="end">${yFormat(f * yMax)}</text>`;
  });
  const labels = xLabels
    .filter((_, i) => i % step === 0)
    .map(
      (l) =>
        html`<text x="${px(l.at)}" y="${H - BOTTOM + 14}" font-size="10" text-anchor="middle">${l.text}</text>`,
    );
  return html`${ticks}<line x1="${LEFT}" x2="${LEFT}" y1="${TOP}" y2="${TOP + PLOT_H}" stroke="#999"/><line x1="${LEFT}" x2="${W - RIGHT}" y1="${TOP + PLOT_H}" y2="${TOP + PLOT_H}" stroke="#999"/>${labels}`;
}

function svg(label: string, body: Html, height = H): Html {
  return html`<svg role="img" aria-label="${label}" viewBox="0 0 ${W} ${height}" width="100%" style="max-width:${W}px" xmlns="http://www.w3.org/2000/svg"><title>${label}</title>${body}</svg>`;
}

export interface BarsSpec {
  /** Said to screen readers and as the picture's tooltip. */
  label: string;
  categories: readonly string[];
  /** Stacked bottom to top; one series: a plain bar chart. */
  series: readonly Series[];
  yLabel: string;
  yFormat?: Format;
}

/** Vertical bars per category, stacked by series; a `<title>` per segment. */
export function barChart(spec: BarsSpec): Html {
  const yFormat = spec.yFormat ?? plain;
  const n = Math.max(1, spec.categories.length);
  const totals = spec.categories.map((_, i) => spec.series.reduce((sum, s) => sum + (s.values[i] ?? 0), 0));
  const yMax = niceMax(Math.max(0, ...totals));
  const slot = PLOT_W / n;
  const width = Math.max(1, slot * 0.8);
  const bars = spec.categories.map((category, i) => {
    let y = TOP + PLOT_H;
    return spec.series.map((s) => {
      const value = s.values[i] ?? 0;
      if (value <= 0) return html``;
      const h = (value / yMax) * PLOT_H;
      y -= h;
      return html`<rect x="${px(LEFT + i * slot + (slot - width) / 2)}" y="${px(y)}" width="${px(width)}" height="${px(h)}" fill="${s.color}"><title>${category}: ${spec.series.length > 1 ? `${s.name} ` : ''}${yFormat(value)}</title></rect>`;
    });
  });
  const xLabels = spec.categories.map((text, i) => ({ at: LEFT + (i + 0.5) * slot, text }));
  const y = html`<text x="12" y="${TOP + PLOT_H / 2}" font-size="10" transform="rotate(-90 12 ${TOP + PLOT_H / 2})" text-anchor="middle">${spec.yLabel}</text>`;
  return svg(
    spec.label,
    html`${spec.series.length > 1 ? legend(spec.series) : ''}${axes(yMax, yFormat, xLabels)}${y}${bars}`,
  );
}

export interface LineSpec {
  label: string;
  /** The x domain (e.g. the window's start and end, wall-clock ms). */
  domain: readonly [number, number];
  /** One x per value of every series. */
  x: readonly number[];
  xFormat: Format;
  series: readonly Series[];
  yLabel: string;
  yFormat?: Format;
  /** The value axis's end for the largest value (default niceMax; niceDurationMax for milliseconds). */
  yNice?: (max: number) => number;
}

/** Lines through each series' points (gaps where a value is null), a dot with a `<title>` per point. */
export function lineChart(spec: LineSpec): Html {
  const yFormat = spec.yFormat ?? plain;
  const values = spec.series.flatMap((s) => s.values.filter((v): v is number => v !== null));
  const yMax = (spec.yNice ?? niceMax)(Math.max(0, ...values));
  const [x0, x1] = spec.domain;
  const xAt = (x: number) => LEFT + ((x - x0) / Math.max(1, x1 - x0)) * PLOT_W;
  const yAt = (v: number) => TOP + PLOT_H - (v / yMax) * PLOT_H;
  const lines = spec.series.map((s) => {
    const segments: string[][] = [[]];
    s.values.forEach((v, i) => {
      const x = spec.x[i];
      if (v === null || x === undefined) segments.push([]);
      else segments.at(-1)?.push(`${px(xAt(x))},${px(yAt(v))}`);
    });
    const paths = segments
      .filter((points) => points.length > 1)
      .map(
        (points) =>
          html`<polyline points="${points.join(' ')}" fill="none" stroke="${s.color}" stroke-width="2"/>`,
      );
    const dots = s.values.map((v, i) => {
      const x = spec.x[i];
      if (v === null || x === undefined) return html``;
      return html`<circle cx="${px(xAt(x))}" cy="${px(yAt(v))}" r="3" fill="${s.color}"><title>${spec.xFormat(x)}: ${s.name} ${yFormat(v)}</title></circle>`;
    });
    return html`${paths}${dots}`;
  });
  const ticks = [0, 0.25, 0.5, 0.75, 1].map((f) => {
    const x = x0 + f * (x1 - x0);
    return { at: xAt(x), text: spec.xFormat(x) };
  });
  const y = html`<text x="12" y="${TOP + PLOT_H / 2}" font-size="10" transform="rotate(-90 12 ${TOP + PLOT_H / 2})" text-anchor="middle">${spec.yLabel}</text>`;
  return svg(spec.label, html`${legend(spec.series)}${axes(yMax, yFormat, ticks)}${y}${lines}`);
}

export interface HBar {
  label: string;
  value: number;
  /** The bar's full length (a rate limit); default the largest value of the chart. */
  of?: number | null;
  /** The text right of the bar (default the value). */
  text?: string;
}

/** Horizontal bars, one row each (long labels are cut, the `<title>` has them whole). */
export function hbarChart(label: string, bars: readonly HBar[], color = '#4477aa'): Html {
  const rowH = 22;
  const height = 12 + bars.length * rowH;
  const labelW = 230;
  const barW = W - labelW - 110;
  const max = Math.max(1, ...bars.map((b) => b.of ?? b.value));
  const rows = bars.map((b, i) => {
    const y = 6 + i * rowH;
    const full = b.of ?? max;
    const w = full > 0 ? (Math.max(0, Math.min(b.value, full)) / full) * barW : 0;
    const cut = b.label.length > 34 ? `${b.label.slice(0, 33)}…` : b.label;
    const text = b.text ?? plain(b.value);
    return html`<g><title>${b.label}: ${text}</title><text x="${labelW - 6}" y="${y + 14}" font-size="11" text-anchor="end">${cut}</text>${b.of ? html`<rect x="${labelW}" y="${y + 3}" width="${barW}" height="14" fill="#eee"/>` : ''}<rect x="${labelW}" y="${y + 3}" width="${px(w)}" height="14" fill="${color}"/><text x="${labelW + barW + 6}" y="${y + 14}" font-size="11">${text}</text></g>`;
  });
  return svg(label, html`${rows}`, height);
}
