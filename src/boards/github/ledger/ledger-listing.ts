/**
 * What one listing of the ledger's refs holds: each task tip's record (commits read at most
 * once, cached by sha), and the refs the ledger cannot use — a foreign name, a ref pointing at
 * a tree, a blob or a tag (GitHub lets a ref point at any object), a commit GitHub cannot find.
 * Those are problems to show and skip, never a reason for the whole refresh to fail.
 */
import type { Logger } from '../../../core/logger.js';
import { LedgerBadRefError } from './ledger-errors.js';
import { parseTaskRecord, type TaskRecord } from './records/ledger-record.js';
import type { LedgerRefs } from './records/ledger-refs.js';
import type { LedgerProblem } from './records/ledger-view.js';
import type { LedgerTransport, ListedRef } from './transport.js';

export interface ReadListing {
  /** Every listed ref to its sha (what the observer records). */
  listing: Map<string, string>;
  /** Records of the task tips, by sha (null: a commit with no record of ours). */
  records: Map<string, TaskRecord | null>;
  problems: LedgerProblem[];
}

export async function readListing(
  git: LedgerTransport,
  refs: LedgerRefs,
  listed: ReadonlyMap<string, ListedRef>,
): Promise<ReadListing> {
  const listing = new Map([...listed].map(([ref, o]) => [ref, o.sha]));
  const problems: LedgerProblem[] = [];
  const tips: string[] = [];
  for (const [ref, { sha, type }] of listed) {
    const kind = refs.parse(ref)?.kind;
    if (kind === undefined) problems.push({ ref, sha, reason: 'not a ledger ref name (ignored)' });
    else if (type !== 'commit') problems.push({ ref, sha, reason: `points at a ${type}, not a commit` });
    else if (kind === 'task') tips.push(sha);
  }
  const records = new Map<string, TaskRecord | null>();
  const unreadable = new Map<string, string>();
  for (let i = 0; i < tips.length; i += 8) {
    const read = tips.slice(i, i + 8).map((sha) =>
      git.commit(sha).then(
        (c) => records.set(sha, parseTaskRecord(c.message)),
        (error: unknown) => {
          if (!(error instanceof LedgerBadRefError)) throw error;
          unreadable.set(sha, error.reason);
        },
      ),
    );
    await Promise.all(read);
  }
  for (const [ref, sha] of listing) {
    const reason = unreadable.get(sha);
    if (reason !== undefined && refs.parse(ref)?.kind === 'task') problems.push({ ref, sha, reason });
  }
  return { listing, records, problems };
}

/** Logs each bad ref once per sha it points at (`warned` remembers), not on every cycle. */
export function warnOnce(logger: Logger, warned: Set<string>, problems: readonly LedgerProblem[]): void {
  for (const p of problems) {
    const key = `${p.ref} ${p.sha}`;
    if (warned.has(key)) continue;
    warned.add(key);
    logger.warn(
      { ref: p.ref, sha: p.sha, reason: p.reason },
      `ledger: skipping ${p.ref} (${p.reason}); repair or delete that ref to bring its issue back`,
    );
  }
}
