/**
 * The whole job with no GitHub account: the GitHub fake with a real bare repository, a few
 * issues (one depending on another), two workstations — each its own clone and daemon — working
 * them with a scripted agent in a worktree per attempt, a maintainer merging the first pull
 * request (which closes its issue and lets the dependent one run), and what is left on "GitHub".
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DaemonProcess } from '../../tests/support/daemons.js';
import { type SeedIssue, startFakeGitHub } from '../../tests/support/github-fake/index.js';
import { collectResult, type DemoResult, formatResult } from './demo-report.js';
import { watchProgress } from './progress.js';
import { makeWorkstation, runDaemon, status, type Workstation } from './workstation.js';

const OWNER = 'acme';
const REPO = 'widgets';
const REPOSITORY = `${OWNER}/${REPO}`;
const TOKEN = 'demo-token';

/** The issues a team might file; the scripted agent writes each body into `issue-<n>.md`. */
export const DEMO_ISSUES: SeedIssue[] = [
  { title: 'Add a greeting to the docs', body: 'Say hello to new contributors.' },
  { title: 'Describe the release steps', body: 'Write down how a release is cut.' },
  { title: 'Link the greeting from the release notes', body: 'Depends on #1.\n\nPoint readers to it.' },
].map((i) => ({ ...i, authorAssociation: 'OWNER' as const }));

/** A step of the demo went wrong: the message says which and what was seen. */
export class DemoFailed extends Error {
  override name = 'DemoFailed';
}

export interface DemoOptions {
  log: (line: string) => void;
  /** Where the demo makes its temporary directory (default: the system's); removed at the end. */
  workRoot?: string;
  /** Keep the temporary directory (clones, state, daemon logs) for a look afterwards. */
  keep?: boolean;
  /** Other issues (default DEMO_ISSUES): #1 must end in a pull request, merged after round 1. */
  issues?: SeedIssue[];
}

/** Runs the demo; throws DemoFailed when a step did not end as it should. */
export async function runDemo(options: DemoOptions): Promise<DemoResult> {
  const { log, issues = DEMO_ISSUES } = options;
  const root = options.workRoot ?? tmpdir();
  mkdirSync(root, { recursive: true });
  const work = mkdtempSync(join(root, 'codex-monitor-demo-'));
  const fake = await startFakeGitHub({
    gitRoot: join(work, 'github'),
    tokens: [{ token: TOKEN, login: 'demo-bot' }],
    secondaryPerMinute: 100_000,
    secondaryPerHour: 100_000,
  });
  try {
    fake.seed({ repos: [{ owner: OWNER, name: REPO, issues }] });
    const remote = fake.gitRemote(OWNER, REPO);
    log(`GitHub fake at ${fake.url}; ${REPOSITORY} is the bare repository ${remote}`);
    for (const [i, issue] of issues.entries())
      log(
        `  issue #${i + 1}: ${issue.title}${issue.body?.startsWith('Depends on') ? ' (depends on #1)' : ''}`,
      );
    const api = { url: fake.url, token: TOKEN, repository: REPOSITORY };
    const fleet = [1, 2].map((n) => makeWorkstation(join(work, `ws${n}`), `ws${n}/codex`, remote, api));
    log(`two workstations, each with its own clone: ${fleet.map((w) => w.clone).join(', ')}`);

    const progress = watchProgress(fake, REPOSITORY, log);
    try {
      await round(
        fleet,
        'round 1: both daemons work what they can (#3 waits for #1 to be closed)',
        log,
        progress.flush,
      );
      log(`codex-monitor status on ${fleet[0]!.owner}:`);
      log((await status(fleet[0]!)).replace(/^/gm, '      │ '));
      const first = fake.state
        .pulls(REPOSITORY)
        .find((p) => /\bFixes #1\b/.test(p.body ?? '') && p.state === 'open');
      if (!first) throw new DemoFailed('round 1 ended without an open pull request for #1');
      const merged = fake.state.mergePull(REPOSITORY, first.number, 'maintainer');
      log(
        `a maintainer merges pull request #${first.number}: issue(s) ${merged.closedIssues.map((n) => `#${n}`).join(', ') || 'none'} closed by "Fixes #1"`,
      );
      await round(fleet, 'round 2: #1 is closed as completed, so #3 may run', log, progress.flush);
    } finally {
      progress.stop();
    }
    const result = collectResult(fake, REPOSITORY, remote);
    log(formatResult(result));
    check(result, issues.length);
    return result;
  } finally {
    await fake.close();
    if (options.keep) log(`kept ${work}`);
    else rmSync(work, { recursive: true, force: true });
  }
}

/** Both daemons `--until-idle` at once; each must end with exit code 0. */
async function round(
  fleet: Workstation[],
  title: string,
  log: (line: string) => void,
  showProgress: () => void,
): Promise<void> {
  log(title);
  const daemons: DaemonProcess[] = fleet.map(runDaemon);
  const codes = await Promise.all(daemons.map((d) => d.exited));
  showProgress();
  for (const [i, code] of codes.entries()) {
    if (code !== 0)
      throw new DemoFailed(
        `the daemon of ${fleet[i]!.owner} exited with ${code}; its last output:\n${daemons[i]!.output().slice(-2000)}`,
      );
  }
  log('  both daemons idle: exit code 0');
}

/** One pull request per issue, each changing exactly its issue's file. */
function check(result: DemoResult, issues: number): void {
  for (let n = 1; n <= issues; n++) {
    const mine = result.pulls.filter((p) => p.fixes === n);
    if (mine.length !== 1)
      throw new DemoFailed(`issue #${n} has ${mine.length} pull requests; expected exactly 1`);
    const files = mine[0]!.files.join(', ');
    if (files !== `issue-${n}.md`)
      throw new DemoFailed(
        `pull request #${mine[0]!.number} changes ${files || 'nothing'}; expected issue-${n}.md`,
      );
  }
}
