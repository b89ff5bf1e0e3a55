/**
 * The whole fleet as `status` shows it on a ledger board (GitHub, Jira), from the ledger (every
 * owner, every claim) and the board's task list — not from what a local daemon last published,
 * so it tells the same truth on any workstation, with or without a daemon. Pure: each board's
 * fleet reader does the reading (GitHub: boards/github/fleet/fleet-read.ts; Jira: jira-fleet.ts).
 * Every figure of the summary is counted from the very rows shown, so the two cannot disagree.
 */

import type { LedgerProblem, LedgerView, OwnerRecord } from '../github/ledger/index.js';
import { spreadOut } from './claim-order.js';
import type { RefAge } from './fleet-sightings.js';
import type { LedgerTask, TaskEligibility } from './task-eligibility.js';

export type Liveness = 'live' | 'stale' | 'unknown';

export interface FleetOwner {
  id: string;
  /** The owner ref's age on this observer's clock (see RefAge for the bound). */
  heartbeat: RefAge;
  /** The time the owner wrote into its last heartbeat: ITS clock, never compared with ours. */
  claimedAt: string | null;
  /** Issues its last heartbeat says it runs (null: the record could not be read). */
  running: number[] | null;
  liveness: Liveness;
}

interface Row {
  /** The ledger chain's number: the GitHub issue number, the Jira issue's numeric id. */
  issue: number;
  /** How people name the task when not by its number (a Jira key, `OPS-12`); absent on GitHub. */
  key?: string;
  title: string;
}

export interface FleetView {
  /** Which board: GitHub issues or Jira issues, both with their claims in the git ledger. */
  board: 'github' | 'jira';
  /** What the board is: `owner/repo` on GitHub, the Jira site (JIRA_BASE_URL) on Jira. */
  repository: string;
  /**
   * On a board that names tasks by key (Jira): the key of every chain number this view mentions
   * (rows, what owners run, what blocked tasks wait on, cycles). Absent on GitHub (`#n`).
   */
  keys?: Record<number, string>;
  generatedAt: string;
  ledger: { transport: 'git' | 'rest'; where: string };
  staleThresholdMs: number;
  owners: FleetOwner[];
  /** `since`: the claim record's time, on the holder's clock. */
  held: (Row & {
    owner: string;
    epoch: number | null;
    since: string | null;
    ownerLiveness: Liveness;
    /** A person's hand claim: when its lease ends by the claimer's clock (ISO; for humans only). */
    byHandUntil?: string;
  })[];
  /** Claimable now, in the order this workstation's daemon would claim them. */
  queue: (Row & { priority: number; recover: boolean })[];
  /** `pr`: the dependency's pull request, whose merge closes it. */
  blocked: (Row & { waitingOn: { issue: number; key?: string; pr: number | null }[] })[];
  /** `until`: when this observer would let a claim through (counted from its first sight). */
  backingOff: (Row & { retries: number; until: string; remainingMs: number })[];
  poisoned: (Row & { retries: number; reason: string | null })[];
  done: (Row & { pr: number | null; prState: string | null })[];
  ignored: Row[];
  /** Open issues that are not tasks (untrusted, a dead dependency, a cycle, a bad ref). */
  skipped: (Row & { reason: string })[];
  cycles: number[][];
  problems: LedgerProblem[];
  summary: {
    owners: number;
    live: number;
    stale: number;
    unknown: number;
    held: number;
    queued: number;
    blocked: number;
    backingOff: number;
    poisoned: number;
    done: number;
    ignored: number;
    skipped: number;
  };
}

export interface FleetInput<T extends LedgerTask> {
  board: FleetView['board'];
  repository: string;
  now: number;
  ledger: FleetView['ledger'];
  staleThresholdMs: number;
  view: LedgerView;
  eligibility: TaskEligibility<T>;
  /** The chain number of a task (GitHub: its issue number; Jira: its numeric id). */
  idOf: (task: T) => number;
  /** The task's title as last listed ('' when the board does not list it). */
  titleOf: (id: number) => string;
  /** The task's labels as last listed (undefined: not listed). */
  labelsOf: (id: number) => readonly string[] | undefined;
  /** The board's labels of the states a person reads (GitHub `codex:ignore`; Jira JIRA_LABEL_*). */
  labels: { ignore: string; done: string; failed: string };
  /** A task's key when the board names tasks by key (Jira); undefined on GitHub, or not listed. */
  keyOf?: (id: number) => string | undefined;
  pullState: (pr: number) => string | null;
  /** Owner id → its heartbeat record (null: unreadable). */
  heartbeats: ReadonlyMap<string, OwnerRecord | null>;
  /** Ages of owner refs (key `owners/<id>`) and first sights of task refs (`tasks/<n>`). */
  ages: { age(key: string): RefAge | undefined; firstSeen(key: string): number | undefined };
  /** Orders the queue as this workstation's daemon would. */
  ownerId: string;
}

/** Stale only when seen unchanged for the threshold; live only when seen moving within it. */
function liveness(age: RefAge, thresholdMs: number): Liveness {
  if (age.bound === 'at-least' && age.ageMs >= thresholdMs) return 'stale';
  if (age.bound === 'at-most' && age.ageMs < thresholdMs) return 'live';
  return 'unknown';
}

