/**
 * Each owner's last heartbeat as a one-shot reader (`status`, the dashboard) sees it: the record
 * is read only when the owner's ref moved since this workstation's last look, and only the last
 * beat per owner is kept (HEARTBEATS in the kv table), so an owner that did not move costs
 * nothing and a dashboard reading for weeks keeps one row per owner rather than one per beat.
 * The same for every ledger board: the heartbeat chains are the ledger's, not the board's.
 */
import type { KeyValueStore } from '../../state/kv-store.js';
import { type LedgerTransport, type OwnerRecord, parseOwnerRecord } from '../github/ledger/index.js';

/** Per owner, the heartbeat commit last read and its record: `{ sha, record }`. */
const HEARTBEATS = 'fleet-heartbeats';

/** At most this many owners are read per look (the rest are listed without what they run). */
export const MAX_FLEET_OWNERS = 100;

export interface HeartbeatReading {
  /** Names the board whose fleet this is (`owner/repo`, a Jira site): its key prefix in the kv. */
  board: string;
  transport: LedgerTransport;
  kv: KeyValueStore;
  signal?: AbortSignal | undefined;
}

/**
 * Each owner's last heartbeat record (null when its commit is unreadable or not ours), read
 * only when the owner's ref moved since the last look; owners no longer listed are forgotten.
 */
export async function lastBeats(
  o: HeartbeatReading,
  owners: readonly (readonly [string, { sha: string }])[],
): Promise<Map<string, OwnerRecord | null>> {
  const prefix = `${o.board.toLowerCase()} `;
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
  for (const [id, { sha }] of owners.slice(0, MAX_FLEET_OWNERS)) {
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
