/**
 * Appending records to task chains: a commit whose only parent is the tip we build on, then
 * the ref moved by create-if-absent or CAS (the transport's `advance`). Own writes update what
 * this observer knows at once. On a transport that compacts, a record that ends a claim
 * (release, poison, reset) on a chain at CHAIN_BOUND is written as a root commit instead: the
 * chain is replaced by its latest record, still by CAS on the tip we read.
 */
import type { Clock } from '../../../core/clock.js';
import { CHAIN_BOUND, chainDepth, chainHas, readTipBase, type TipBase } from './ledger-chain.js';
import type { LedgerState } from './ledger-state.js';
import type { LedgerWriteResult, RecordFields } from './ledger-types.js';
import type { RefObserver } from './owners/ref-observer.js';
import { encodeTaskMessage, RECORD_VERSION, type TaskRecord } from './records/ledger-record.js';
import type { LedgerRefs } from './records/ledger-refs.js';
import type { AdvanceResult, LedgerTransport } from './transport.js';

/** What a rewrite wants given the fresh tip: a record to append, nothing, or a refusal. */
export type RewritePlan = RecordFields | 'unchanged' | { held: string };

const REWRITE_ROUNDS = 3;
/** Records after which the chain may be compacted: nobody holds the issue once they land. */
const ENDS_CLAIM = new Set(['release', 'poison', 'reset']);
/** Reasons are for humans reading the chain; an executor's whole stderr does not belong there. */
const MAX_REASON = 500;

export class LedgerWriter {
  constructor(
    private readonly git: LedgerTransport,
    private readonly refs: LedgerRefs,
    private readonly state: LedgerState,
    private readonly observer: RefObserver,
    private readonly clock: Clock,
    private readonly onCasConflict: () => void = () => {},
  ) {}

  /** Appends a record on `base` (null: creates the chain with a root commit). */
  async append(
    issue: number,
    base: TipBase | null,
    fields: RecordFields,
  ): Promise<{ result: AdvanceResult; record: TaskRecord; sha: string }> {
    const ref = this.refs.task(issue);
    const epoch = (base?.epoch ?? 0) + 1;
    const at = new Date(this.clock.now()).toISOString();
    const record: TaskRecord = { v: RECORD_VERSION, issue, epoch, ...fields, at };
    if (record.reason && record.reason.length > MAX_REASON)
      record.reason = `${record.reason.slice(0, MAX_REASON)}…`;
    const parents = base && !(await this.compacts(base, record)) ? [base.sha] : [];
    const sha = await this.git.createCommit(encodeTaskMessage(record), parents);
    const result = await this.git.advance(ref, sha, base?.sha ?? null, (tip) =>
      chainHas(this.git, tip, sha, epoch),
    );
    if (result === 'applied') this.state.wrote(issue, sha, record, this.clock.monotonic());
    else this.onCasConflict();
    return { result, record, sha };
  }

  private async compacts(base: TipBase, record: TaskRecord): Promise<boolean> {
    if (!this.git.compacts || !ENDS_CLAIM.has(record.kind)) return false;
    return (await chainDepth(this.git, base.sha)) >= CHAIN_BOUND;
  }

  /**
   * Reads the tip afresh (one GET, not the last listing), asks `plan` what to write on it and
   * appends it; re-reads and retries when another writer moved the tip first.
   */
  async rewrite(issue: number, plan: (base: TipBase | null) => RewritePlan): Promise<LedgerWriteResult> {
    const ref = this.refs.task(issue);
    for (let round = 0; round < REWRITE_ROUNDS; round++) {
      const sent = this.clock.monotonic();
      const sha = await this.git.tip(ref);
      if (sha) this.observer.observe(ref, sha, sent, this.clock.monotonic());
      const base = sha ? await readTipBase(this.git, sha, issue) : null;
      const fields = plan(base);
      if (fields === 'unchanged')
        return { ok: true, epoch: base?.epoch ?? 0, changed: false, sha: base?.sha ?? null };
      if ('held' in fields) return { ok: false, reason: 'held', detail: fields.held };
      const put = await this.append(issue, base, fields);
      if (put.result === 'applied') return { ok: true, epoch: put.record.epoch, changed: true, sha: put.sha };
    }
    return { ok: false, reason: 'lost-race', detail: `the tip of #${issue} kept moving` };
  }
}
