import { ClaimLostError, ClaimRefusedError } from '../../core/errors.js';
import type { ReleaseOutcome } from '../../core/task.js';
import type { HandClaim, HandClaims, HandResult } from '../../daemon/hands.js';
import type { HandOwner, LostClaim, SharedState } from '../../state/shared-state.js';
import type { TaskView } from '../../state/tasks/task-rows.js';
import { requireLocalTask } from './local-steering.js';

/**
 * Hand claims on the embedded board: the local store's claim statement with a lease instead of
 * a pid (state/claims/hand.ts), so two people claiming at once get one winner from SQLite, and
 * a daemon neither claims a live hand claim nor spares a lapsed one.
 */
export class LocalHands implements HandClaims {
  readonly owner: string;

  constructor(
    private readonly store: SharedState,
    private readonly who: HandOwner,
  ) {
    this.owner = who.id;
  }

  async claim(task: string, leaseMs: number): Promise<HandResult> {
    requireLocalTask(this.store, task);
    const result = this.store.claimByHand(task, this.who, leaseMs);
    if (!result.ok) {
      const yours = result.holder === this.owner ? ` — yours already: keep it with renew or hold` : '';
      throw new ClaimRefusedError(
        `Cannot claim ${task}: ${result.detail}${yours}.`,
        result.reason,
        result.holder ?? null,
      );
    }
    const claim = this.claimOf(this.store.get(task)!);
    const from = result.tookOverFrom ? ` (taken over from ${result.tookOverFrom}, who had gone stale)` : '';
    return {
      action: 'claim',
      task,
      held: true,
      message: `Claimed ${task} for ${this.owner} until ${clockTime(claim.leaseUntil)}${from}.`,
      claim,
      tookOverFrom: result.tookOverFrom,
    };
  }

  async held(task: string): Promise<HandClaim> {
    requireLocalTask(this.store, task);
    const view = this.store.get(task)!;
    if (view.state === 'claimed' && view.ownerId === this.owner && view.hand) return this.claimOf(view);
    throw new ClaimLostError(`${this.owner} holds no claim on ${task}: ${describe(view)}.`, 'not-held');
  }

  async beat(claim: HandClaim): Promise<HandClaim> {
    this.check(claim.task, this.store.renewLease(this.proof(claim), null));
    return this.claimOf(this.store.get(claim.task)!);
  }

  async renew(task: string, leaseMs?: number): Promise<HandResult> {
    const claim = await this.held(task);
    this.check(task, this.store.renewLease(this.proof(claim), { ms: leaseMs ?? null }));
    const renewed = this.claimOf(this.store.get(task)!);
    const message = `Renewed ${task} for ${this.owner} until ${clockTime(renewed.leaseUntil)}.`;
    return { action: 'renew', task, held: true, message, claim: renewed };
  }

  async release(task: string, outcome: ReleaseOutcome, pr?: number): Promise<HandResult> {
    const claim = await this.held(task);
    const result = this.store.release(this.proof(claim), outcome, pr ? { pr: { number: pr } } : {});
    if (!result.ok) this.check(task, result);
    const state = result.ok ? result.state : 'unknown';
    const message = `Released ${task} (${outcome}${pr ? `, PR #${pr}` : ''}): it is ${state} now.`;
    return { action: 'release', task, held: false, message, outcome, state, ...(pr ? { pr } : {}) };
  }

  async next(agent: string | null, leaseMs?: number): Promise<HandResult> {
    const label = agent ? ` for ${agent}` : '';
    if (leaseMs === undefined) {
      const view = this.store.peekNext(agent);
      if (!view) return { action: 'next', task: null, held: false, message: `No eligible task${label}.` };
      const message = `Next${label}: ${view.id} (${view.title || 'untitled'}, priority ${view.priority}).`;
      return {
        action: 'next',
        task: view.id,
        held: false,
        message,
        agent: view.agent,
        priority: view.priority,
      };
    }
    const won = this.store.claimNextByHand(this.who, agent, leaseMs);
    if (!won) return { action: 'next', task: null, held: false, message: `No eligible task${label}.` };
    const claim = this.claimOf(won.task);
    return {
      action: 'next',
      task: won.task.id,
      held: true,
      message: `Claimed ${won.task.id} (${won.task.title || 'untitled'}) for ${this.owner} until ${clockTime(claim.leaseUntil)}.`,
      claim,
      agent: won.task.agent,
      priority: won.task.priority,
    };
  }

  async mine(): Promise<HandClaim[]> {
    return this.store.heldBy(this.owner).map((view) => this.claimOf(view));
  }

  async close(): Promise<void> {}

  private claimOf(view: TaskView): HandClaim {
    return {
      task: view.id,
      title: view.title,
      owner: view.ownerId ?? this.owner,
      epoch: view.epoch,
      leaseUntil: view.leaseUntil,
    };
  }

  private proof(claim: HandClaim) {
    return { taskId: claim.task, ownerId: this.owner, epoch: claim.epoch };
  }

  /** Throws the store's refusal of a write on `task` as a ClaimLostError. */
  private check(task: string, result: { ok: true } | ({ ok: false } & LostClaim)): void {
    if (!result.ok) throw new ClaimLostError(`${this.owner} lost ${task}: ${result.reason}.`, result.cause);
  }
}

/** Why a task is not held by the asker, in words. */
function describe(view: TaskView): string {
  if (view.state === 'claimed') return `it is held by ${view.ownerId} (epoch ${view.epoch})`;
  if (view.lastOutcome === 'stale')
    return `the claim lapsed (${view.lastError ?? 'stale'}); it is ${view.state} now`;
  return `it is ${view.state}`;
}

/** A lease's end as a person reads it: local time HH:MM (the holder's own clock). */
export function clockTime(ms: number | null): string {
  if (ms === null) return 'no lease';
  const at = new Date(ms);
  return `${String(at.getHours()).padStart(2, '0')}:${String(at.getMinutes()).padStart(2, '0')}`;
}
