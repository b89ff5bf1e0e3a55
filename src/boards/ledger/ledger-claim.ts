/**
 * Claiming one task of a ledger board. The ledger decides; the local claim comes first only as
 * this workstation's gate (two daemons of one machine never race on the ledger for one task) and
 * is given back whenever the ledger does not grant the claim. A granted claim is recorded locally
 * with the ledger's epoch and retry count: from then on there is one claim, named the same everywhere.
 */
import type { Logger } from '../../core/logger.js';
import type { ClaimTicket, OwnerIdentity } from '../../core/task.js';
import type { ActiveClaim } from '../../daemon/board.js';
import type { SharedState } from '../../state/shared-state.js';
import type { LedgerTicket, RefLedger } from '../github/ledger/index.js';

/**
 * A claim a ledger board handed out: the board-neutral claim, whose ticket carries the ledger's
 * epoch, and the ledger ticket (chain tip) its heartbeat verdicts and release quote. The daemon
 * hands back the very object the board gave it, so the ledger ticket travels with the claim.
 */
export interface LedgerClaim extends ActiveClaim {
  ledger: LedgerTicket;
}

/** The ledger ticket of a claim a ledger board handed out (undefined for any other object). */
export function ledgerTicketOf(claim: ActiveClaim): LedgerTicket | undefined {
  return (claim as Partial<LedgerClaim>).ledger;
}

/** What claiming one task needs of the board (a test passes an object literal). */
export interface LedgerClaimContext {
  store: SharedState;
  self: OwnerIdentity;
  ledger: Pick<RefLedger, 'claim' | 'lastView'>;
  maxRetries: number;
  logger: Logger;
  /** The local store's task source (`github`, `jira`). */
  source: string;
  /** Runs the ledger write (GitHub: holding its mirror back meanwhile). */
  ledgerWrite?: <R>(write: () => Promise<R>) => Promise<R>;
  /** The ledger refused the claim because the chain is poisoned: the board mirrors it. */
  onPoisoned?: (chain: number, ownerId: string, detail: string) => void;
  /**
   * A takeover ended another owner's epoch `epoch` (the fence is told: board-notices.ts).
   * `poisoned`: the takeover wrote a poison (the retry limit reached), not a claim.
   */
  onTookOver?: (chain: number, from: string, epoch: number, ownerId: string, poisoned?: boolean) => void;
}

/** A claim the ledger granted: the local ticket (with the ledger's epoch) and the ledger's. */
export interface LedgerGrant {
  ticket: ClaimTicket;
  ledger: LedgerTicket;
  tookOverFrom: string | null;
}

/** Claims task `id` (ledger chain `chain`): the grant, or null when the gate or the ledger refused. */
export async function claimOnLedger(
  ctx: LedgerClaimContext,
  id: string,
  chain: number,
): Promise<LedgerGrant | null> {
  const { self: owner, store: state } = ctx;
  // The ledger is the authority: a task done here that it sent back since (a reviewer asked for
  // changes, a retry elsewhere) is open again on this workstation too.
  const tip = ctx.ledger.lastView()?.tasks.get(chain);
  if (state.get(id)?.state === 'done' && tip && tip.state !== 'done') {
    state.reset(id, { includeDone: true, actor: 'ledger' });
  }
  const local = state.claim(id, owner, { create: true, source: ctx.source });
  if (!local.ok) return null;
  const giveBack = (error: string) => state.release(local.ticket, 'abandoned', { error });
  const write = ctx.ledgerWrite ?? ((w) => w());
  let won: Awaited<ReturnType<RefLedger['claim']>>;
  try {
    won = await write(() => ctx.ledger.claim(chain, owner.id, { maxRetries: ctx.maxRetries }));
  } catch (error) {
    giveBack(`ledger unavailable: ${String(error)}`); // no answer: the gate must not outlive this call
    throw error;
  }
  if (!won.ok) {
    giveBack(`ledger: ${won.reason}: ${won.detail}`);
    ctx.logger.info({ task: id, reason: won.reason, detail: won.detail }, 'ledger refused the claim');
    if (won.reason === 'poisoned') ctx.onPoisoned?.(chain, owner.id, won.detail);
    // Our poison ended a silent owner's claim: we ended its epoch, so we tell its fence.
    if (won.reason === 'poisoned' && won.ended)
      ctx.onTookOver?.(chain, won.ended.owner, won.ended.epoch, owner.id, true);
    return null;
  }
  // Every commit counts one epoch: the claim taken over sits right below ours.
  if (won.tookOverFrom !== null) ctx.onTookOver?.(chain, won.tookOverFrom, won.ticket.epoch - 1, owner.id);
  const grant = { epoch: won.ticket.epoch, retryCount: won.ticket.retries };
  let ticket = state.recordGrant(local.ticket, grant);
  if (!ticket) {
    // Only a human's local reset between the two steps takes the gate back: the ledger, the
    // authority, granted the claim, so it runs; its local release is recorded as fenced.
    ctx.logger.warn({ task: id, epoch: grant.epoch }, 'the local claim changed while the ledger granted it');
    ticket = { ...local.ticket, epoch: grant.epoch, attempt: grant.retryCount + 1 };
  }
  return { ticket, ledger: won.ticket, tookOverFrom: won.tookOverFrom };
}
