/**
 * The fleet on a ledger board (GitHub: `#12`; Jira: `OPS-12`) as text and markdown: one summary line counted from the rows below it,
 * then owners, held issues, the queue, blocked, backing off, poisoned, done, ignored, skipped.
 * Every cell goes through table() (terminal-safe); owner ids, titles and reasons are untrusted.
 */

import type { FleetOwner, FleetView, RefAge } from '../../boards/ledger/index.js';
import { type Colours, colours } from './colour.js';
import { duration, table } from './format.js';
import { markdownReport, type Section } from './status-render.js';
import { terminalLine } from './terminal-safe.js';

/** "2 owners (1 live, 0 stale, 1 unknown), 2 held, …": the same counts as the sections. */
export function fleetSummary(f: FleetView): string {
  const s = f.summary;
  return (
    `${s.owners} owner${s.owners === 1 ? '' : 's'} (${s.live} live, ${s.stale} stale, ${s.unknown} unknown), ` +
    `${s.held} held, ${s.queued} queued, ${s.blocked} blocked, ${s.backingOff} backing off, ` +
    `${s.poisoned} poisoned, ${s.done} done, ${s.ignored} ignored, ${s.skipped} skipped`
  );
}

/** "≥12.0s", "≤3.1s", "≥0s (first look)": a bound, never a guess. */
export function ageText(age: RefAge): string {
  if (age.bound === 'first-look') return '≥0s (first look)';
  return `${age.bound === 'at-least' ? '≥' : '≤'}${duration(age.ageMs)}`;
}

function livenessText(o: FleetOwner): string {
  if (o.liveness !== 'unknown') return o.liveness;
  return o.heartbeat.bound === 'first-look' ? 'unknown (first look)' : 'unknown (not seen moving yet)';
}

/** How people name a task of this fleet: its key on Jira (`OPS-12`), `#12` on GitHub. */
export const taskName =
  (f: Pick<FleetView, 'keys'>) =>
  (n: number): string =>
    f.keys?.[n] ?? `#${n}`;

/** "blocked on #3; waiting for PR #9 (of #4)". */
export function blockedText(
  waitingOn: FleetView['blocked'][number]['waitingOn'],
  name: (n: number) => string = taskName({}),
): string {
  const plain = waitingOn.filter((w) => w.pr === null).map((w) => name(w.issue));
  const forPr = waitingOn.filter((w) => w.pr !== null).map((w) => `PR #${w.pr} (of ${name(w.issue)})`);
  return [
    ...(plain.length ? [`blocked on ${plain.join(', ')}`] : []),
    ...(forPr.length ? [`waiting for ${forPr.join(', ')}`] : []),
  ].join('; ');
}

export function fleetSections(f: FleetView): Section[] {
  const name = taskName(f);
  const issues = (ns: readonly number[]) => (ns.length ? ns.map(name).join(', ') : 'idle');
  return [
    {
      title: "Owners (heartbeat age on this workstation's clock)",
      headers: ['OWNER', 'LAST HEARTBEAT', 'ITS CLOCK SAYS', 'RUNS', 'STATE'],
      rows: f.owners.map((o) => [
        o.id,
        ageText(o.heartbeat),
        o.claimedAt,
        o.running ? issues(o.running) : '?',
        livenessText(o),
      ]),
    },
    {
      title: 'Held',
      headers: ['ISSUE', 'STATE', 'EPOCH', 'SINCE (HOLDER CLOCK)', 'TITLE'],
      rows: f.held.map((h) => [
        name(h.issue),
        `held by ${h.owner}${h.byHandUntil ? `, by hand, until ${h.byHandUntil.slice(11, 16)} UTC` : ''}${h.ownerLiveness === 'stale' ? ' (stale)' : ''}`,
        h.epoch,
        h.since,
        short(h.title),
      ]),
    },
    {
      title: 'Queue (claim order)',
      headers: ['ISSUE', 'STATE', 'PRIORITY', 'TITLE'],
      rows: f.queue.map((q) => [
        name(q.issue),
        q.recover ? 'lost work' : 'claimable',
        q.priority,
        short(q.title),
      ]),
    },
    {
      title: 'Blocked',
      headers: ['ISSUE', 'STATE', 'TITLE'],
      rows: f.blocked.map((b) => [name(b.issue), blockedText(b.waitingOn, name), short(b.title)]),
    },
    {
      title: 'Backing off',
      headers: ['ISSUE', 'RETRIES', 'UNTIL', 'TITLE'],
      rows: f.backingOff.map((b) => [
        name(b.issue),
        b.retries,
        `${b.until} (${duration(b.remainingMs)})`,
        short(b.title),
      ]),
    },
    {
      title: 'Poisoned (codex-monitor retry <n> to re-enable)',
      headers: ['ISSUE', 'RETRIES', 'REASON', 'TITLE'],
      rows: f.poisoned.map((p) => [name(p.issue), p.retries, p.reason, short(p.title)]),
    },
    {
      title: 'Done',
      headers: ['ISSUE', 'PR', 'TITLE'],
      rows: f.done.map((d) => [
        name(d.issue),
        d.pr ? `#${d.pr}${d.prState ? ` ${d.prState}` : ''}` : null,
        short(d.title),
      ]),
    },
    {
      title: 'Ignored',
      headers: ['ISSUE', 'TITLE'],
      rows: f.ignored.map((i) => [name(i.issue), short(i.title)]),
    },
    {
      title: 'Skipped',
      headers: ['ISSUE', 'WHY', 'TITLE'],
      rows: f.skipped.map((s) => [name(s.issue), s.reason, short(s.title)]),
    },
  ];
}

/** Lines after the tables: dependency cycles and unusable ledger refs. */
export function fleetNotes(f: FleetView): string[] {
  return [
    ...f.cycles.map((c) => `dependency cycle: ${c.map(taskName(f)).join(' → ')}`),
    ...f.problems.map(
      (p) =>
        `warning: ledger ref ${terminalLine(`${p.ref} skipped: ${p.reason} (${p.sha.slice(0, 12)})`)}; repair or delete it`,
    ),
  ];
}

export function fleetHeader(f: FleetView): string {
  return `codex-monitor status of ${f.repository} at ${f.generatedAt}: ${fleetSummary(f)}`;
}

/** `paint`: colours on a terminal (coloursFor(process.stdout)); plain by default. */
export function renderFleetText(
  f: FleetView,
  extras: readonly string[] = [],
  paint: Colours = colours(false),
): string {
  const parts = [
    fleetHeader(f),
    `ledger over ${f.ledger.transport} (${terminalLine(f.ledger.where)}); an owner is stale once seen unchanged for ${duration(f.staleThresholdMs)}`,
    ...extras,
  ];
  for (const s of fleetSections(f)) {
    if (s.rows.length) parts.push(`\n${paint.heading(s.title)}\n${table(s.headers, s.rows, paint)}`);
  }
  const notes = fleetNotes(f);
  if (notes.length) parts.push('', ...notes);
  return `${parts.join('\n')}\n`;
}

const short = (title: string) => terminalLine(title).slice(0, 50);

export function renderFleetMarkdown(f: FleetView, extras: readonly string[] = []): string {
  return markdownReport(`${fleetHeader(f)}.`, fleetSections(f), [...extras, ...fleetNotes(f)]);
}
