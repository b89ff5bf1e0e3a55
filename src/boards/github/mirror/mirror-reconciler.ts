/**
 * The mirror is derived from the ledger, not remembered: each cycle the ledger view this daemon
 * already holds is compared with the issue labels it already synced and the state comment it
 * last wrote or read — no request on a quiet cycle — and an issue whose mirror disagrees with its
 * tip gets a mirror target, a few per cycle. This repairs what a crash, a lost write or a lagging
 * read left behind, on start-up and ever after.
 */
import { createHash } from 'node:crypto';
import type { Clock } from '../../../core/clock.js';
import type { Logger } from '../../../core/logger.js';
import type { LedgerTaskView, LedgerView } from '../ledger/index.js';
import type { BoardMirror } from './board-mirror.js';
import { type DaemonLabelState, isDaemonLabel, labelFor } from './labels.js';
import type { Mirror } from './mirror.js';
import type { MirrorState } from './state-comment/state-block.js';

/** What an issue should show for its ledger tip. */
export interface ExpectedMirror {
  label: DaemonLabelState;
  /** null: the record says nothing the comment must show (a reset). */
  comment: MirrorState | null;
  /** The record's writer. */
  owner: string;
  kind: 'claim' | 'release' | 'reset' | 'poison';
  sha: string;
  epoch: number;
}

/**
 * The mirror of a tip: a claim by a live owner → working (by a person's hand: claimed, with the
 * lease's end); a completed release → done (verified once a reviewer approved its pull request:
 * `verifiedBy`); poison →
 * failed; a failed or abandoned release, or a reset → no daemon label. Null for a tip that says
 * nothing certain (an unknown commit, a claim whose owner went silent: a takeover will follow).
 */
export function expectedMirror(task: LedgerTaskView, maxRetries: number): ExpectedMirror | null {
  const rec = task.record;
  if (!rec) return null;
  const base = { owner: rec.owner, kind: rec.kind, sha: task.sha, epoch: rec.epoch };
  const comment = (status: MirrorState['status'], attempt: number, outcome: string | null): MirrorState => ({
    owner: rec.owner,
    status,
    attempt,
    maxAttempts: maxRetries,
    since: rec.at || new Date(0).toISOString(),
    heartbeat: null,
    epoch: rec.epoch,
    outcome,
    error: rec.reason ?? null,
  });
  switch (rec.kind) {
    case 'claim':
      if (task.state !== 'held') return null;
      if (rec.hand) {
        // A person's claim: shown as held by hand until the lease's end (the claimer's clock).
        const at = Date.parse(rec.at);
        const until = Number.isNaN(at) ? null : new Date(at + (rec.leaseMs ?? 0)).toISOString();
        const shown = comment('claimed', rec.retries + 1, null);
        return { ...base, label: 'claimed', comment: until ? { ...shown, hand: { until } } : shown };
      }
      return { ...base, label: 'working', comment: comment('working', rec.retries + 1, null) };
    case 'poison':
      return { ...base, label: 'failed', comment: comment('failed', maxRetries, 'poisoned') };
    case 'reset':
      return { ...base, label: null, comment: null };
    case 'release': {
      if (rec.outcome === 'complete' && rec.verifiedBy) {
        const shown = { ...comment('done', rec.retries + 1, 'complete'), verifiedBy: rec.verifiedBy };
        return { ...base, label: 'verified', comment: rec.pr ? { ...shown, pr: rec.pr } : shown };
      }
      if (rec.outcome === 'complete') {
        // The pull request too: the project card shows a delivered issue as in review.
        const done = comment('done', rec.retries + 1, 'complete');
        return { ...base, label: 'done', comment: rec.pr ? { ...done, pr: rec.pr } : done };
      }
      const attempt = rec.outcome === 'failed' ? rec.retries : rec.retries + 1;
      return { ...base, label: null, comment: comment('released', attempt, rec.outcome ?? null) };
    }
  }
}

/** The issue's daemon labels are exactly the expected one (human labels do not matter). */
export function labelsAgree(current: readonly string[], label: DaemonLabelState): boolean {
  const ours = current.filter(isDaemonLabel).map((l) => l.toLowerCase());
  const want = labelFor(label);
  return want === null ? ours.length === 0 : ours.length === 1 && ours[0] === want;
}

/** The state comment shows the tip: same status, same epoch. */
export function commentAgrees(
  shown: { status: string; epoch: number | null } | null,
  expected: ExpectedMirror,
): boolean {
  if (expected.comment === null) return true;
  return shown !== null && shown.status === expected.comment.status && shown.epoch === expected.epoch;
}

/** What the reconciler needs of the board's mirror (a test passes an object literal). */
export interface ReconcilerMirror {
  mirror: Pick<Mirror, 'desire' | 'backlog'>;
  ownWriteRecent: BoardMirror['ownWriteRecent'];
  holds: BoardMirror['holds'];
}

export interface ReconcilerOptions {
  mirror: ReconcilerMirror;
  /** The issue's labels as last synced; undefined for an issue this daemon has not seen. */
  labels: (issue: number) => readonly string[] | undefined;
  /** What our state comment showed when last written or read; null when unknown. */
  comment: (issue: number) => { status: string; epoch: number | null } | null;
  clock: Clock;
  logger: Logger;
  maxRetries: number;
  /** Repairs queued per cycle at most: a big backlog is paced. */
  perCycle?: number;
  /**
   * How long another owner's record may stay mismatched before this daemon repairs it (plus a
   * spread per daemon and issue): the writer mirrors its own records, and a fleet must not race.
   */
  othersGraceMs?: number;
  /** The issue's last project card move failed (GITHUB_PROJECT): repair it though the rest agrees. */
  projectPending?: (issue: number) => boolean;
}

