/**
 * Owner heartbeats: each beat appends one commit to `refs/<ns>/owners/<owner>` by CAS, so
 * liveness costs two writes per interval per owner, whatever the number of running tasks. On a
 * transport that compacts, the beat that would make the chain longer than CHAIN_BOUND is a root
 * commit instead (still a CAS on the tip): an owner chain never holds more than CHAIN_BOUND beats.
 *
 * A failed CAS means the ref moved under us. After re-reading it we tell three cases apart:
 * our own earlier write whose answer was lost (its record carries our instance id: adopt it),
 * a read that lags behind (it shows a commit we already built on: retry next beat), and
 * another process writing under our owner id: an owner id collision.
 */
import type { Clock } from '../../../../core/clock.js';
import { OwnerCollisionError } from '../../../../core/errors.js';
import { CHAIN_BOUND, chainDepth } from '../ledger-chain.js';
import { LedgerUncertainError } from '../ledger-errors.js';
import {
  encodeOwnerMessage,
  type OwnerRecord,
  parseOwnerRecord,
  RECORD_VERSION,
} from '../records/ledger-record.js';
import type { LedgerRefs } from '../records/ledger-refs.js';
import type { LedgerTransport } from '../transport.js';
import type { RefObserver } from './ref-observer.js';

interface OwnerState {
  /** Our latest commit on the owner chain (null before the first beat or after the ref vanished). */
  tip: string | null;
  seq: number;
  /** Commits on the chain ending at `tip` (null: not counted yet). */
  depth: number | null;
  /** A beat of ours landed: from now on, a foreign commit on the chain is a collision. */
  verified: boolean;
  /** Commits we know were on the chain below our tip: a read showing one of them lags. */
  below: string[];
  /** Monotonic send time of the last beat that landed (self-fencing measures from it). */
  landedAt: number | null;
  /** The beat in progress: overlapping calls share it instead of racing each other. */
  pending: Promise<void> | null;
}

const ROUNDS = 3;
const KEEP_BELOW = 16;

export class OwnerHeartbeats {
  private readonly owners = new Map<string, OwnerState>();

  constructor(
    private readonly git: LedgerTransport,
    private readonly refs: LedgerRefs,
    private readonly observer: RefObserver,
    private readonly clock: Clock,
    readonly instance: string,
  ) {}

  /** True once a beat of this process landed for `ownerId`. */
  isVerified(ownerId: string): boolean {
    return this.owners.get(ownerId)?.verified === true;
  }

  /**
   * Milliseconds since the last landed beat was sent, on this process's monotonic clock; null
   * before the first. Observers start counting no earlier than that send, so an owner that stops
   * its work once this exceeds a renew deadline shorter than the stale threshold stops in time.
   */
  sinceLastBeatMs(ownerId: string): number | null {
    const at = this.owners.get(ownerId)?.landedAt;
    return at === null || at === undefined ? null : this.clock.monotonic() - at;
  }

  beat(ownerId: string, running: readonly number[]): Promise<void> {
    let st = this.owners.get(ownerId);
    if (!st) {
      st = { tip: null, seq: 0, depth: null, verified: false, below: [], landedAt: null, pending: null };
      this.owners.set(ownerId, st);
    }
    const state = st;
    state.pending ??= this.beatOnce(ownerId, state, running).finally(() => {
      state.pending = null;
    });
    return state.pending;
  }

  private async beatOnce(ownerId: string, st: OwnerState, running: readonly number[]): Promise<void> {
    const ref = this.refs.owner(ownerId);
    const sent = this.clock.monotonic();
    for (let round = 0; round < ROUNDS; round++) {
      if (st.tip === null) await this.adoptTip(st, await this.git.tip(ref));
      const parent = st.tip;
      const record: OwnerRecord = {
        v: RECORD_VERSION,
        kind: 'heartbeat',
        owner: ownerId,
        instance: this.instance,
        seq: st.seq + 1,
        running: [...running],
        at: new Date(this.clock.now()).toISOString(),
      };
      const depth = parent ? await this.depthOf(st, parent) : 0;
      const compact = this.git.compacts && depth >= CHAIN_BOUND;
      const parents = parent && !compact ? [parent] : [];
      const sha = await this.git.createCommit(encodeOwnerMessage(record), parents, false);
      // Someone building on our beat within one round trip would be a collision anyway.
      const result = await this.git.advance(ref, sha, parent, async () => false);
      if (result === 'applied') {
        this.moveTo(st, sha, record.seq, parents.length === 0 ? 1 : depth + 1);
        st.verified = true;
        st.landedAt = sent;
        this.observer.wrote(ref, sha);
        return;
      }
      const tip = await this.git.tip(ref);
      if (tip === null) {
        st.tip = null;
        continue;
      }
      if (tip === parent || st.below.includes(tip)) {
        throw new LedgerUncertainError(`the heartbeat of ${ownerId} was refused but ${ref} reads as before`);
      }
      const theirs = parseOwnerRecord((await this.git.commit(tip)).message);
      if (theirs?.instance === this.instance) {
        this.moveTo(st, tip, theirs.seq, null); // our own write, its answer lost earlier
        continue;
      }
      if (st.verified) {
        throw new OwnerCollisionError(
          ownerId,
          `${ref} moved to ${tip.slice(0, 12)} written by another process ` +
            `(instance ${theirs?.instance ?? 'unknown'}, seq ${theirs?.seq ?? '?'})`,
        );
      }
      await this.adoptTip(st, tip); // first beat: the chain simply moved on; build on the new tip
    }
    throw new OwnerCollisionError(ownerId, `${ref} kept moving under us for ${ROUNDS} attempts`);
  }

  private async adoptTip(st: OwnerState, tip: string | null): Promise<void> {
    if (tip === null) return;
    const record = parseOwnerRecord((await this.git.commit(tip)).message);
    this.moveTo(st, tip, Math.max(st.seq, record?.seq ?? 0), null);
  }

  /** The chain's length below our next beat: counted once after adopting a tip, then tracked. */
  private async depthOf(st: OwnerState, tip: string): Promise<number> {
    if (!this.git.compacts) return 0;
    st.depth ??= await chainDepth(this.git, tip);
    return st.depth;
  }

  private moveTo(st: OwnerState, sha: string, seq: number, depth: number | null): void {
    if (st.tip !== null) st.below = [st.tip, ...st.below].slice(0, KEEP_BELOW);
    st.tip = sha;
    st.seq = seq;
    st.depth = depth;
  }
}
