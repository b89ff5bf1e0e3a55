/**
 * Progress while the daemons work, read from the fake as a human would see it on GitHub: each
 * change of an issue's ledger tip (who claimed it, how it ended), its `codex:*` labels, and each
 * pull request as it appears.
 */
import { ledgerChain } from '../../tests/support/github-daemons.js';
import type { FakeGitHub } from '../../tests/support/github-fake/index.js';

/** One line for a ledger record (its epoch is its place on the issue's chain). */
function describeRecord(r: ReturnType<typeof ledgerChain>[number]): string {
  const at = `ledger epoch ${r.epoch}`;
  if (r.kind === 'claim' && r.phase === 'deliver')
    return `${r.owner} proves it still holds the claim, then pushes ${String(r.branch)} (${at})`;
  if (r.kind === 'claim') return `claimed by ${r.owner} (${at})`;
  if (r.kind === 'release') {
    const pr = typeof r.pr === 'number' ? `, pull request #${r.pr}` : '';
    return `released by ${r.owner}: ${r.outcome ?? 'unknown'}${pr} (${at})`;
  }
  return `${r.kind} by ${r.owner} (${at})`;
}

/** Starts watching; `flush()` looks now (a round ended), `stop()` ends it after a last look. */
export function watchProgress(
  fake: FakeGitHub,
  repository: string,
  log: (line: string) => void,
  everyMs = 200,
): { flush: () => void; stop: () => void } {
  const tips = new Map<number, number>();
  const labels = new Map<number, string>();
  const pulls = new Set<number>();
  const look = () => {
    for (const issue of fake.state.issues(repository)) {
      if (issue.pullRequest !== null) {
        if (!pulls.has(issue.number)) {
          pulls.add(issue.number);
          log(
            `  pull request #${issue.number} opened: ${issue.pullRequest.head} → ${issue.pullRequest.base}`,
          );
        }
        continue;
      }
      const n = issue.number;
      const chain = ledgerChain(fake, n);
      for (const record of chain.slice(tips.get(n) ?? 0)) log(`  #${n} ${describeRecord(record)}`);
      tips.set(n, chain.length);
      const shown = issue.labels.filter((l) => l.startsWith('codex:')).join(', ');
      if (shown !== (labels.get(n) ?? '')) log(`  #${n} labels: ${shown || '(none)'}`);
      labels.set(n, shown);
    }
  };
  const timer = setInterval(look, everyMs);
  return {
    flush: look,
    stop: () => {
      clearInterval(timer);
      look();
    },
  };
}