/**
 * Another owner's record may stay mismatched this long (plus a spread of as much again) before
 * this daemon repairs it: a live writer's paced mirror can run well behind its ledger, and a
 * repair racing it could create a second state comment. A writer that restarts repairs its own at
 * once; this is for one that never comes back.
 */
const OTHERS_GRACE_MS = 60_000;
/** Our own mirror write of an issue this recent may still be on its way: leave it alone. */
const OWN_WRITE_GRACE_MS = 5_000;
/** One repair of an issue per this long, whatever happens (a repair that keeps failing costs little). */
const REPAIR_COOLDOWN_MS = 30_000;
/** No new repairs while the mirror has this many targets queued. */
const MAX_BACKLOG = 10;

export class MirrorReconciler {
  private readonly mismatchSince = new Map<number, number>();
  private readonly lastRepair = new Map<number, number>();
  /** Tip and labels of issues found in agreement: unchanged, they need no second look. */
  private readonly agreed = new Map<number, string>();

  constructor(private readonly o: ReconcilerOptions) {}

  /**
   * Compares every tip of `view` with the issue's mirror and queues repairs. `self` is this
   * daemon (its own claims are mirrored only while it runs them). Returns the repairs queued.
   */
  cycle(view: LedgerView, self: { ownerId: string; holds: (issue: number) => boolean }): number {
    const { mirror, clock } = this.o;
    const now = clock.monotonic();
    const perCycle = this.o.perCycle ?? 3;
    const othersGraceMs = this.o.othersGraceMs ?? OTHERS_GRACE_MS;
    let queued = 0;
    for (const [issue, task] of view.tasks) {
      const expected = expectedMirror(task, this.o.maxRetries);
      const labels = this.o.labels(issue);
      if (!expected || labels === undefined) continue;
      const own = expected.owner === self.ownerId;
      if (expected.kind === 'claim' && !(own && self.holds(issue))) continue;
      // Our comment changes only by our own writes, which follow a new tip: same tip and labels,
      // same verdict.
      const key = `${expected.sha}|${labels.join(',')}`;
      const projectDue = this.o.projectPending?.(issue) ?? false;
      if (this.agreed.get(issue) === key && !projectDue) continue;
      const shown = this.o.comment(issue);
      // A record we wrote should have a comment we know; one we do not is looked for. Another
      // owner's record is judged by its labels alone: the mirror writes the comment before the
      // labels, so labels that show the tip mean its writer finished — and a fleet that repaired
      // every comment it had not read itself would race to create twins.
      const commentOk = own
        ? commentAgrees(shown, expected) && (shown !== null || expected.comment === null)
        : shown === null || commentAgrees(shown, expected);
      if (labelsAgree(labels, expected.label) && commentOk && !projectDue) {
        this.mismatchSince.delete(issue);
        this.agreed.set(issue, key);
        continue;
      }
      this.agreed.delete(issue);
      if (mirror.ownWriteRecent(issue, OWN_WRITE_GRACE_MS)) continue;
      const since = this.mismatchSince.get(issue) ?? now;
      this.mismatchSince.set(issue, since);
      if (!own && now - since < othersGraceMs + spread(self.ownerId, issue, othersGraceMs)) continue;
      const last = this.lastRepair.get(issue);
      if (last !== undefined && now - last < REPAIR_COOLDOWN_MS) continue;
      if (queued >= perCycle || mirror.mirror.backlog >= MAX_BACKLOG) break;
      this.repair(expected, issue, labels, shown);
      this.lastRepair.set(issue, now);
      queued++;
    }
    return queued;
  }

  /**
   * Mirrors `issue`'s tip now, without the grace or the cooldown: this process just wrote it
   * outside an attempt (a review verdict on the author's chain) and is its writer.
   */
  repairNow(view: LedgerView, issue: number): void {
    const task = view.tasks.get(issue);
    const expected = task ? expectedMirror(task, this.o.maxRetries) : null;
    const labels = this.o.labels(issue);
    if (!expected || labels === undefined) return;
    this.agreed.delete(issue);
    this.repair(expected, issue, labels, this.o.comment(issue));
    this.lastRepair.set(issue, this.o.clock.monotonic());
  }

  private repair(
    expected: ExpectedMirror,
    issue: number,
    labels: readonly string[],
    shown: { status: string; epoch: number | null } | null,
  ): void {
    const { mirror, logger } = this.o;
    logger.info(
      { issue, tip: `${expected.kind}@${expected.epoch}`, labels: labels.filter(isDaemonLabel), shown },
      `#${issue}: labels or state comment disagree with the ledger; repairing`,
    );
    const ticket = { issue, sha: expected.sha, epoch: expected.epoch };
    mirror.mirror.desire({
      issue,
      label: expected.label,
      comment: expected.comment,
      holds: () => mirror.holds(ticket, Number.NEGATIVE_INFINITY),
    });
  }
}

/** A stable delay in [0, rangeMs) per daemon and issue, so a fleet's repairs do not collide. */
function spread(ownerId: string, issue: number, rangeMs: number): number {
  if (rangeMs <= 0) return 0;
  return createHash('sha256').update(`${ownerId}#${issue}`).digest().readUInt32BE(0) % rangeMs;
}
