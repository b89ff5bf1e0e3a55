import type { ClaimTicket, OwnerIdentity, ReleaseOutcome } from '../core/task.js';
import { isGroupAlive, isProcessAlive } from '../host/process-liveness.js';
import { type ClaimOptions, claim, claimNext, recordGrant } from './claims/claim.js';
import { claimByHand, claimNextByHand, type HandOwner, heldBy, peekNext, renewLease } from './claims/hand.js';
import { heartbeat, recordProcess, recordStart, renew } from './claims/heartbeat.js';
import {
  type Refusal,
  type RefusalResult,
  readVerifyReview,
  refuseVerification,
  type VerifyReview,
} from './claims/refuse-verification.js';
import { type ReleaseDetail, release } from './claims/release.js';
import { clearIgnored, reset, setIgnored } from './claims/steer.js';
import { staleExecutions, sweepStale } from './claims/sweep.js';
import { type Db, type OpenOptions, openDatabase } from './db/database.js';
import { EventLog } from './event-log.js';
import { SqliteKeyValueStore } from './kv-store.js';
import { OwnerRegistry } from './owners.js';
import type {
  ClaimProof,
  ClaimResult,
  OrphanedExecution,
  ReleaseResult,
  RenewResult,
  SharedStateOptions,
  SweptClaim,
} from './state-types.js';
import { readRow, type StoreContext, statementCache } from './store-context.js';
import { type TaskDefinition, writeDefinitions } from './tasks/seed-tasks.js';
import {
  claimability,
  defineTask,
  listTasks,
  type StoreStats,
  storeStats,
  type TaskClaimability,
  type TaskFilter,
} from './tasks/task-queries.js';
import { type TaskView, toView } from './tasks/task-rows.js';

export type { ClaimedNext } from './claims/claim.js';
export type { HandOwner } from './claims/hand.js';
export type { ReleaseDecision, ReleaseDetail } from './claims/release.js';
export type * from './state-types.js';
export type { TaskDefinition } from './tasks/seed-tasks.js';
export type { TaskClaimability } from './tasks/task-queries.js';

/**
 * The local shared-state store: this workstation's view of every task's claim, lease,
 * retry budget and ignore flag, in SQLite (WAL). A thin facade: each operation lives in its
 * own file under claims/ or tasks/, is one IMMEDIATE transaction and records its event in
 * it, so several daemons and CLI commands on one machine can act at once and the audit log
 * never disagrees with the state.
 */
export class SharedState {
  readonly events: EventLog;
  readonly owners: OwnerRegistry;
  readonly kv: SqliteKeyValueStore;
  private readonly ctx: StoreContext;

  constructor(
    readonly db: Db,
    options: SharedStateOptions,
  ) {
    const now = () => options.clock.now();
    const isAlive = options.isAlive ?? isProcessAlive;
    this.events = new EventLog(db, options.retention, now);
    this.kv = new SqliteKeyValueStore(db, now);
    this.owners = new OwnerRegistry(db, this.events, {
      host: options.host,
      ttlMs: options.policy.ownerStaleTtlMs,
      now,
      isAlive,
    });
    this.ctx = {
      db,
      events: this.events,
      policy: options.policy,
      host: options.host,
      now,
      isAlive,
      isGroupAlive: options.isGroupAlive ?? isGroupAlive,
      random: options.random ?? Math.random,
      sql: statementCache(db),
      transaction: (fn) => db.transaction(fn).immediate(),
    };
  }

  static open(path: string, options: SharedStateOptions & OpenOptions): SharedState {
    return new SharedState(openDatabase(path, options), options);
  }

  close(): void {
    if (this.db.open) this.db.close();
  }

  /** Runs `fn` as one IMMEDIATE transaction: it holds the write lock from its first statement. */
  transaction<T>(fn: () => T): T {
    return this.ctx.transaction(fn);
  }

  get(taskId: string): TaskView | undefined {
    const row = readRow(this.ctx, taskId);
    return row && toView(row);
  }

  list(filter: TaskFilter = {}): TaskView[] {
    return listTasks(this.ctx, filter);
  }

  /** See tasks/task-queries.ts. */
  defineTask(
    id: string,
    def: { source: string; title: string; agent: string | null; priority: number },
  ): void {
    defineTask(this.ctx, id, def);
  }

