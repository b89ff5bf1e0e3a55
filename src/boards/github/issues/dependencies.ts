/** Dependencies between issues, as people write them in issue bodies, and cycles among them. */
import { cyclesOf } from '../../ledger/index.js';

export interface DependencyContext {
  owner: string;
  repo: string;
  /** The issue the body belongs to: a reference to itself is ignored. */
  self?: number;
  /** Host of full issue URLs (default github.com; set it for GitHub Enterprise). */
  host?: string;
}

const KEYWORD = /\b(?:depends[ \t-]+on|blocked[ \t-]+by)\b[ \t]*:?[ \t]*/gi;
// `#12`, `owner/repo#12`, or `https://github.com/owner/repo/issues/12` (anchor or query allowed).
const REF =
  /#(\d+)\b|([\w.-]+)\/([\w.-]+)#(\d+)\b|https?:\/\/([\w.-]+)\/([\w.-]+)\/([\w.-]+)\/issues\/(\d+)\b[^\s,;)]*/y;
const SEPARATOR = /[ \t]*(?:,|&|;|\band\b)?[ \t]*/iy;

/** Text that is shown as code or hidden is not a statement about dependencies. */
function stripCode(body: string): string {
  return body
    .replace(/^(```|~~~)[^\n]*\n[\s\S]*?^\1[ \t]*$/gm, ' ')
    .replace(/`[^`\n]*`/g, ' ')
    .replace(/<!--[\s\S]*?-->/g, ' ');
}

/**
 * The issues a body says it waits for. Accepted, case-insensitively: "depends on" or
 * "blocked by" (also hyphenated, optionally followed by a colon), then one or more references
 * separated by commas, "&", ";", "and" or spaces, on the same line:
 * `#12`, `owner/repo#12` and `https://<host>/owner/repo/issues/12` of the same repository.
 * Examples: "Depends on #3", "blocked by #4 and #5", "Depends on: #3, #4".
 * References to other repositories, to the issue itself and inside code (fenced blocks, inline
 * code) or HTML comments are ignored. Returns unique numbers, ascending.
 */
export function parseDependencies(body: string | null | undefined, context?: DependencyContext): number[] {
  if (!body) return [];
  const text = stripCode(body);
  const same = (owner: string, repo: string) =>
    context !== undefined &&
    owner.toLowerCase() === context.owner.toLowerCase() &&
    repo.toLowerCase() === context.repo.toLowerCase();
  const host = (context?.host ?? 'github.com').toLowerCase();
  const found = new Set<number>();
  for (const keyword of text.matchAll(KEYWORD)) {
    let pos = keyword.index + keyword[0].length;
    for (;;) {
      REF.lastIndex = pos;
      const m = REF.exec(text);
      if (!m) break;
      pos = REF.lastIndex;
      let n: number | undefined;
      if (m[1] !== undefined) n = Number(m[1]);
      else if (m[4] !== undefined && same(m[2]!, m[3]!)) n = Number(m[4]);
      else if (m[8] !== undefined && m[5]!.toLowerCase() === host && same(m[6]!, m[7]!)) n = Number(m[8]);
      if (n !== undefined && n > 0 && n !== context?.self) found.add(n);
      SEPARATOR.lastIndex = pos;
      if (SEPARATOR.exec(text)) pos = SEPARATOR.lastIndex;
    }
  }
  return [...found].sort((a, b) => a - b);
}

export type DependencyGraph =
  | ReadonlyMap<number, readonly number[]>
  | Readonly<Record<number, readonly number[]>>;

/**
 * Dependency cycles, each reported once: every strongly connected set of issues (and any issue
 * that depends on itself). A simple cycle is listed in dependency order starting at its
 * smallest number (`[1, 2, 3]` for 1 → 2 → 3 → 1); a tangle of several cycles is listed as its
 * members, ascending. Cycles are ordered by their first number.
 */
export function findCycles(graph: DependencyGraph): number[][] {
  const edges = graph instanceof Map ? graph : new Map(Object.entries(graph).map(([k, v]) => [Number(k), v]));
  return cyclesOf(edges.keys(), (n) => edges.get(n) ?? []);
}
