/**
 * One look at the ledger for a fleet reader (`status`, the dashboard), the same on every ledger
 * board: a fresh RefLedger refresh (one listing of the refs, plus one commit read per task tip
 * never seen before), the sightings that give heartbeat ages across looks, and each owner's last
 * heartbeat (read only when its ref moved). Writes nothing to the ledger.
 */
import type { Clock } from '../../core/clock.js';
import { silentLogger } from '../../core/logger.js';
import type { KeyValueStore } from '../../state/kv-store.js';
import {
  type LedgerTransport,
  type LedgerView,
  type OwnerRecord,
  RefLedger,
} from '../github/ledger/index.js';
import { lastBeats } from './fleet-heartbeats.js';
import { FleetSightings } from './fleet-sightings.js';
import type { FleetView } from './fleet-view.js';

export interface FleetLookOptions {
  /** Names the board (`owner/repo`, a Jira site): this workstation's sightings are kept per board. */
  board: string;
  transport: LedgerTransport;
  /** The ledger's ref namespace (the Jira board's is its own); default: GitHub's. */
  namespace?: string;
  /** Where this workstation remembers what it saw of the refs. */
  kv: KeyValueStore;
  clock: Clock;
  staleThresholdMs: number;
  signal?: AbortSignal | undefined;
}

export interface FleetLook {
  now: number;
  view: LedgerView;
  ledger: FleetView['ledger'];
  sightings: FleetSightings;
  heartbeats: Map<string, OwnerRecord | null>;
}

export async function lookAtLedger(o: FleetLookOptions): Promise<FleetLook> {
  // A fresh ledger object: its observer has seen nothing, so it judges no owner stale and no
  // claim free by takeover. Ages come from the sightings this workstation kept instead.
  const ledger = new RefLedger({
    transport: o.transport,
    clock: o.clock,
    staleThresholdMs: o.staleThresholdMs,
    logger: silentLogger(),
    ...(o.namespace !== undefined ? { namespace: o.namespace } : {}),
  });
  const view = await ledger.refresh();
  const now = o.clock.now();
  const sightings = new FleetSightings(o.kv, o.board);
  const listing = new Map<string, string>();
  for (const [id, owner] of view.owners) listing.set(`owners/${id}`, owner.sha);
  for (const [n, task] of view.tasks) listing.set(`tasks/${n}`, task.sha);
  sightings.observe(listing, now);
  const heartbeats = await lastBeats({ board: o.board, transport: o.transport, kv: o.kv, signal: o.signal }, [
    ...view.owners,
  ]);
  return {
    now,
    view,
    ledger: { transport: ledger.transport.kind, where: ledger.transport.where },
    sightings,
    heartbeats,
  };
}
