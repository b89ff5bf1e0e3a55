import { DISPLAYED_STATES } from '../../state/displayed-state.js';
import type { StatusReport } from '../../state/status-report.js';
import { type Colours, colours } from './colour.js';
import { duration, isoTime, table } from './format.js';
import { terminalLine } from './terminal-safe.js';

export interface Section {
  title: string;
  headers: string[];
  rows: (string | number | null)[][];
}

function sections(r: StatusReport): Section[] {
  return [
    {
      title: 'Tasks by agent',
      headers: ['AGENT', ...DISPLAYED_STATES.map((s) => s.toUpperCase())],
      rows: r.byAgent.map((a) => [a.agent, ...DISPLAYED_STATES.map((s) => a.counts[s])]),
    },
    {
      title: 'Running',
      headers: ['TASK', 'OWNER', 'ATTEMPT', 'EPOCH', 'HEARTBEAT', 'RUNNING FOR'],
      rows: r.running.map((t) => [
        t.id,
        t.leaseLeftMs === null ? t.owner : `${t.owner} (by hand, ${duration(t.leaseLeftMs)} left)`,
        t.attempt,
        t.epoch,
        `${duration(t.heartbeatAgeMs)} ago`,
        duration(t.runningForMs),
      ]),
    },
    {
      title: 'Blocked',
      headers: ['TASK', 'WAITING ON'],
      rows: r.blocked.map((b) => [b.id, b.waitingOn.join(', ')]),
    },
    {
      title: 'Backing off',
      headers: ['TASK', 'RETRIES', 'RETRY IN', 'LAST ERROR'],
      rows: r.backingOff.map((b) => [b.id, b.retryCount, duration(b.retryInMs), b.lastError]),
    },
    {
      title: 'Poisoned (codex-monitor retry <id> to re-enable)',
      headers: ['TASK', 'RETRIES', 'LAST ERROR'],
      rows: r.poisoned.map((p) => [p.id, p.retryCount, p.lastError]),
    },
    { title: 'Ignored', headers: ['TASK', 'REASON'], rows: r.ignored.map((i) => [i.id, i.reason]) },
    {
      title: 'Owners',
      headers: ['OWNER', 'HOST', 'PID', 'LAST HEARTBEAT', 'LIVE'],
      rows: r.owners.map((o) => [
        o.id,
        o.host,
        o.pid,
        `${duration(o.silentMs)} ago`,
        o.live ? 'yes' : 'no (stale)',
      ]),
    },
    {
      title: 'Last events',
      headers: ['TIME', 'TYPE', 'TASK', 'OWNER'],
      rows: r.recentEvents.map((e) => [isoTime(e.at), e.type, e.taskId, e.ownerId]),
    },
  ];
}

function summary(r: StatusReport): string {
  const t = r.totals;
  return `${t.done} done, ${t.claimed} running, ${t.ready} ready, ${t.blocked} blocked, ${t.failed} failed (retrying), ${t.poisoned} poisoned, ${t.ignored} ignored`;
}

/** `paint`: colours on a terminal (coloursFor(process.stdout)); plain by default. */
export function renderStatusText(r: StatusReport, paint: Colours = colours(false)): string {
  const parts = [`codex-monitor status at ${isoTime(r.generatedAt)}: ${summary(r)}`];
  for (const s of sections(r)) {
    if (s.rows.length === 0) continue;
    parts.push(`\n${paint.heading(s.title)}\n${table(s.headers, s.rows, paint)}`);
  }
  return `${parts.join('\n')}\n`;
}

const cell = (v: string | number | null) => (v === null ? '' : terminalLine(String(v)).replace(/\|/g, '\\|'));

export function renderStatusMarkdown(r: StatusReport): string {
  return markdownReport(`Generated ${isoTime(r.generatedAt)}: ${summary(r)}.`, sections(r));
}

/** A markdown report: a heading, one line, then each section as a table ("None." when empty). */
export function markdownReport(line: string, all: readonly Section[], notes: readonly string[] = []): string {
  const parts = [`# codex-monitor status`, '', line];
  for (const s of all) {
    parts.push('', `## ${s.title}`, '');
    if (s.rows.length === 0) {
      parts.push('None.');
      continue;
    }
    parts.push(`| ${s.headers.join(' | ')} |`, `| ${s.headers.map(() => '---').join(' | ')} |`);
    for (const row of s.rows) parts.push(`| ${row.map(cell).join(' | ')} |`);
  }
  if (notes.length) parts.push('', ...notes.map((n) => `- ${cell(n)}`));
  return `${parts.join('\n')}\n`;
}
