/** Reading a task chain: what a successor commit builds on, and whether a commit is on it. */

import { parseTaskRecord, parseTaskRecordFor, type TaskRecord } from './records/ledger-record.js';
import type { LedgerTransport } from './transport.js';

/** How far we walk down through commits that carry no record (foreign or malformed). */
const MAX_WALK = 20;

/**
 * The longest a chain grows on a transport that compacts (git): the record that would make it
 * longer is written as a root commit instead, replacing the chain by lease. The local event log
 * keeps the audit trail; the chain keeps what the protocol needs (the latest records).
 */
export const CHAIN_BOUND = 32;

/** Commits on the chain ending at `sha`, counted up to `bound` (local reads on the git transport). */
export async function chainDepth(git: LedgerTransport, sha: string, bound = CHAIN_BOUND): Promise<number> {
  let depth = 1;
  let current = (await git.commit(sha)).parents[0];
  while (current !== undefined && depth < bound) {
    depth += 1;
    current = (await git.commit(current)).parents[0];
  }
  return depth;
}

export interface TipBase {
  sha: string;
  /** null: the tip is an unknown (foreign or malformed) commit. */
  record: TaskRecord | null;
  /** The tip's epoch: its record's, or for an unknown tip the nearest record's plus the distance. */
  epoch: number;
  /** Failed attempts so far, from the tip's record or the nearest record below an unknown tip. */
  retries: number;
}

/**
 * The tip and what a successor builds on. Every commit of a chain counts one epoch, unknown
 * ones included, so epochs keep growing even across a foreign commit.
 */
export async function readTipBase(git: LedgerTransport, sha: string, issue: number): Promise<TipBase> {
  let commit = await git.commit(sha);
  const record = parseTaskRecordFor(commit.message, issue);
  if (record) return { sha, record, epoch: record.epoch, retries: record.retries };
  let depth = 1;
  while (depth <= MAX_WALK) {
    const parent = commit.parents[0];
    if (!parent) break;
    commit = await git.commit(parent);
    const below = parseTaskRecordFor(commit.message, issue);
    if (below) return { sha, record: null, epoch: below.epoch + depth, retries: below.retries };
    depth += 1;
  }
  return { sha, record: null, epoch: depth, retries: 0 };
}

/** True when `sha` (at `epoch`) is on the chain ending at `tip`: walks down by epochs. */
export async function chainHas(
  git: LedgerTransport,
  tip: string,
  sha: string,
  epoch: number,
): Promise<boolean> {
  let current = tip;
  for (let i = 0; i <= MAX_WALK; i++) {
    if (current === sha) return true;
    const commit = await git.commit(current);
    const record = parseTaskRecord(commit.message);
    const parent = commit.parents[0];
    if (!record || record.epoch <= epoch || !parent) return false;
    current = parent;
  }
  return false;
}
