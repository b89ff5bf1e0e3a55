/**
 * The records carried by ledger commits. A commit message is a human line, a blank line, then
 * one JSON object:
 *
 *   codex-monitor: claim #12 by ws1/codex (epoch 3)
 *
 *   {"v":1,"kind":"claim","issue":12,"owner":"ws1/codex","attempt":"…","epoch":3,"retries":1,"at":"…"}
 *
 * Parsing is tolerant: unknown fields and higher versions are accepted as long as the fields
 * below keep their meaning; anything else (foreign commits, malformed JSON, missing or mistyped
 * fields) parses to `null`, an unknown record, and never throws. `at` is the writer's wall
 * clock, for humans only: no decision ever compares it with another machine's clock.
 */
import { RELEASE_OUTCOMES, type ReleaseOutcome } from '../../../../core/task.js';

export const RECORD_VERSION = 1;

export const TASK_RECORD_KINDS = ['claim', 'release', 'reset', 'poison'] as const;
export type TaskRecordKind = (typeof TASK_RECORD_KINDS)[number];

export interface TaskRecord {
  v: number;
  kind: TaskRecordKind;
  issue: number;
  /** The writer: the claiming owner, the releasing owner, the poisoning owner, the resetting actor. */
  owner: string;
  /** Attempt id (uuid) of the claim this record starts or ends; '' for reset and poison. */
  attempt: string;
  /** Fencing token: the parent's epoch + 1 on every commit of the chain. */
  epoch: number;
  /** Failed attempts so far (a crashed attempt taken over counts as failed). */
  retries: number;
  /**
   * Claims only: `deliver` is the holder's fence before it pushes — a second claim record of the
   * same attempt, which only the holder can write by CAS. Older readers see a claim: held.
   */
  phase?: 'deliver';
  /**
   * Claims only: a person holds it by hand (`codex-monitor claim`) for at most `leaseMs`, counted
   * by each observer on its own clock from when it first saw this record (never a deadline
   * compared across machines). Older readers ignore both: to them it is a claim, held while its
   * owner ref or the tip moves.
   */
  hand?: true;
  leaseMs?: number;
  /** The issue's work branch, once one was pushed; carried forward by every later record. */
  branch?: string;
  /** The issue's pull request, once one was opened; carried forward like the branch. */
  pr?: number;
  /** Releases only. */
  outcome?: ReleaseOutcome;
  /** A complete release a reviewer approved: the reviewing owner (propose → verify → apply). */
  verifiedBy?: string;
  /** The GitHub review (its id) that approved, or requested the changes the next attempt makes. */
  review?: number;
  /** Failed releases: how long observers wait, on their own clocks, before the next claim. */
  backoffMs?: number;
  reason?: string;
  /**
   * Poisons only: the owner whose claim this poison ended (a takeover at the retry limit). The
   * writing daemon told that owner's fence; the owner, if it wakes, stays silent. Older readers
   * ignore it (and the woken owner of an older version tells again).
   */
  tookOverFrom?: string;
  /** Writer's wall clock (ISO 8601), informative only. */
  at: string;
}

export interface OwnerRecord {
  v: number;
  kind: 'heartbeat';
  owner: string;
  /** Random id of the writing process: tells our own lost writes from another daemon's. */
  instance: string;
  seq: number;
  /** Issues the owner runs (informative). */
  running: number[];
  at: string;
}

export function encodeTaskMessage(record: TaskRecord): string {
  const outcome = record.kind === 'release' ? ` ${record.outcome}` : '';
  const hand = record.hand ? ' by hand' : '';
  return `codex-monitor: ${record.kind} #${record.issue}${outcome} by ${record.owner}${hand} (epoch ${record.epoch})\n\n${JSON.stringify(record)}\n`;
}

export function encodeOwnerMessage(record: OwnerRecord): string {
  const running = record.running.length > 0 ? record.running.map((n) => `#${n}`).join(', ') : 'idle';
  return `codex-monitor: heartbeat ${record.owner} seq ${record.seq} (${running})\n\n${JSON.stringify(record)}\n`;
}

/** The JSON object of a message: after the first blank line, or the whole message. */
function jsonOf(message: string): Record<string, unknown> | null {
  const blank = message.indexOf('\n\n');
  const candidates = blank >= 0 ? [message.slice(blank + 2), message] : [message];
  for (const text of candidates) {
    const trimmed = text.trim();
    if (!trimmed.startsWith('{')) continue;
    try {
      const value: unknown = JSON.parse(trimmed);
      if (value && typeof value === 'object' && !Array.isArray(value))
        return value as Record<string, unknown>;
    } catch {
      // Not JSON: try the next candidate, then give up quietly.
    }
  }
  return null;
}

