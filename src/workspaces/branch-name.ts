/**
 * Branch names from untrusted titles. The slug keeps lowercase ascii letters, digits and
 * single dashes, so no rule of `git check-ref-format --branch` can be broken by a title
 * (`..`, `@{`, `.lock`, control characters, a leading `-`); the prefix is configuration and
 * is checked with a clear error instead of being repaired.
 */
import { createHash } from 'node:crypto';
import { CodexMonitorError } from '../core/errors.js';

/** Longest slug taken from a title. */
const SLUG_MAX = 40;
/** Longest sanitised task id (a local board's ids may be long). */
const ID_MAX = 60;
/** Longest prefix accepted. */
const PREFIX_MAX = 60;
/** A prefix segment: what a human would type, nothing git could object to. */
const SEGMENT = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

/** The branch prefix from the configuration is not a usable branch name part. */
export class BranchPrefixError extends CodexMonitorError {
  constructor(prefix: string, why: string) {
    super(
      'BRANCH_PREFIX_INVALID',
      `Branch prefix ${JSON.stringify(prefix)} ${why}. Use segments of letters, digits, '.', '_' and '-' ` +
        "separated by '/', for example 'codex/'.",
    );
  }
}

/**
 * The prefix as used in branch names: '' or segments ending with '/' ('codex' → 'codex/').
 * Throws BranchPrefixError naming the problem.
 */
export function normalizePrefix(prefix: string): string {
  if (prefix === '') return '';
  if (prefix.length > PREFIX_MAX)
    throw new BranchPrefixError(prefix, `is longer than ${PREFIX_MAX} characters`);
  const body = prefix.endsWith('/') ? prefix.slice(0, -1) : prefix;
  for (const segment of body.split('/')) {
    if (!SEGMENT.test(segment)) {
      throw new BranchPrefixError(prefix, `has the segment ${JSON.stringify(segment)}`);
    }
    if (segment.includes('..') || segment.endsWith('.') || segment.endsWith('.lock')) {
      throw new BranchPrefixError(
        prefix,
        `has the segment ${JSON.stringify(segment)} (no '..', no trailing '.' or '.lock')`,
      );
    }
  }
  if (body === 'refs' || body.startsWith('refs/')) throw new BranchPrefixError(prefix, "starts with 'refs'");
  return `${body}/`;
}

/** Lowercase ascii words of `text` joined by single dashes, at most `max` characters. */
export function slugify(text: string, max = SLUG_MAX): string {
  const ascii = text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '') // accents split off by NFKD: "é" → "e"
    .toLowerCase();
  const slug = ascii.replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '');
  if (slug.length <= max) return slug;
  const cut = slug.slice(0, max);
  // Cut at a word boundary when one is not too far back.
  const dash = cut.lastIndexOf('-');
  return (dash >= max / 2 ? cut.slice(0, dash) : cut).replace(/-+$/, '');
}

/**
 * A task id (a local board's) as a branch part: its characters outside [A-Za-z0-9._-] become
 * '-', dots cannot form '..' or end it; when anything changed, a short hash of the id keeps
 * two ids that sanitise alike (`a/b`, `a-b`) on distinct branches.
 */
function idPart(id: string): string {
  let part = id
    .replace(/[^A-Za-z0-9._-]+/g, '-')
    .replace(/\.{2,}/g, '.')
    .replace(/^[-.]+|[-.]+$/g, '')
    .slice(0, ID_MAX)
    .replace(/[-.]+$/, '');
  if (part.toLowerCase().endsWith('.lock')) part = part.slice(0, -'.lock'.length);
  if (part !== id || part === '') {
    const hash = createHash('sha256').update(id).digest('hex').slice(0, 8);
    part = part === '' ? hash : `${part}-${hash}`;
  }
  return part;
}

/**
 * The branch of an issue (`branchFor('codex/', 12, 'Fix login timeout')` →
 * `codex/12-fix-login-timeout`) or of a local task (its id, sanitised). The title is
 * untrusted and only ever contributes a slug; an empty slug leaves the number alone.
 */
export function branchFor(prefix: string, issue: number | string, title: string): string {
  const head = normalizePrefix(prefix);
  let id: string;
  if (typeof issue === 'number') {
    if (!Number.isSafeInteger(issue) || issue <= 0) {
      throw new RangeError(`Issue number ${issue} is not a positive integer`);
    }
    id = String(issue);
  } else {
    id = idPart(issue);
  }
  const slug = slugify(title);
  return `${head}${id}${slug ? `-${slug}` : ''}`;
}
