/**
 * What the demo shows at the end, read from the fake: the pull requests (with the files each
 * changes, from the bare repository), and every issue's state, labels and state comment.
 */
import { execFileSync } from 'node:child_process';
import type { FakeGitHub, IssueView } from '../../tests/support/github-fake/index.js';

export interface DemoPull {
  number: number;
  branch: string;
  title: string;
  state: 'open' | 'closed' | 'merged';
  /** The issue its body says it fixes. */
  fixes: number | null;
  files: string[];
  /** The body as a reader sees it (hidden markers left out). */
  body: string;
}

export interface DemoIssue {
  number: number;
  title: string;
  state: string;
  labels: string[];
  /** The visible part of the daemon's state comment, or null when there is none. */
  stateComment: string | null;
}

export interface DemoResult {
  pulls: DemoPull[];
  issues: DemoIssue[];
}

const STATE_BLOCK = '<!-- codex-monitor-state';

/** Files a pull request changes: against the base it was merged into, or the base now. */
function changedFiles(remote: string, pull: IssueView): string[] {
  const fields = pull.pullRequest!;
  const range = fields.mergeCommitSha
    ? [`${fields.mergeCommitSha}^1`, fields.mergeCommitSha]
    : [`${fields.base}...${fields.head}`];
  try {
    return execFileSync('git', ['diff', '--name-only', ...range], {
      cwd: remote,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
    })
      .split('\n')
      .filter(Boolean);
  } catch {
    return []; // the branch is gone: nothing to show
  }
}

/** Reads the demo's outcome from the fake. */
export function collectResult(fake: FakeGitHub, repository: string, remote: string): DemoResult {
  const pulls = fake.state.pulls(repository).map((p): DemoPull => {
    const fixes = /\bFixes #(\d+)\b/.exec(p.body ?? '');
    return {
      number: p.number,
      branch: p.pullRequest!.head,
      title: p.title,
      state: p.pullRequest!.mergedAt !== null ? 'merged' : p.state,
      fixes: fixes ? Number(fixes[1]) : null,
      files: changedFiles(remote, p),
      body: (p.body ?? '').replace(/<!--[\s\S]*?-->/g, '').trim(),
    };
  });
  const issues = fake.state
    .issues(repository)
    .filter((i) => i.pullRequest === null)
    .map((i): DemoIssue => {
      const comment = fake.state
        .comments(repository, i.number)
        .map((c) => c.body)
        .find((b) => b.includes(STATE_BLOCK));
      return {
        number: i.number,
        title: i.title,
        state: i.state === 'closed' ? `closed (${i.stateReason ?? 'completed'})` : 'open',
        labels: i.labels,
        stateComment: comment ? comment.slice(0, comment.indexOf(STATE_BLOCK)).trim() : null,
      };
    });
  return { pulls, issues };
}

/** The result as the newcomer reads it. */
export function formatResult(result: DemoResult): string {
  const lines = ['', 'Pull requests:'];
  for (const p of result.pulls) {
    lines.push(
      `  #${p.number} [${p.state}] ${p.title}`,
      `      branch ${p.branch}${p.fixes === null ? '' : `, fixes #${p.fixes}`}; files changed: ${p.files.join(', ') || '(none)'}`,
    );
  }
  const sample = result.pulls[0];
  if (sample) {
    lines.push('', `The body of pull request #${sample.number}:`);
    lines.push(...sample.body.split('\n').map((l) => `      │ ${l}`));
  }
  lines.push('', 'Issues:');
  for (const i of result.issues) {
    lines.push(`  #${i.number} ${i.title} — ${i.state}; labels: ${i.labels.join(', ') || '(none)'}`);
    if (i.stateComment) lines.push(...i.stateComment.split('\n').map((l) => `      │ ${l}`));
  }
  return lines.join('\n');
}
