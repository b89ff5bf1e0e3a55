/**
 * `status` on GitHub shows the whole fleet from the ledger: two real daemons (ws1, ws2, each its
 * own state directory) hold an issue each; `status` runs from a THIRD, fresh state directory on
 * which no daemon ever ran, and shows both owners, both held issues with their owners, the issue
 * blocked on #1, the poisoned and the ignored one — with a summary counted from those rows.
 * Its requests go through a counting proxy: one ledger listing and one issues listing per look.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import type { IncomingMessage } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FleetView } from '../../src/boards/github/fleet/index.js';
import { runCli } from '../support/cli.js';
import { startCuttingProxy } from '../support/cutting-proxy.js';
import { type DaemonProcess, exitWithin, MARKER, waitFor } from '../support/daemons.js';
import { githubEnv, ledgerChain, ownerIssues, startGitHubDaemons } from '../support/github-daemons.js';
import type { FakeGitHub } from '../support/github-fake/index.js';
import { startPullFake } from '../support/pull-request-fleet.js';
import { useTempDirs } from '../support/temp-dir.js';

const tempDir = useTempDirs();

const POISON =
  'codex-monitor: poison #4 by ws9/codex (epoch 1)\n\n' +
  `${JSON.stringify({ v: 1, kind: 'poison', issue: 4, owner: 'ws9/codex', attempt: '', epoch: 1, retries: 3, reason: 'failed 3 times', at: '2026-01-01T00:00:00Z' })}\n`;

/**
 * The poison record of #4 in the fake's bare repository, where the git transport reads the
 * ledger (the fake's REST refs and its bare repositories are separate stores; on GitHub, one).
 */
