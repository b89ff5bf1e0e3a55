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
 *   owner rather than one per beat. Capped at MAX_FLEET_OWNERS
 *   (the ledger core's fleet-look.ts does the ledger part, alike on Jira).
 */
import type { Clock } from '../../../core/clock.js';
import type { KeyValueStore } from '../../../state/kv-store.js';
import { buildFleetView, type FleetView, lookAtLedger } from '../../ledger/index.js';
import { assessIssues, type IssueStore, type IssueSync, type TrustPolicy } from '../issues/index.js';
import type { LedgerTransport } from '../ledger/index.js';
import { IGNORE_LABEL } from '../mirror/index.js';

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
  const look = await lookAtLedger({ ...o, board: o.repository });
  await o.startGate?.refresh(o.signal);
  const eligibility = assessIssues({
    issues: o.issues.all,
    ledger: look.view,
    agent: null,
    policy: o.policy,
    // The ledger is the authority here: a local claim row proves nothing about the fleet.
    heldLocally: () => false,
    now: look.now,
    ...(o.startGate ? { startGate: (n: number) => o.startGate!.reason(n) } : {}),
  });
  return buildFleetView({
    board: 'github',
    repository: o.repository,
    now: look.now,
    ledger: look.ledger,
    staleThresholdMs: o.staleThresholdMs,
    view: look.view,
    eligibility,
    idOf: (issue) => issue.number,
    titleOf: (n) => o.issues.all.get(n)?.title ?? '',
    labelsOf: (n) => o.issues.all.get(n)?.labels,
    labels: { ignore: IGNORE_LABEL, done: 'codex:done', failed: 'codex:failed' },
    pullState: (pr) => o.issues.pullState(pr),
    heartbeats: look.heartbeats,
    ages: look.sightings,
    ownerId: o.ownerId,
  });
}
