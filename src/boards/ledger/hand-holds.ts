/**
 * What hand claims do the same way on every ledger board: a person's hand claim of a chain on
 * the freshly read ledger (or why there is none), every hand claim a person holds, a lease's end,
 * and what `release` and `next` answer. Each board keeps how it names issues and what its mirror
 * shows (GitHubHands, JiraHands).
 */
import { ClaimLostError } from '../../core/errors.js';
import type { ReleaseOutcome } from '../../core/task.js';
import type { HandClaim, HandResult } from '../../daemon/hands.js';
import type { RefLedger } from '../github/ledger/index.js';

/** A person's hand claim as the ledger reads it: its ticket, lease and when it was written. */
export type HandHold = NonNullable<ReturnType<RefLedger['heldByHand']>>;

type HandLedger = Pick<RefLedger, 'refresh' | 'heldByHand'>;

/** `ownerId`'s hand claim of `chain` on the freshly read ledger; ClaimLostError saying why not. */
export async function handHoldOf(
  ledger: HandLedger,
  chain: number,
  ownerId: string,
  name: string,
): Promise<HandHold> {
  const view = await ledger.refresh();
  const hold = ledger.heldByHand(chain, ownerId);
  if (hold) return hold;
  const tip = view.tasks.get(chain);
  const now = tip?.holder
    ? `${tip.state}, ${tip.holder} (epoch ${tip.epoch})`
    : (tip?.state ?? 'never claimed');
  throw new ClaimLostError(`${ownerId} holds no hand claim on ${name}: it is ${now}.`, 'not-held');
}

/** Every chain `ownerId` holds by hand now, ascending. */
export async function handHoldsOf(
  ledger: HandLedger,
  ownerId: string,
): Promise<{ chain: number; hold: HandHold }[]> {
  const view = await ledger.refresh();
  const held: { chain: number; hold: HandHold }[] = [];
  for (const [chain, tip] of view.tasks) {
    if (tip.record?.kind !== 'claim' || tip.holder !== ownerId || !tip.record.hand) continue;
    const hold = ledger.heldByHand(chain, ownerId);
    if (hold) held.push({ chain, hold });
  }
  return held.sort((a, b) => a.chain - b.chain);
}

/** When a hold's lease runs out, on the clock of the machine that claimed or renewed it. */
export function leaseEndOf(hold: HandHold): HandClaim['leaseUntil'] {
  const at = Date.parse(hold.at);
  return Number.isNaN(at) ? null : at + hold.leaseMs;
}

/** A lease's end as HH:MM UTC (the comment's form). */
export function hhmm(ms: number | null): string {
  return ms === null ? 'no lease' : `${new Date(ms).toISOString().slice(11, 16)} UTC`;
}

/** What `claim` answers: `name` as people write it (`#12`, `OPS-12`). */
export function claimedResult(name: string, claim: HandClaim, tookOverFrom: string | null): HandResult {
  const from = tookOverFrom ? ` (taken over from ${tookOverFrom})` : '';
  const message = `Claimed ${name} for ${claim.owner} until ${hhmm(claim.leaseUntil)}${from}.`;
  return { action: 'claim', task: claim.task, held: true, message, claim, tookOverFrom };
}

/** What `renew` answers. */
export function renewedResult(name: string, claim: HandClaim): HandResult {
  const message = `Renewed ${name} for ${claim.owner} until ${hhmm(claim.leaseUntil)}.`;
  return { action: 'renew', task: claim.task, held: true, message, claim };
}

/** What `release` answers: `name` as people write it (`#12`, `OPS-12`), `task` the board's id. */
export function releasedResult(name: string, task: string, outcome: ReleaseOutcome, pr?: number): HandResult {
  const state = outcome === 'complete' ? 'done' : outcome === 'failed' ? 'failed' : 'ready';
  const message = `Released ${name} (${outcome}${pr ? `, PR #${pr}` : ''}): it is ${state} now.`;
  return { action: 'release', task, held: false, message, outcome, state, ...(pr ? { pr } : {}) };
}

/** The best eligible issue as `next` shows it. */
export interface NextIssue {
  name: string;
  task: string;
  /** The issue's text: printed terminal-safe by the CLI, never interpreted. */
  title: string;
  agent: string | null;
  priority: number;
}

/** What `next` answers: the issue named, or claimed by hand when `leaseMs` is given. */
export async function nextByHand(
  agent: string | null,
  leaseMs: number | undefined,
  issue: NextIssue | null,
  claim: (leaseMs: number) => Promise<HandResult>,
): Promise<HandResult> {
  const label = agent ? ` for ${agent}` : '';
  if (!issue) return { action: 'next', task: null, held: false, message: `No eligible issue${label}.` };
  const shown = { agent: issue.agent, priority: issue.priority };
  if (leaseMs === undefined) {
    const message = `Next${label}: ${issue.name} (${issue.title}, priority ${issue.priority}).`;
    return { action: 'next', task: issue.task, held: false, message, ...shown };
  }
  return { ...(await claim(leaseMs)), action: 'next', ...shown };
}
