/** Public types of the ref ledger (see ref-ledger.ts). */
import type { Clock } from '../../../core/clock.js';
import type { Logger } from '../../../core/logger.js';
import type { ChainRefusalReason } from '../../../core/task.js';
import type { TaskRecord } from './records/ledger-record.js';
import type { LedgerTransport } from './transport.js';

export interface LedgerOptions {
  /** How refs are read and moved: git's own protocol or GitHub's REST API (transport.ts). */
  transport: LedgerTransport;
  /**
   * A transport for heartbeats only (default: `transport`). Liveness must not wait behind a
   * queue of paced mirror and ledger writes, or a busy owner would fence itself.
   */
  heartbeatTransport?: LedgerTransport;
  clock: Clock;
  /** An owner silent this long on this observer's monotonic clock may be taken over. */
  staleThresholdMs: number;
  logger?: Logger;
  /** Ref namespace (default `codex-monitor`). */
  namespace?: string;
  /** Told when a task-chain write is refused because another writer moved the ref first (metrics). */
  onCasConflict?: () => void;
}

export interface LedgerTicket {
  issue: number;
  ownerId: string;
  attempt: string;
  /** Fencing token: hand it to the executor as CODEX_MONITOR_EPOCH. */
  epoch: number;
  /** Our latest commit on the chain: every later write of ours is a CAS on it. */
  sha: string;
  /** Failed attempts before this one. */
  retries: number;
  /** The issue's work branch and pull request as the chain knows them (from earlier attempts). */
  branch: string | null;
  pr: number | null;
  /** The review whose requested changes this attempt makes (its id on GitHub), if the chain says so. */
  review?: number;
}

export type LedgerClaimResult =
  | { ok: true; ticket: LedgerTicket; tookOverFrom: string | null }
  | {
      ok: false;
      reason: ChainRefusalReason | 'lost-race' | 'bad-ref';
      holder?: string;
      detail: string;
      waitMs?: number;
      /** This claim wrote the poison, ending `owner`'s claim at `epoch` (its fence is ours to tell). */
      ended?: { owner: string; epoch: number };
    };

/** `sha`: the commit now at the tip, which later conflict checks (stillHolds) compare against. */
export type LedgerReleaseResult = { ok: true; epoch: number; sha: string } | FencedResult;

/**
 * Our claim's epoch was ended by someone else's record. `endedBy`: that record (null: unknown).
 * A `claim` there is a takeover: the taker notified the fence (board-notices.ts).
 */
export interface FencedResult {
  ok: false;
  fenced: true;
  reason: string;
  endedBy: TaskRecord | null;
}

/** `ticket`: what the holder's later writes quote (the fence record is its latest commit). */
export type LedgerFenceResult = { ok: true; ticket: LedgerTicket } | FencedResult;

/** Result of poison and reset: `changed: false` when the tip already said so (or no ref exists). */
export type LedgerWriteResult =
  | { ok: true; epoch: number; changed: boolean; sha: string | null }
  | { ok: false; reason: 'lost-race' | 'held'; detail: string };

/** The fields of a task record a writer chooses (version, issue, epoch and time are filled in). */
export type RecordFields = Omit<TaskRecord, 'v' | 'issue' | 'epoch' | 'at'>;
