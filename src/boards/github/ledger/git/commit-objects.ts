/**
 * Reading commit objects out of `git cat-file --batch`: each answer is a header
 * `<sha> <type> <size>` (or `<sha> missing`) followed by exactly `size` bytes. Sizes count
 * bytes, so the output is parsed as bytes: a foreign commit's message (invalid UTF-8, a line
 * that looks like a header) can never shift what the next answer is read as.
 */
import type { CommitInfo } from '../transport.js';

export type BatchObject =
  | { sha: string; type: 'commit'; commit: CommitInfo }
  | { sha: string; type: string; commit?: undefined }
  | { sha: string; type: 'missing'; commit?: undefined };

const NEWLINE = 0x0a;

/** Parses a raw commit object: `parent` headers, then the message after the first blank line. */
export function parseCommitObject(sha: string, raw: Buffer): CommitInfo {
  const end = raw.indexOf('\n\n');
  const headers = (end === -1 ? raw : raw.subarray(0, end)).toString('utf8').split('\n');
  const parents = headers.flatMap((line) => (line.startsWith('parent ') ? [line.slice(7).trim()] : []));
  const message = end === -1 ? '' : raw.subarray(end + 2).toString('utf8');
  return { sha, message, parents };
}

/** Parses `git cat-file --batch` output, in the order the shas were asked. */
export function parseBatch(out: Buffer): BatchObject[] {
  const objects: BatchObject[] = [];
  let at = 0;
  while (at < out.length) {
    const eol = out.indexOf(NEWLINE, at);
    if (eol === -1) throw new Error('git cat-file --batch: an answer without its header line');
    const [sha = '', type = '', size] = out.subarray(at, eol).toString('utf8').split(' ');
    at = eol + 1;
    if (type === 'missing' || size === undefined) {
      objects.push({ sha, type: 'missing' });
      continue;
    }
    const length = Number(size);
    if (!Number.isSafeInteger(length) || at + length > out.length) {
      throw new Error(`git cat-file --batch: object ${sha} is cut short`);
    }
    const body = out.subarray(at, at + length);
    at += length + 1; // the object, then a newline
    objects.push(type === 'commit' ? { sha, type, commit: parseCommitObject(sha, body) } : { sha, type });
  }
  return objects;
}

const SHA = /^[0-9a-f]{40,64}$/;
const MEMORY_LIMIT = 10_000;

/**
 * The commits this process has read or made, in memory (at most MEMORY_LIMIT, oldest dropped
 * first: the cache repository is the lasting copy), filled by one `cat-file --batch` per read.
 */
export class CommitMemory {
  private readonly known = new Map<string, CommitInfo>();

  /** `batch`: runs `git cat-file --batch` with the given stdin and returns its stdout. */
  constructor(private readonly batch: (input: string) => Promise<Buffer>) {}

  get(sha: string): CommitInfo | undefined {
    return this.known.get(sha);
  }

  /** Reads the commits among `shas` not yet known, all at once (objects that are not commits are skipped). */
  async read(shas: readonly string[]): Promise<void> {
    const wanted = [...new Set(shas)].filter((sha) => SHA.test(sha) && !this.known.has(sha));
    if (wanted.length === 0) return;
    for (const object of parseBatch(await this.batch(`${wanted.join('\n')}\n`))) {
      if (object.commit) this.remember(object.commit);
    }
  }

  remember(info: CommitInfo): void {
    if (this.known.size >= MEMORY_LIMIT) this.known.delete(this.known.keys().next().value as string);
    this.known.set(info.sha, info);
  }
}
