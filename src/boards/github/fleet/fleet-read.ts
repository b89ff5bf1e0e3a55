/**
 * One read of the fleet for `status`: the issues list and the ledger, then the view.
 *
 * Requests per call (REST; none of them writes):
 * - the issues list: ONE conditional `GET /repos/{o}/{r}/issues?state=all&since=…` (paginated
 *   only when many issues changed; an unchanged repository answers 304 from the second call on).
 *   The listing's cursor and copy of the issues live in this reader's own kv namespaces, so a
 *   status never moves the cursor of a daemon sharing the state directory;
 * - the ledger: ONE conditional `GET git/matching-refs/<ns>/` (over git: one `git ls-remote`,
 *   plus a fetch when a ref moved), plus one commit read per task tip never seen before
 *   (cached on disk by sha: immutable);
 * - one commit read per owner whose heartbeat moved since this workstation's last look (what
 *   it runs). Only the last beat of each owner is kept (HEARTBEATS in the reader's kv), so an
 *   owner that did not move costs nothing, and a dashboard reading for weeks keeps one row per
 *   owner rather than one per beat. Capped at MAX_OWNERS.
 */
import type { Clock } from '../../../core/clock.js';
import { silentLogger } from '../../../core/logger.js';
import type { KeyValueStore } from '../../../state/kv-store.js';
import { assessIssues, type IssueStore, type IssueSync, type TrustPolicy } from '../issues/index.js';
import { type LedgerTransport, type OwnerRecord, parseOwnerRecord, RefLedger } from '../ledger/index.js';
import { FleetSightings } from './fleet-sightings.js';
import { buildFleetView, type FleetView } from './fleet-view.js';

const MAX_OWNERS = 100;
/** Per owner, the heartbeat commit last read and its record: `{ sha, record }`. */
const HEARTBEATS = 'fleet-heartbeats';

export interface FleetReadOptions {
  /** `owner/repo`. */
  repository: string;
  transport: LedgerTransport;
  sync: Pick<IssueSync, 'pull'>;
  issues: Pick<IssueStore, 'all' | 'put' | 'remove' | 'putPull' | 'pullState'>;
  /** Where this workstation remembers what it saw of the refs (FleetSightings). */
  kv: KeyValueStore;
  clock: Clock;
  staleThresholdMs: number;
  policy: TrustPolicy;
  /** This workstation's owner id: the queue is shown in its daemon's claim order. */
  ownerId: string;
  signal?: AbortSignal;
  /** PROJECT_READY_STATUS: read with the issues, so the queue says which cards are not in Ready. */
  startGate?: { refresh(signal?: AbortSignal): Promise<void>; reason(issue: number): string | null };
}

export async function readFleet(o: FleetReadOptions): Promise<FleetView> {
  const pulled = await o.sync.pull(o.signal, o.issues.all);
  for (const n of pulled.gone) o.issues.remove(n);
  for (const pull of pulled.pulls) o.issues.putPull(pull);
  for (const issue of pulled.changed) o.issues.put(issue);

  // A fresh ledger object: its observer has seen nothing, so it judges no owner stale and no
  // claim free by takeover. Ages come from the sightings this workstation kept instead.
  const ledger = new RefLedger({
    transport: o.transport,
    clock: o.clock,
    staleThresholdMs: o.staleThresholdMs,
    logger: silentLogger(),
  });
  const view = await ledger.refresh();
  const now = o.clock.now();
  const sightings = new FleetSightings(o.kv, o.repository);
  const listing = new Map<string, string>();
  for (const [id, owner] of view.owners) listing.set(`owners/${id}`, owner.sha);
  for (const [n, task] of view.tasks) listing.set(`tasks/${n}`, task.sha);
  sightings.observe(listing, now);

  const heartbeats = await lastBeats(o, [...view.owners].slice(0, MAX_OWNERS));
  await o.startGate?.refresh(o.signal);
  const eligibility = assessIssues({
    issues: o.issues.all,
    ledger: view,
    agent: null,
    policy: o.policy,
    // The ledger is the authority here: a local claim row proves nothing about the fleet.
    heldLocally: () => false,
    now,
    ...(o.startGate ? { startGate: (n: number) => o.startGate!.reason(n) } : {}),
  });
  return buildFleetView({
    repository: o.repository,
    now,
    ledger: { transport: ledger.transport.kind, where: ledger.transport.where },
    staleThresholdMs: o.staleThresholdMs,
    view,
    eligibility,
    issues: o.issues.all,
    pullState: (pr) => o.issues.pullState(pr),
    heartbeats,
    ages: sightings,
    ownerId: o.ownerId,
  });
}

/**
 * Each owner's last heartbeat record (null when its commit is unreadable or not ours), read
 * only when the owner's ref moved since the last look; owners no longer listed are forgotten.
 */
async function lastBeats(
  o: FleetReadOptions,
  owners: [string, { sha: string }][],
): Promise<Map<string, OwnerRecord | null>> {
  const prefix = `${o.repository.toLowerCase()} `;
  const kept = new Map<string, { sha: string; record: OwnerRecord }>();
  for (const [key, value] of o.kv.entries(HEARTBEATS)) {
    if (!key.startsWith(prefix)) continue;
    try {
      kept.set(key.slice(prefix.length), JSON.parse(value) as { sha: string; record: OwnerRecord });
    } catch {
      o.kv.delete(HEARTBEATS, key); // unreadable: read the beat again
    }
  }
  const beats = new Map<string, OwnerRecord | null>();
  for (const [id, { sha }] of owners) {
    const known = kept.get(id);
    kept.delete(id);
    if (known?.sha === sha) {
      beats.set(id, known.record);
      continue;
    }
    const record = await heartbeatOf(o.transport, sha, o.signal);
    // A beat that could not be read (a lost answer, a foreign commit) is read again next look.
    if (record === null) o.kv.delete(HEARTBEATS, prefix + id);
    else o.kv.set(HEARTBEATS, prefix + id, JSON.stringify({ sha, record }));
    beats.set(id, record);
  }
  for (const gone of kept.keys()) o.kv.delete(HEARTBEATS, prefix + gone);
  return beats;
}

/** The owner's heartbeat record; null when its commit is unreadable or not ours. */
async function heartbeatOf(
  git: LedgerTransport,
  sha: string,
  signal?: AbortSignal,
): Promise<OwnerRecord | null> {
  signal?.throwIfAborted();
  try {
    // Read once, never again: kept above per owner, not in the transport's commit cache.
    return parseOwnerRecord((await git.commit(sha, { remember: false })).message);
  } catch {
    return null; // shown as "running: ?"; the owner itself is still listed
  }
}
