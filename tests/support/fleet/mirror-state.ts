import { ledgerChain, REPOSITORY } from '../github-daemons.js';
import type { FakeGitHub } from '../github-fake/index.js';
import { type Chain, type IssueMirror, mirrorCheck } from './fleet-analysis.js';

/** Issues 1..count as the fake holds them now: ledger chains and what humans see. */
export function mirrorState(fake: FakeGitHub, count: number) {
  const chains = new Map<number, Chain>();
  const mirrors = new Map<number, IssueMirror>();
  for (let n = 1; n <= count; n++) {
    const chain = ledgerChain(fake, n);
    if (chain.length > 0) chains.set(n, chain);
    const issue = fake.state.issue(REPOSITORY, n);
    if (!issue) continue;
    const stateComments = fake.state
      .comments(REPOSITORY, n)
      .filter((c) => c.body.includes('codex-monitor-state'))
      .sort((a, b) => a.id - b.id)
      .map((c) => c.body);
    mirrors.set(n, { labels: issue.labels, stateComments });
  }
  return mirrorCheck(chains, mirrors);
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
