/**
 * Names of the ledger's refs:
 *   refs/<namespace>/tasks/<issue>     one chain per issue
 *   refs/<namespace>/owners/<owner>    one chain per owner (heartbeats)
 *   refs/<namespace>/reviews/<pr>      one chain per pull request under review (reviews/)
 *
 * Owner ids contain `/` and may contain anything else, while git ref names forbid `..`, `:`,
 * `~`, `^`, spaces, `@{`, a trailing `.lock` and more, and URLs treat `%` specially. So an owner
 * id is encoded reversibly into [A-Za-z0-9-] plus `_XX` escapes (each UTF-8 byte of any other
 * character, `_` included): `ws1/codex` → `ws1_2Fcodex`. Such a component is always a valid ref
 * name component and needs no URL escaping.
 */
import { InputError } from '../../../../core/errors.js';

const PLAIN = /^[A-Za-z0-9-]$/;

export function encodeOwnerId(ownerId: string): string {
  if (ownerId === '') throw new InputError('Owner id is empty: give each daemon a non-empty owner id.');
  let out = '';
  for (const ch of ownerId) {
    if (PLAIN.test(ch)) {
      out += ch;
      continue;
    }
    for (const byte of Buffer.from(ch, 'utf8')) out += `_${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

/** The owner id of an encoded component, or null when it was not produced by `encodeOwnerId`. */
export function decodeOwnerId(component: string): string | null {
  if (!/^(?:[A-Za-z0-9-]|_[0-9A-F]{2})+$/.test(component)) return null;
  const bytes: number[] = [];
  for (let i = 0; i < component.length; ) {
    if (component[i] === '_') {
      bytes.push(Number.parseInt(component.slice(i + 1, i + 3), 16));
      i += 3;
    } else {
      bytes.push(component.charCodeAt(i));
      i += 1;
    }
  }
  const decoded = Buffer.from(bytes).toString('utf8');
  // Reject non-canonical spellings (escaped plain characters, invalid UTF-8).
  return encodeOwnerId(decoded) === component ? decoded : null;
}

export type ParsedRef =
  | { kind: 'task'; issue: number }
  | { kind: 'owner'; ownerId: string }
  | { kind: 'review'; pr: number };

export class LedgerRefs {
  /** Prefix for `git/matching-refs/{prefix}` (no leading `refs/`), e.g. `codex-monitor/`. */
  readonly prefix: string;

  constructor(readonly namespace = 'codex-monitor') {
    if (!/^[a-z0-9][a-z0-9-]*$/i.test(namespace)) {
      throw new InputError(`Ledger namespace "${namespace}" must be letters, digits and dashes.`);
    }
    this.prefix = `${namespace}/`;
  }

  task(issue: number): string {
    if (!Number.isSafeInteger(issue) || issue < 1) throw new InputError(`Issue number ${issue} is invalid.`);
    return `refs/${this.namespace}/tasks/${issue}`;
  }

  review(pr: number): string {
    if (!Number.isSafeInteger(pr) || pr < 1) throw new InputError(`Pull request number ${pr} is invalid.`);
    return `refs/${this.namespace}/reviews/${pr}`;
  }

  owner(ownerId: string): string {
    return `refs/${this.namespace}/owners/${encodeOwnerId(ownerId)}`;
  }

  /** What a listed ref is; null for anything else under the namespace (ignored). */
  parse(ref: string): ParsedRef | null {
    const m = /^refs\/([^/]+)\/(tasks|owners|reviews)\/([^/]+)$/.exec(ref);
    if (!m || m[1] !== this.namespace) return null;
    if (m[2] !== 'owners') {
      if (!/^[1-9][0-9]{0,15}$/.test(m[3]!)) return null;
      return m[2] === 'tasks' ? { kind: 'task', issue: Number(m[3]) } : { kind: 'review', pr: Number(m[3]) };
    }
    const ownerId = decodeOwnerId(m[3]!);
    return ownerId === null ? null : { kind: 'owner', ownerId };
  }
}
