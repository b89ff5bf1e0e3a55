/**
 * The records of a review chain (`refs/<ns>/reviews/<pr>`), one per pull request the fleet
 * opened: a reviewer's `review-claim` (a second one of the same attempt with `phase: deliver` is
 * its fence before posting), and `review-release` with the verdict of that round. Same message
 * shape as task records (a human line, a blank line, one JSON object) and the same tolerance:
 * anything else parses to null and never throws.
 */
import { RECORD_VERSION } from '../records/ledger-record.js';

export const REVIEW_VERDICTS = ['approve', 'request-changes', 'abandoned', 'failed'] as const;
export type ReviewVerdict = (typeof REVIEW_VERDICTS)[number];

export interface ReviewRecord {
  v: number;
  kind: 'review-claim' | 'review-release';
  pr: number;
  /** The issue the pull request fixes. */
  issue: number;
  /** The writer: the reviewing owner. */
  owner: string;
  /** The owner whose attempt opened or last updated the pull request: it never reviews it. */
  author: string;
  attempt: string;
  /** parent + 1: the fencing token, as on task chains. */
  epoch: number;
  /** Request-changes verdicts so far on this pull request (carried down the chain). */
  round: number;
  /** The head commit under review. */
  headSha: string;
  phase?: 'deliver';
  /** Releases only. */
  verdict?: ReviewVerdict;
  /** The GitHub review posted for this verdict, if one was. */
  reviewId?: number;
  /** Who decided: the reviewer, or `human:<login>` when a person's review won. */
  by?: string;
  reason?: string;
  /** Writer's wall clock, for humans only. */
  at: string;
}

export function encodeReviewMessage(record: ReviewRecord): string {
  const verdict = record.verdict ? ` ${record.verdict}` : '';
  return `codex-monitor: ${record.kind} PR #${record.pr}${verdict} by ${record.owner} (epoch ${record.epoch})\n\n${JSON.stringify(record)}\n`;
}

const isInt = (v: unknown, min: number): v is number => Number.isSafeInteger(v) && (v as number) >= min;
const isText = (v: unknown): v is string => typeof v === 'string' && v !== '';

export function parseReviewRecord(message: string, pr: number): ReviewRecord | null {
  const blank = message.indexOf('\n\n');
  let json: Record<string, unknown>;
  try {
    const value: unknown = JSON.parse((blank >= 0 ? message.slice(blank + 2) : message).trim());
    if (!value || typeof value !== 'object' || Array.isArray(value)) return null;
    json = value as Record<string, unknown>;
  } catch {
    return null;
  }
  const { kind } = json;
  if (kind !== 'review-claim' && kind !== 'review-release') return null;
  if (json.pr !== pr || !isInt(json.issue, 1) || !isInt(json.epoch, 1) || !isInt(json.round, 0)) return null;
  if (!isText(json.owner) || !isText(json.author) || !isText(json.attempt) || !isText(json.headSha))
    return null;
  const record: ReviewRecord = {
    v: isInt(json.v, 1) ? json.v : RECORD_VERSION,
    kind,
    pr,
    issue: json.issue,
    owner: json.owner,
    author: json.author,
    attempt: json.attempt,
    epoch: json.epoch,
    round: json.round,
    headSha: json.headSha,
    at: typeof json.at === 'string' ? json.at : '',
  };
  if (kind === 'review-release') {
    if (!REVIEW_VERDICTS.includes(json.verdict as ReviewVerdict)) return null;
    record.verdict = json.verdict as ReviewVerdict;
  }
  if (kind === 'review-claim' && json.phase === 'deliver') record.phase = 'deliver';
  if (isInt(json.reviewId, 1)) record.reviewId = json.reviewId;
  if (isText(json.by)) record.by = json.by;
  if (isText(json.reason)) record.reason = json.reason;
  return record;
}
