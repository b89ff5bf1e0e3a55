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
 * The mirror check once the daemons' mirrors have caught up: polls until no issue disagrees with
 * its ledger tip. Paced writes (one a second per daemon) put a busy fleet's mirror minutes behind
 * its ledger, so the wait goes on while the count keeps falling — it ends when nothing improved
 * for `stallMs`, or after `maxMs` — and reports how long it took.
 */
export async function settledMirror(fake: FakeGitHub, count: number, stallMs: number, maxMs = 10 * stallMs) {
  const started = Date.now();
  let check = mirrorState(fake, count);
  let best = check.disagreeing.length;
  let improvedAt = started;
  while (check.disagreeing.length > 0 && Date.now() - improvedAt < stallMs && Date.now() - started < maxMs) {
    await new Promise((r) => setTimeout(r, 500));
    check = mirrorState(fake, count);
    if (check.disagreeing.length < best) {
      best = check.disagreeing.length;
      improvedAt = Date.now();
    }
  }
  return { ...check, settledAfterMs: Date.now() - started };
}