  /** Writes local task definitions (new ones ready). See tasks/seed-tasks.ts. */
  writeDefinitions(
    defs: { added: readonly TaskDefinition[]; updated: readonly TaskDefinition[] },
    now: number,
  ): void {
    writeDefinitions(this.ctx, defs, now);
  }

  /** Every task of `source` with the claimable rule's verdict for `agent`, as of now. */
  claimability(source: string, agent: string | null): TaskClaimability[] {
    return claimability(this.ctx, source, agent);
  }

  /** See claims/claim.ts. */
  claim(taskId: string, owner: OwnerIdentity, options: ClaimOptions = {}): ClaimResult {
    return claim(this.ctx, taskId, owner, options);
  }

  /** Claims the best claimable task of `source` for `agent`, or null. See claims/claim.ts. */
  claimNext(owner: OwnerIdentity, agent: string | null, source = 'local') {
    return claimNext(this.ctx, owner, agent, source);
  }

  /** Records an authority's grant of a gated claim (the ledger's epoch). See claims/claim.ts. */
  recordGrant(gate: ClaimTicket, grant: { epoch: number; retryCount: number }): ClaimTicket | null {
    return recordGrant(this.ctx, gate, grant);
  }

  /** Renews one claim's heartbeat (owner and epoch checked). Only tests use it today. */
  renew(proof: ClaimProof): RenewResult {
    return renew(this.ctx, proof);
  }

  /** Claims a task by hand, leased for `leaseMs`. See claims/hand.ts. */
  claimByHand(taskId: string, owner: HandOwner, leaseMs: number): ClaimResult {
    return claimByHand(this.ctx, taskId, owner, leaseMs);
  }

  /** The task claim-next would take for `agent`, without claiming it. */
  peekNext(agent: string | null, source = 'local'): TaskView | null {
    return peekNext(this.ctx, agent, source);
  }

  /** Claims the best task for `agent` by hand; null when there is none. */
  claimNextByHand(owner: HandOwner, agent: string | null, leaseMs: number, source = 'local') {
    return claimNextByHand(this.ctx, owner, agent, leaseMs, source);
  }

  /**
   * Heartbeats a hand claim whose lease still runs (`hold`); with `lease`, restarts the lease
   * too (`renew`: `ms` null keeps its length). See claims/hand.ts.
   */
  renewLease(proof: ClaimProof, lease: { ms: number | null } | null): RenewResult {
    return renewLease(this.ctx, proof, lease);
  }

  /** The claims `ownerId` holds now. */
  heldBy(ownerId: string): TaskView[] {
    return heldBy(this.ctx, ownerId);
  }

  recordStart(proof: ClaimProof): boolean {
    return recordStart(this.ctx, proof);
  }

  recordProcess(proof: ClaimProof, pid: number, pidStart: number | null): void {
    recordProcess(this.ctx, proof, pid, pidStart);
  }

  /** Renews every claim of this owner process; returns their ids. See claims/heartbeat.ts. */
  heartbeat(owner: OwnerIdentity): string[] {
    return heartbeat(this.ctx, this.owners, owner);
  }

  /**
   * Gives a claim back with its outcome. The local retry policy decides what the task becomes
   * unless `detail.decided` says it (the GitHub ledger's decision). See claims/release.ts.
   */
  release(proof: ClaimProof, outcome: ReleaseOutcome, detail: ReleaseDetail = {}): ReleaseResult {
    return release(this.ctx, proof, outcome, detail);
  }

  /** A verification said no: its task goes back with the review (claims/refuse-verification.ts). */
  refuseVerification(proof: ClaimProof, refusal: Refusal): RefusalResult {
    return refuseVerification(this.ctx, proof, refusal);
  }

  /** The latest refusal of a verified task, for its next attempt; null when none. */
  verifyReview(taskId: string): VerifyReview | null {
    return readVerifyReview(this.ctx, taskId);
  }

  sweepStale(): SweptClaim[] {
    return sweepStale(this.ctx);
  }

  staleExecutions(): OrphanedExecution[] {
    return staleExecutions(this.ctx);
  }

  setIgnored(taskId: string, reason: string, actor?: string): void {
    setIgnored(this.ctx, taskId, reason, actor);
  }

  clearIgnored(taskId: string, actor?: string): boolean {
    return clearIgnored(this.ctx, taskId, actor);
  }

  reset(taskId: string, options: { includeDone?: boolean; actor?: string } = {}): boolean {
    return reset(this.ctx, taskId, options);
  }

  stats(): StoreStats {
    return storeStats(this.ctx);
  }
}
