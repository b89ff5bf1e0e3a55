import { ledgerChain, REPOSITORY } from '../github-daemons.js';
import type { FakeGitHub } from '../github-fake/index.js';
import type { Chain } from './fleet-analysis.js';
import { type IssueMirror, mirrorCheck } from './mirror-check.js';

/** Issues 1..count as the fake holds them now: ledger chains and what humans see. */
export function mirrorState(fake: FakeGitHub, count: number) {
  const chains = new Map<number, Chain>();
  const mirrors = new Map<number, IssueMirror>();
  const authors = new Map<number, string[]>();
  for (let n = 1; n <= count; n++) {
    const chain = ledgerChain(fake, n);
    if (chain.length > 0) chains.set(n, chain);
    const issue = fake.state.issue(REPOSITORY, n);
    if (!issue) continue;
    const comments = fake.state
      .comments(REPOSITORY, n)
      .filter((c) => c.body.includes('codex-monitor-state'))
      .sort((a, b) => a.id - b.id);
    mirrors.set(n, { labels: issue.labels, stateComments: comments.map((c) => c.body) });
    authors.set(
      n,
      comments.map((c) => c.user),
    );
  }
  const check = mirrorCheck(chains, mirrors);
  // Who wrote the extra comments, and what they say: the first thing to look at when one appears.
  const multiple = check.multipleStateComments.map((issue) => ({
    issue,
    comments: mirrors.get(issue)!.stateComments.map((body, i) => ({
      by: authors.get(issue)![i],
      says: /<!--\s*codex-monitor-state\s*([\s\S]*?)-->/.exec(body)?.[1]?.slice(0, 200),
    })),
  }));
  return { ...check, multiple };
}

/**
 * The mirror check once the reconcilers have settled: polls until no issue disagrees with its
 * ledger tip, or `settleMs` has passed (then reports what still disagrees). Also reports how
 * long it waited.
 */
export async function settledMirror(fake: FakeGitHub, count: number, settleMs: number) {
  const started = Date.now();
  let check = mirrorState(fake, count);
  while (check.disagreeing.length > 0 && Date.now() - started < settleMs) {
    await new Promise((r) => setTimeout(r, 250));
    check = mirrorState(fake, count);
  }
  return { ...check, settledAfterMs: Date.now() - started };
}