const isInt = (v: unknown, min: number): v is number => Number.isSafeInteger(v) && (v as number) >= min;
const optString = (v: unknown) => (typeof v === 'string' ? v : undefined);

function version(json: Record<string, unknown>): number | null {
  if (json.v === undefined) return RECORD_VERSION;
  return isInt(json.v, 1) ? json.v : null;
}

export function parseTaskRecord(message: string): TaskRecord | null {
  const json = jsonOf(message);
  if (!json) return null;
  const v = version(json);
  const kind = json.kind as TaskRecordKind;
  if (v === null || !TASK_RECORD_KINDS.includes(kind)) return null;
  if (typeof json.owner !== 'string' || json.owner === '' || !isInt(json.epoch, 1)) return null;
  const attempt = json.attempt ?? '';
  if (typeof attempt !== 'string' || ((kind === 'claim' || kind === 'release') && attempt === ''))
    return null;
  const retries = json.retries ?? 0;
  if (!isInt(retries, 0)) return null;
  const record: TaskRecord = {
    v,
    kind,
    issue: isInt(json.issue, 1) ? json.issue : 0,
    owner: json.owner,
    attempt,
    epoch: json.epoch,
    retries,
    at: optString(json.at) ?? '',
  };
  if (kind === 'release') {
    if (!RELEASE_OUTCOMES.includes(json.outcome as ReleaseOutcome)) return null;
    record.outcome = json.outcome as ReleaseOutcome;
    if (json.backoffMs !== undefined) {
      if (!isInt(json.backoffMs, 0)) return null;
      record.backoffMs = json.backoffMs;
    }
  }
  const reason = optString(json.reason);
  if (reason !== undefined) record.reason = reason;
  if (kind === 'claim' && json.phase === 'deliver') record.phase = 'deliver';
  if (kind === 'poison' && typeof json.tookOverFrom === 'string' && json.tookOverFrom !== '')
    record.tookOverFrom = json.tookOverFrom;
  if (kind === 'claim' && json.hand === true && isInt(json.leaseMs, 1)) {
    record.hand = true;
    record.leaseMs = json.leaseMs;
  }
  // Written by anyone who may write refs: a branch outside our naming is not ours to push to.
  if (typeof json.branch === 'string' && isWorkBranch(json.branch)) record.branch = json.branch;
  if (isInt(json.pr, 1)) record.pr = json.pr;
  if (typeof json.verifiedBy === 'string' && json.verifiedBy !== '') record.verifiedBy = json.verifiedBy;
  if (isInt(json.review, 1)) record.review = json.review;
  return record;
}

/** The branch and pull request a record carries forward to the next record of its chain. */
export function carried(
  record: { branch?: string | null; pr?: number | null } | null | undefined,
): Pick<TaskRecord, 'branch' | 'pr'> {
  return { ...(record?.branch ? { branch: record.branch } : {}), ...(record?.pr ? { pr: record.pr } : {}) };
}

/**
 * A branch name a record may carry: a plain ref name of a few path segments of letters, digits,
 * dots, dashes and underscores (never a ref git would refuse). Which prefix the daemon accepts
 * is checked where the branch is used: this only keeps nonsense out of the view.
 */
export function isWorkBranch(name: string): boolean {
  return (
    name.length <= 200 &&
    /^[A-Za-z0-9._-]+(\/[A-Za-z0-9._-]+)*$/.test(name) &&
    !/^-|(^|\/)\.|\.\.|\.lock(\/|$)|\/$|\.$/.test(name)
  );
}

/**
 * The record of a commit on issue `issue`'s chain: a record naming another issue (a commit
 * copied from another chain, a ref pointed at the wrong place) is not ours here: unknown.
 */
export function parseTaskRecordFor(message: string, issue: number): TaskRecord | null {
  return belongsTo(parseTaskRecord(message), issue);
}

/** `record` if it may sit on issue `issue`'s chain (records without an issue number may). */
export function belongsTo(record: TaskRecord | null, issue: number): TaskRecord | null {
  return record && (record.issue === 0 || record.issue === issue) ? record : null;
}

export function parseOwnerRecord(message: string): OwnerRecord | null {
  const json = jsonOf(message);
  if (!json) return null;
  const v = version(json);
  if (v === null || json.kind !== 'heartbeat' || typeof json.owner !== 'string') return null;
  if (typeof json.instance !== 'string' || !isInt(json.seq, 1)) return null;
  const running = Array.isArray(json.running) ? json.running.filter((n) => isInt(n, 1)) : [];
  return {
    v,
    kind: 'heartbeat',
    owner: json.owner,
    instance: json.instance,
    seq: json.seq,
    running: running as number[],
    at: optString(json.at) ?? '',
  };
}