export function buildFleetView<T extends LedgerTask>(input: FleetInput<T>): FleetView {
  const { view, eligibility: e, now } = input;
  const owners: FleetOwner[] = [...view.owners.keys()].sort().map((id) => {
    const heartbeat = input.ages.age(`owners/${id}`) ?? {
      bound: 'first-look',
      ageMs: 0,
      firstSeen: iso(now),
    };
    const record = input.heartbeats.get(id) ?? null;
    return {
      id,
      heartbeat,
      claimedAt: record?.at || null,
      running: record ? record.running : null,
      liveness: liveness(heartbeat, input.staleThresholdMs),
    };
  });
  const livenessOf = new Map(owners.map((o) => [o.id, o.liveness]));
  const keys: Record<number, string> = {};
  const keyed = (n: number): { key?: string } => {
    const key = input.keyOf?.(n);
    if (key === undefined) return {};
    keys[n] = key;
    return { key };
  };
  const row = (n: number): Row => ({ issue: n, ...keyed(n), title: input.titleOf(n) });
  const has = (n: number, label: string) =>
    input.labelsOf(n)?.some((l) => l.toLowerCase() === label.toLowerCase()) ?? false;
  for (const o of owners) for (const n of o.running ?? []) keyed(n);
  for (const n of e.cycles.flat()) keyed(n);
  const fleet: Omit<FleetView, 'summary'> = {
    board: input.board,
    repository: input.repository,
    generatedAt: iso(now),
    ledger: input.ledger,
    staleThresholdMs: input.staleThresholdMs,
    owners,
    held: [],
    queue: [],
    blocked: [],
    backingOff: [],
    poisoned: [],
    done: [],
    ignored: [],
    skipped: [],
    cycles: e.cycles,
    problems: [...(view.problems ?? [])],
  };
  const blockedOn = new Map(e.blocked.map((b) => [b.issue, b.waitingOn]));
  const doneRow = (n: number) => {
    const pr = view.tasks.get(n)?.record?.pr ?? null;
    fleet.done.push({ ...row(n), pr, prState: pr === null ? null : input.pullState(pr) });
  };
  for (const [n, verdict] of [...e.verdicts].sort(([a], [b]) => a - b)) {
    const chain = view.tasks.get(n);
    if (verdict === 'runnable') continue; // the queue, below, in claim order
    if (verdict === 'held') {
      const owner = chain?.holder ?? '?';
      const since = chain?.record?.at || null;
      const ownerLiveness = livenessOf.get(owner) ?? 'unknown';
      const rec = chain?.record;
      const at = rec?.hand ? Date.parse(rec.at) : Number.NaN;
      const byHandUntil = Number.isNaN(at) ? null : new Date(at + (rec?.leaseMs ?? 0)).toISOString();
      fleet.held.push({
        ...row(n),
        owner,
        epoch: chain?.epoch ?? null,
        since,
        ownerLiveness,
        ...(byHandUntil ? { byHandUntil } : {}),
      });
    } else if (blockedOn.has(n)) {
      const waitingOn = blockedOn
        .get(n)!
        .map((d) => ({ issue: d, ...keyed(d), pr: view.tasks.get(d)?.record?.pr ?? null }));
      fleet.blocked.push({ ...row(n), waitingOn });
    } else if (verdict === 'waiting' && chain?.state === 'backoff') {
      const first = input.ages.firstSeen(`tasks/${n}`) ?? now;
      const until = first + (chain.record?.backoffMs ?? 0);
      fleet.backingOff.push({
        ...row(n),
        retries: chain.retries,
        until: iso(until),
        remainingMs: Math.max(0, until - now),
      });
    } else if (has(n, input.labels.ignore)) fleet.ignored.push(row(n));
    else if (chain?.state === 'done' || has(n, input.labels.done)) doneRow(n);
    else if (chain?.state === 'poisoned' || has(n, input.labels.failed)) {
      fleet.poisoned.push({ ...row(n), retries: chain?.retries ?? 0, reason: chain?.record?.reason ?? null });
    } else fleet.skipped.push({ ...row(n), reason: verdict });
  }
  // Closed issues finished by the fleet count as done too (their chains stay in the ledger).
  for (const [n, chain] of [...view.tasks].sort(([a], [b]) => a - b)) {
    if (chain.state === 'done' && !e.verdicts.has(n)) doneRow(n);
  }
  // Lost work first, then the rest spread by this owner's hash: ClaimOrder.candidates' order.
  const lost = e.candidates.filter((c) => e.recover.has(input.idOf(c)));
  const fresh = e.candidates.filter((c) => !e.recover.has(input.idOf(c)));
  for (const c of [...lost, ...spreadOut(fresh, input.ownerId)]) {
    const n = input.idOf(c);
    fleet.queue.push({ ...row(n), priority: c.priority, recover: e.recover.has(n) });
  }
  if (input.keyOf) fleet.keys = keys;
  const count = (l: Liveness) => owners.filter((o) => o.liveness === l).length;
  return {
    ...fleet,
    summary: {
      owners: owners.length,
      live: count('live'),
      stale: count('stale'),
      unknown: count('unknown'),
      held: fleet.held.length,
      queued: fleet.queue.length,
      blocked: fleet.blocked.length,
      backingOff: fleet.backingOff.length,
      poisoned: fleet.poisoned.length,
      done: fleet.done.length,
      ignored: fleet.ignored.length,
      skipped: fleet.skipped.length,
    },
  };
}

const iso = (ms: number) => new Date(ms).toISOString();
