/**
 * Git objects as git itself hashes them, so shas behave as on GitHub: a commit's sha covers
 * its tree, parents, message and author/committer with dates in whole seconds. Two identical
 * commits made in the same second therefore get the same sha, exactly as on GitHub; a
 * protocol that wants distinct commits must put something unique in the message.
 */
import { createHash } from 'node:crypto';
import type {
  BlobObject,
  CommitObject,
  GitIdentity,
  GitObject,
  RepoRecord,
  TreeEntry,
  TreeObject,
} from './records.js';

const SHA_RE = /^[0-9a-f]{40}$/;

export function isSha(value: unknown): value is string {
  return typeof value === 'string' && SHA_RE.test(value);
}

function hashObject(type: string, content: Buffer): string {
  const header = Buffer.from(`${type} ${content.length}\0`);
  return createHash('sha1').update(header).update(content).digest('hex');
}

export function makeBlob(content: string): BlobObject {
  const bytes = Buffer.from(content, 'utf8');
  return { type: 'blob', sha: hashObject('blob', bytes), content, size: bytes.length };
}

export function makeTree(entries: TreeEntry[]): TreeObject {
  // git sorts tree entries by name (directories as if suffixed with '/').
  const sorted = [...entries].sort((a, b) => {
    const ka = a.type === 'tree' ? `${a.path}/` : a.path;
    const kb = b.type === 'tree' ? `${b.path}/` : b.path;
    return ka < kb ? -1 : ka > kb ? 1 : 0;
  });
  const parts = sorted.map((e) =>
    Buffer.concat([Buffer.from(`${e.mode} ${e.path}\0`), Buffer.from(e.sha, 'hex')]),
  );
  return { type: 'tree', sha: hashObject('tree', Buffer.concat(parts)), entries: sorted };
}

function signature(id: GitIdentity): string {
  return `${id.name} <${id.email}> ${Math.floor(id.date / 1000)} +0000`;
}

type CommitFields = Omit<CommitObject, 'type' | 'sha' | 'generation'>;

/** A commit object's content exactly as git stores it (what its sha is the hash of). */
export function commitText(fields: CommitFields): string {
  const lines = [`tree ${fields.tree}`, ...fields.parents.map((p) => `parent ${p}`)];
  lines.push(`author ${signature(fields.author)}`, `committer ${signature(fields.committer)}`);
  return `${lines.join('\n')}\n\n${fields.message}`;
}

export function makeCommit(fields: CommitFields, generation: number): CommitObject {
  const text = commitText(fields);
  return { type: 'commit', ...fields, sha: hashObject('commit', Buffer.from(text, 'utf8')), generation };
}

/** Writes a file tree (flat paths only) with its blobs into the repository; returns the tree. */
export function writeFiles(repo: RepoRecord, files: Record<string, string>, at?: number): TreeObject {
  const entries: TreeEntry[] = [];
  for (const [path, content] of Object.entries(files)) {
    const blob = makeBlob(content);
    repo.objects.set(blob.sha, blob, at);
    entries.push({ path, mode: '100644', type: 'blob', sha: blob.sha, size: blob.size });
  }
  const tree = makeTree(entries);
  repo.objects.set(tree.sha, tree, at);
  return tree;
}

export function getCommit(repo: RepoRecord, sha: string, asOf?: number): CommitObject | undefined {
  const object = repo.objects.get(sha, asOf);
  return object?.type === 'commit' ? object : undefined;
}

export function getObject(repo: RepoRecord, sha: string, asOf?: number): GitObject | undefined {
  return repo.objects.get(sha, asOf);
}

/**
 * True when `ancestor` is `descendant` or reachable from it through parents: the condition for
 * a fast-forward. Generation numbers prune the walk, so a failing check on a long chain does not
 * visit the whole history.
 */
export function isAncestor(repo: RepoRecord, ancestor: string, descendant: string): boolean {
  if (ancestor === descendant) return true;
  const target = getCommit(repo, ancestor);
  const start = getCommit(repo, descendant);
  if (!target || !start) return false;
  const stack = [start];
  const seen = new Set<string>();
  while (stack.length > 0) {
    const commit = stack.pop()!;
    if (commit.sha === ancestor) return true;
    if (seen.has(commit.sha) || commit.generation <= target.generation) continue;
    seen.add(commit.sha);
    for (const parent of commit.parents) {
      const next = getCommit(repo, parent);
      if (next) stack.push(next);
    }
  }
  return false;
}

/** git check-ref-format rules for a full ref name (`refs/...`). */
export function isValidRefName(ref: string): boolean {
  if (ref.endsWith('/') || ref.endsWith('.') || ref.includes('//') || ref.includes('..')) return false;
  if (ref.includes('@{') || ref === '@') return false;
  for (const ch of ref) {
    const code = ch.codePointAt(0)!;
    if (code <= 0x20 || code === 0x7f || '~^:?*[\\'.includes(ch)) return false;
  }
  return ref.split('/').every((part) => part.length > 0 && !part.startsWith('.') && !part.endsWith('.lock'));
}

/**
 * A ref cannot be created where another ref is its directory or lives under it
 * (`refs/a` and `refs/a/b`), as git stores refs as paths.
 */
export function conflictsWithExisting(existing: Iterable<string>, ref: string): boolean {
  for (const other of existing) {
    if (other.startsWith(`${ref}/`) || ref.startsWith(`${other}/`)) return true;
  }
  return false;
}
