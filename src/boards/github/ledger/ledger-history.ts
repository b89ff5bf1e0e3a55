/**
 * An issue's ledger chain as a history to show (the dashboard's task page): every commit from
 * the tip down, with its record. Anyone who may push refs can write a commit here, so a commit
 * is shown as what it is: a record the parser accepts (unknown fields dropped by it), or an
 * unreadable commit with its first line — never a reason to fail the page.
 */
import { CHAIN_BOUND } from './ledger-chain.js';
import { parseTaskRecordFor, type TaskRecord } from './records/ledger-record.js';
import { LedgerRefs } from './records/ledger-refs.js';
import type { LedgerTransport } from './transport.js';

export interface ChainEntry {
  sha: string;
  /** null: no record of this issue (a foreign or malformed commit, or another issue's record). */
  record: TaskRecord | null;
  /** An unreadable commit's first line (bounded), for a human to recognise it. */
  summary?: string;
}

export interface ChainHistory {
  issue: number;
  /** null: the issue has no chain (never claimed). */
  tip: string | null;
  /** Oldest first. */
  entries: ChainEntry[];
  /** The chain goes on below the oldest entry shown. */
  truncated: boolean;
}

/** A first line of a foreign commit is shown at most this long. */
const SUMMARY_MAX = 200;

/**
 * Reads issue `issue`'s chain: one ref read, then the commits down from its tip (cached by sha
 * on both transports: a chain read before costs nothing but the ref). At most `limit` commits;
 * a commit that cannot be read ends the walk, shown as such.
 */
export async function readChainHistory(
  git: LedgerTransport,
  issue: number,
  options: { namespace?: string; limit?: number; signal?: AbortSignal } = {},
): Promise<ChainHistory> {
  const limit = options.limit ?? CHAIN_BOUND;
  const tip = await git.tip(new LedgerRefs(options.namespace).task(issue));
  const entries: ChainEntry[] = [];
  let next: string | undefined = tip ?? undefined;
  while (next !== undefined && entries.length < limit) {
    options.signal?.throwIfAborted();
    const sha: string = next;
    let commit: Awaited<ReturnType<LedgerTransport['commit']>>;
    try {
      commit = await git.commit(sha);
    } catch {
      entries.push({ sha, record: null, summary: '(the commit could not be read)' });
      next = undefined;
      break;
    }
    const record = parseTaskRecordFor(commit.message, issue);
    entries.push(record ? { sha, record } : { sha, record: null, summary: firstLine(commit.message) });
    next = commit.parents[0];
  }
  return { issue, tip, entries: entries.reverse(), truncated: next !== undefined };
}

function firstLine(message: string): string {
  const line = message.split('\n', 1)[0] ?? '';
  return line.length > SUMMARY_MAX ? `${line.slice(0, SUMMARY_MAX)}…` : line;
}
