/**
 * Whether what humans see agrees with the ledger: each issue's daemon label and its newest state
 * comment (status and epoch) against its ledger tip, and issues with more than one state comment.
 */
import type { Chain } from './fleet-analysis.js';

/** What humans see on one issue: its labels and the bodies of its state comments, oldest first. */
export interface IssueMirror {
  labels: readonly string[];
  stateComments: readonly string[];
}

export interface MirrorDisagreement {
  issue: number;
  /** The ledger tip, e.g. `release:complete@2`, or `none`. */
  tip: string;
  labels: string[];
  /** The newest state comment's status and epoch, or null when there is none. */
  comment: { status: unknown; epoch: unknown } | null;
}

const DAEMON_LABELS = ['codex:claimed', 'codex:working', 'codex:stale', 'codex:done', 'codex:failed'];

/** The daemon label and the comment status an issue should show for its ledger tip. */
function expectedFor(tip: Chain[number] | undefined): { label: string | null; status: string | null } {
  if (!tip) return { label: null, status: null };
  if (tip.kind === 'claim') return { label: 'codex:working', status: 'working' };
  if (tip.kind === 'poison') return { label: 'codex:failed', status: 'failed' };
  if (tip.kind === 'release')
    return tip.outcome === 'complete'
      ? { label: 'codex:done', status: 'done' }
      : { label: null, status: 'released' };
  return { label: null, status: null }; // a reset (or a foreign commit): no daemon label, comment left
}

function stateOf(body: string): { status: unknown; epoch: unknown } | null {
  const m = /<!--\s*codex-monitor-state\s*([\s\S]*?)-->/.exec(body);
  try {
    const json = m ? (JSON.parse(m[1]!) as Record<string, unknown>) : null;
    return json ? { status: json.status, epoch: json.epoch } : null;
  } catch {
    return null;
  }
}

/**
 * Issues whose labels or state comment disagree with their ledger tip (the daemon label and the
 * comment's status and epoch), and issues carrying more than one state comment.
 */
export function mirrorCheck(chains: ReadonlyMap<number, Chain>, mirrors: ReadonlyMap<number, IssueMirror>) {
  const disagreeing: MirrorDisagreement[] = [];
  const multipleStateComments: number[] = [];
  for (const [issue, mirror] of mirrors) {
    const tip = chains.get(issue)?.at(-1);
    const want = expectedFor(tip);
    const labels = mirror.labels.filter((l) => DAEMON_LABELS.includes(l.toLowerCase()));
    const newest = mirror.stateComments.at(-1);
    const comment = newest === undefined ? null : stateOf(newest);
    const labelsOk =
      want.label === null ? labels.length === 0 : labels.length === 1 && labels[0] === want.label;
    const commentOk =
      want.status === null ||
      (comment !== null && comment.status === want.status && comment.epoch === tip?.epoch);
    if (!labelsOk || !commentOk) {
      const tipName = tip ? `${tip.kind}${tip.outcome ? `:${tip.outcome}` : ''}@${tip.epoch}` : 'none';
      disagreeing.push({ issue, tip: tipName, labels, comment });
    }
    if (mirror.stateComments.length > 1) multipleStateComments.push(issue);
  }
  return { disagreeing, multipleStateComments };
}