function poisonInBareRepository(fake: FakeGitHub): void {
  const bare = fake.gitRemote('acme', 'widgets').replace(/^file:\/\//, '');
  const env = {
    ...process.env,
    GIT_AUTHOR_NAME: 't',
    GIT_AUTHOR_EMAIL: 't@t',
    GIT_COMMITTER_NAME: 't',
    GIT_COMMITTER_EMAIL: 't@t',
  };
  const git = (args: string[]) => execFileSync('git', args, { cwd: bare, env, encoding: 'utf8' }).trim();
  const tree = git(['hash-object', '-t', 'tree', '-w', '/dev/null']);
  git(['update-ref', 'refs/codex-monitor/tasks/4', git(['commit-tree', tree, '-m', POISON])]);
}

type Transport = 'rest' | 'git';

describe.each<Transport>(['rest', 'git'])(
  'status on GitHub, ledger over %s: the fleet from the ledger (two daemons, a third workstation)',
  (transport) => {
    /** The daemons' workstations live as long as the daemons (useTempDirs removes after each test). */
    const fleetDir = mkdtempSync(join(tmpdir(), 'codex-monitor-test-'));
    let fake: FakeGitHub;
    let proxy: Awaited<ReturnType<typeof startCuttingProxy>>;
    let daemons: DaemonProcess[] = [];
    /** Every request `status` made through the proxy: "GET /repos/…/issues conditional 304". */
    let seen: string[] = [];
    let ledgerEnv: Record<string, string> = {};

    beforeAll(async () => {
      fake = await startPullFake(join(fleetDir, 'git'));
      ledgerEnv =
        transport === 'git'
          ? { LEDGER_TRANSPORT: 'git', LEDGER_REMOTE: fake.gitRemote('acme', 'widgets') }
          : { LEDGER_TRANSPORT: 'rest' };
      fake.seed({
        repos: [
          {
            owner: 'acme',
            name: 'widgets',
            issues: ownerIssues(5, (n) =>
              n === 3 ? { body: 'Depends on #1.' } : n === 5 ? { labels: ['codex:ignore'] } : {},
            ),
            ...(transport === 'rest'
              ? { refs: [{ ref: 'refs/codex-monitor/tasks/4', messages: [POISON] }] }
              : {}),
          },
        ],
      });
      if (transport === 'git') poisonInBareRepository(fake);
      const route = (req: IncomingMessage) => `${req.method} ${new URL(req.url ?? '/', 'http://x').pathname}`;
      proxy = await startCuttingProxy(fake.url, {
        after: (req, status) => {
          seen.push(`${route(req)} ${req.headers['if-none-match'] ? 'conditional' : 'plain'} ${status}`);
          return false;
        },
      });
      const marker = join(fleetDir, 'markers.jsonl');
      let n = 0;
      const dirs = () => join(fleetDir, `ws${++n}`);
      daemons = startGitHubDaemons(fake, dirs, marker, 2, ['--parallel', '1'], {
        EXECUTOR_COMMAND: `node ${MARKER} ${marker} 120000`,
        ...ledgerEnv,
      });
      // Each daemon holds one of #1 and #2 (one slot each); #3 waits on #1, #4 is poisoned, #5 ignored.
      await waitFor(
        () => {
          const tips = [1, 2].map((n) => ledgerChain(fake, n).at(-1));
          return tips.every((t) => t?.kind === 'claim') && tips[0]!.owner !== tips[1]!.owner;
        },
        60_000,
        'two daemons holding #1 and #2',
      );
    }, 90_000);

    afterAll(async () => {
      for (const d of daemons) d.child.kill('SIGTERM');
      for (const d of daemons) await exitWithin(d, 20_000);
      await proxy?.close();
      await fake?.close();
      rmSync(fleetDir, { recursive: true, force: true });
    }, 30_000);

    it('shows every owner, every held issue with its owner, blocked, poisoned; one look costs one listing per source', async () => {
      const env = githubEnv(fake, join(tempDir(), 'fresh-state'), join(tempDir(), 'm.jsonl'), {
        GITHUB_API_URL: proxy.url,
        // "live" needs a heartbeat seen moving within the threshold of the last look; the looks
        // are a few seconds apart here (process start-up), so the observer's threshold is long.
        SHARED_STATE_STALE_THRESHOLD_MS: '120000',
        TASK_CLAIM_OWNER_STALE_TTL_MS: '120000',
        ...ledgerEnv,
      });

      // First look from a state directory no daemon ever used: ages are honest "first look".
      seen = [];
      const first = await runCli(['status'], { env });
      expect(first.code, first.stderr).toBe(0);
      const text = first.stdout;
      expect(text).toMatch(
        /^codex-monitor status of acme\/widgets at \S+: 2 owners \(0 live, 0 stale, 2 unknown\), 2 held, 0 queued, 1 blocked, 0 backing off, 1 poisoned, 0 done, 1 ignored, 0 skipped$/m,
      );
      expect(text).toMatch(
        /^ws1\/codex\s+≥0s \(first look\)\s+\S+\s+(#[12]|idle)\s+unknown \(first look\)$/m,
      );
      expect(text).toMatch(/^ws2\/codex\s+≥0s \(first look\)/m);
      expect(text).toMatch(/^#1\s+held by ws[12]\/codex\s+\d+\s+\S+\s+Task 1$/m);
      expect(text).toMatch(/^#2\s+held by ws[12]\/codex\s+\d+\s+\S+\s+Task 2$/m);
      expect(text).toMatch(/^#3\s+blocked on #1\s+Task 3$/m);
      expect(text).toMatch(/^#4\s+3\s+failed 3 times\s+Task 4$/m);
      expect(text).not.toMatch(/No GitHub daemon|\bhuman\b/);
      expect(text).toMatch(new RegExp(`^ledger over ${transport} `, 'm'));
      // Over REST: one ledger listing plus a commit read per tip; over git: no REST ledger call.
      const ledgerCalls = seen.filter((r) => r.includes('/git/'));
      if (transport === 'rest') {
        expect(ledgerCalls.filter((r) => r.includes('/git/matching-refs/'))).toHaveLength(1);
      } else expect(ledgerCalls).toEqual([]);
      expect(seen.filter((r) => r.startsWith('GET /repos/acme/widgets/issues '))).toHaveLength(1);
      expect(seen.filter((r) => !r.startsWith('GET '))).toEqual([]);

      // A later look: the heartbeats moved since the first one, so the owners are provably live;
      // what each runs is its last heartbeat's list. Both listings are conditional now (the
      // daemons' mirror writes may have changed the issues meanwhile: 200 or 304).
      seen = [];
      const file = join(tempDir(), 'status.md');
      const json = await runCli(['status', '--json', '--write', file], { env });
      expect(json.code, json.stderr).toBe(0);
      const fleet = JSON.parse(json.stdout) as FleetView & { board: string };
      expect(fleet.board).toBe('github');
      // --write: the same sections as markdown tables.
      const markdown = readFileSync(file, 'utf8');
      expect(markdown).toMatch(
        /^# codex-monitor status\n\ncodex-monitor status of acme\/widgets at \S+: 2 owners/,
      );
      expect(markdown).toMatch(/^\| #3 \| blocked on #1 \| Task 3 \|$/m);
      expect(markdown).toMatch(/## Backing off\n\nNone\./);
      const holders = new Map(fleet.held.map((h) => [h.issue, h.owner]));
      expect([...holders.keys()].sort()).toEqual([1, 2]);
      expect(new Set(holders.values())).toEqual(new Set(['ws1/codex', 'ws2/codex']));
      expect(fleet.owners.map((o) => o.id)).toEqual(['ws1/codex', 'ws2/codex']);
      for (const o of fleet.owners) {
        expect(o.heartbeat.bound).toBe('at-most');
        expect(o.liveness).toBe('live');
        const mine = [...holders].filter(([, owner]) => owner === o.id).map(([n]) => n);
        expect(o.running).toEqual(mine);
        expect(Number.isNaN(Date.parse(o.claimedAt ?? ''))).toBe(false);
      }
      expect(fleet.blocked).toEqual([{ issue: 3, title: 'Task 3', waitingOn: [{ issue: 1, pr: null }] }]);
      expect(fleet.poisoned).toEqual([{ issue: 4, title: 'Task 4', retries: 3, reason: 'failed 3 times' }]);
      expect(fleet.ignored).toEqual([{ issue: 5, title: 'Task 5' }]);
      expect(fleet.queue).toEqual([]);
      expect(fleet.summary).toEqual({
        owners: 2,
        live: 2,
        stale: 0,
        unknown: 0,
        held: fleet.held.length,
        queued: 0,
        blocked: 1,
        backingOff: 0,
        poisoned: 1,
        done: 0,
        ignored: 1,
        skipped: 0,
      });
      expect(fleet.summary.held).toBe(2);
      expect(Number.isNaN(Date.parse(fleet.generatedAt))).toBe(false);
      const issueListings = seen.filter((r) => r.includes('/issues '));
      expect(issueListings).toEqual([
        expect.stringMatching(/^GET \/repos\/acme\/widgets\/issues conditional (200|304)$/),
      ]);
      if (transport === 'rest') {
        expect(seen.filter((r) => r.includes('/git/matching-refs/'))).toEqual([
          expect.stringMatching(
            /^GET \/repos\/acme\/widgets\/git\/matching-refs\/codex-monitor%2F conditional (200|304)$/,
          ),
        ]);
        // Task tips were read at the first look and are cached; only moved heartbeats are read.
        const commits = seen.filter((r) => r.startsWith('GET /repos/acme/widgets/git/commits/'));
        expect(commits.length).toBeLessThanOrEqual(2);
        expect(seen).toHaveLength(2 + commits.length);
      } else expect(seen).toEqual(issueListings); // the ledger is read over git: no REST point
    }, 60_000);
  },
);
