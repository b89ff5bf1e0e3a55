/**
 * What a delivering fleet left on "GitHub", judged against the ledger: exactly one open pull
 * request per completed issue, and nothing left behind by a fenced attempt — no open pull
 * request whose issue's final release is not by the attempt that wrote it, no branch that no
 * open pull request and no completed release accounts for.
 */
import { execFileSync } from 'node:child_process';
import type { LedgerRecord } from '../github-daemons.js';
import type { FakeGitHub, FakeStats, IssueView } from '../github-fake/index.js';

/**
 * What the daemon's pull request body says about its writer (pulls/pull-body.ts): the owner and
 * the ledger epoch of its claim. (Its `attempt` is the attempt's count, not the ledger's attempt
 * id: the claim record at that epoch gives the id.)
 */
interface PullAuthor {
  issue: number;
  epoch: number;
  owner: string;
}

const MARKER = /<!-- codex-monitor-pull (\{.*?\}) -->/;

function authorOf(pull: IssueView): PullAuthor | null {
  const m = MARKER.exec(pull.body ?? '');
  if (!m) return null;
  try {
    const v = JSON.parse(m[1]!) as { issue?: unknown; epoch?: unknown; owner?: unknown };
    if (typeof v.issue !== 'number' || typeof v.epoch !== 'number' || typeof v.owner !== 'string')
      return null;
    return { issue: v.issue, epoch: v.epoch, owner: v.owner };
  } catch {
    return null;
  }
}

/** Why an open pull request is not the one its issue's final release delivered; null when it is. */
function notByItsReleaser(
  chain: readonly LedgerRecord[] | undefined,
  pull: number,
  author: PullAuthor,
): string | null {
  const release = chain?.filter((r) => r.kind === 'release').at(-1);
  if (!release) return 'its issue has no release';
  if (release.outcome !== 'complete') return `its issue's final release is ${release.outcome}`;
  if (release.pr !== pull)
    return `its issue's final release names pull request ${String(release.pr ?? 'none')}`;
  const claim = chain!.find(
    (r) => r.kind === 'claim' && r.epoch === author.epoch && r.owner === author.owner,
  );
  if (!claim) return `written by ${author.owner} at epoch ${author.epoch}, a claim not on the chain`;
  if (release.owner !== claim.owner || release.attempt !== claim.attempt)
    return `written by ${author.owner} (epoch ${author.epoch}), released by ${release.owner} (epoch ${release.epoch})`;
  return null;
}

/** Branches of a bare repository, without `refs/heads/`. */
export function branchesOf(remote: string): string[] {
  return execFileSync('git', ['for-each-ref', '--format=%(refname:lstrip=2)', 'refs/heads'], {
    cwd: remote,
    encoding: 'utf8',
  })
    .split('\n')
    .filter(Boolean);
}

export interface DeliveryFigures {
  /** Completed issues (a complete release on their chain). */
  completed: number;
  /** Completed issues with exactly one open (or merged) pull request. */
  withOnePull: number;
  /** Completed issues with none, or with more than one: each must be looked at. */
  wrongPullCount: { issue: number; pulls: number[] }[];
  /** Pull requests ever opened, closed ones included (a fenced attempt's cleanup closes its own). */
  pullsOpened: number;
  closedUnmerged: number;
  /** Open pull requests whose issue's final release is not by their writer (or not complete). */
  pullsLeftByFenced: { pull: number; issue: number | null; why: string }[];
  /** Branches with no open pull request and no complete release naming them. */
  branchesLeftByFenced: string[];
  /** Requests to the pulls endpoints per completed issue, in all and by route. */
  pullCallsPerCompletedIssue: number;
  pullCallsByRoute: Record<string, number>;
}

/** Judges the pull requests and branches of `repository` against the ledger chains. */
export function deliveryFigures(
  fake: FakeGitHub,
  repository: string,
  remote: string,
  chains: ReadonlyMap<number, readonly LedgerRecord[]>,
  stats: Pick<FakeStats, 'byRoute'>,
): DeliveryFigures {
  const pulls = fake.state.pulls(repository);
  const live = pulls.filter((p) => p.state === 'open' || p.pullRequest!.mergedAt !== null);
  const completedIssues = [...chains]
    .filter(([, chain]) => chain.some((r) => r.kind === 'release' && r.outcome === 'complete'))
    .map(([n]) => n);
  const liveByIssue = new Map<number, number[]>();
  const pullsLeftByFenced: DeliveryFigures['pullsLeftByFenced'] = [];
  for (const pull of live) {
    const author = authorOf(pull);
    if (!author) {
      pullsLeftByFenced.push({ pull: pull.number, issue: null, why: 'no codex-monitor marker in its body' });
      continue;
    }
    liveByIssue.set(author.issue, [...(liveByIssue.get(author.issue) ?? []), pull.number]);
    const why = notByItsReleaser(chains.get(author.issue), pull.number, author);
    if (why) pullsLeftByFenced.push({ pull: pull.number, issue: author.issue, why });
  }
  const accounted = new Set(live.map((p) => p.pullRequest!.head));
  for (const chain of chains.values())
    for (const r of chain)
      if (r.kind === 'release' && r.outcome === 'complete' && typeof r.branch === 'string')
        accounted.add(r.branch);
  const base = fake.state.repo(repository).defaultBranch;
  const wrongPullCount = completedIssues
    .map((issue) => ({ issue, pulls: liveByIssue.get(issue) ?? [] }))
    .filter((x) => x.pulls.length !== 1);
  const pullCallsByRoute = Object.fromEntries(
    Object.entries(stats.byRoute).filter(([route]) => /\/pulls\b/.test(route)),
  );
  const pullCalls = Object.values(pullCallsByRoute).reduce((sum, n) => sum + n, 0);
  return {
    completed: completedIssues.length,
    withOnePull: completedIssues.length - wrongPullCount.length,
    wrongPullCount,
    pullsOpened: pulls.length,
    closedUnmerged: pulls.filter((p) => p.state === 'closed' && p.pullRequest!.mergedAt === null).length,
    pullsLeftByFenced,
    branchesLeftByFenced: branchesOf(remote).filter((b) => b !== base && !accounted.has(b)),
    pullCallsPerCompletedIssue: pullCalls / Math.max(1, completedIssues.length),
    pullCallsByRoute,
  };
}
