/**
 * The whole fleet on Jira, as `status`, the dashboard and /metrics show it: two daemon processes
 * on the Jira fake (real HTTP), their claims in a git ledger (a bare repository over file://),
 * each running one issue that takes minutes. A third workstation with no daemon reads the fleet:
 * both owners, each held issue by its key, the queue. Thresholds of minutes (the 'cli' project):
 * no takeover happens that the test did not ask for.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FleetView } from '../../src/boards/ledger/index.js';
import { loadConfig } from '../../src/config/config.js';
import type { RunningServer } from '../../src/serve/server.js';
import type { SharedState } from '../../src/state/shared-state.js';
import { runCli } from '../support/cli.js';
import { type DaemonProcess, fastEnv, MARKER, readMarkers, startCli, waitFor } from '../support/daemons.js';
import { startTestDashboard } from '../support/dashboard.js';
import { createBareRepo } from '../support/git-server/index.js';
import { jiraEnv } from '../support/jira-env.js';
import { type FakeJira, startFakeJira } from '../support/jira-fake/index.js';
import { parseMetrics, samples } from '../support/prometheus-text.js';

const OWNERS = ['ws1/codex', 'ws2/codex'];

/** What each owner's last heartbeat in the bare ledger says it runs (the tests' ground truth). */
function runningByBeat(bare: string): number[][] {
  const git = (...args: string[]) => execFileSync('git', ['-C', bare, ...args], { encoding: 'utf8' });
  return git('for-each-ref', '--format=%(objectname)', 'refs/codex-monitor-jira/owners/')
    .split('\n')
    .filter(Boolean)
    .map((sha) => {
      const message = git('cat-file', 'commit', sha);
      const record = JSON.parse(message.slice(message.lastIndexOf('\n\n{') + 2)) as { running?: number[] };
      return record.running ?? [];
    });
}

describe('status on a Jira fleet of two daemons', () => {
  let fake: FakeJira;
  let env: (stateDir: string) => Record<string, string>;
  let daemons: DaemonProcess[] = [];
  let held: string[] = [];
  let store: SharedState | undefined;
  let server: RunningServer | undefined;
  // One directory for the whole file (the ledger, the daemons' states): useTempDirs removes its
  // directories after each test, while the daemons live across the tests.
  let dir: string;

  beforeAll(async () => {
    fake = await startFakeJira();
    for (let i = 1; i <= 3; i++) fake.create({ project: 'OPS', summary: `Task ${i}`, labels: ['codex'] });
    dir = mkdtempSync(join(tmpdir(), 'codex-monitor-test-'));
    const markers = join(dir, 'markers.jsonl');
    const bare = createBareRepo(join(dir, 'ledger.git'));
    const ledger = `file://${bare}`;
    env = (stateDir) =>
      fastEnv(stateDir, {
        ...jiraEnv(fake, ledger),
        POLL_INTERVAL_MS: '200',
        SHARED_STATE_HEARTBEAT_INTERVAL_MS: '500',
        SHARED_STATE_STALE_THRESHOLD_MS: '120000',
        TASK_CLAIM_OWNER_STALE_TTL_MS: '120000',
        EXECUTOR: 'shell',
        // Each issue runs for minutes: both claims are held while the test reads the fleet.
        EXECUTOR_COMMAND: `node ${MARKER} ${markers} 300000`,
      });
    daemons = OWNERS.map((owner, i) =>
      startCli(['run', '--owner', owner, '--parallel', '1'], env(join(dir, `ws${i + 1}`))),
    );
    const started = await waitFor(
      () => {
        const starts = readMarkers(markers).filter((m) => m.phase === 'start');
        return new Set(starts.map((m) => m.owner)).size === 2 && starts;
      },
      60_000,
      `both daemons running an issue:\n${daemons.map((d) => d.output()).join('\n')}`,
    );
    held = started.map((m) => m.task.replace(/^jira:/, '')).sort();
    // …and each one's heartbeat says so (beats every 500 ms): what `running` is read from.
    await waitFor(
      () => {
        const beats = runningByBeat(bare);
        return beats.length === 2 && beats.every((r) => r.length === 1);
      },
      30_000,
      'both heartbeats naming their issue',
    );
  }, 90_000);

  afterAll(async () => {
    await server?.close();
    store?.close();
    for (const d of daemons) d.child.kill('SIGTERM');
    await Promise.all(daemons.map((d) => d.exited));
    await fake?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('status --json on a workstation without a daemon lists both owners and each held issue by its key', async () => {
    const stateDir = join(dir, 'reader');
    const result = await runCli(['status', '--json'], { env: env(stateDir), cwd: dir });
    expect(result.code, result.stderr).toBe(0);
    const fleet = JSON.parse(result.stdout) as FleetView;
    expect(fleet).toMatchObject({ board: 'jira', repository: fake.url, ledger: { transport: 'git' } });
    expect(fleet.owners.map((o) => o.id)).toEqual(OWNERS);
    expect(fleet.held.map((h) => [h.key, h.owner]).sort()).toEqual(
      held.map((key) => [key, expect.stringMatching(/^ws[12]\/codex$/)]),
    );
    expect(new Set(fleet.held.map((h) => h.owner))).toEqual(new Set(OWNERS));
    // What each owner's heartbeat says it runs, named by key.
    for (const h of fleet.held) {
      const runs = fleet.owners.find((o) => o.id === h.owner)?.running;
      expect(runs?.map((n) => fleet.keys?.[n])).toEqual([h.key]);
    }
    const left = ['OPS-1', 'OPS-2', 'OPS-3'].filter((k) => !held.includes(k));
    expect(fleet.queue.map((q) => q.key)).toEqual(left);
    expect(fleet.summary).toMatchObject({ owners: 2, held: 2, queued: 1 });

    const text = await runCli(['status'], { env: env(stateDir), cwd: dir });
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout).toContain(`codex-monitor status of ${fake.url}`);
    expect(text.stdout).toMatch(new RegExp(`${held[0]}\\s+held by ws[12]/codex`));
    expect(text.stdout).not.toMatch(/#\d/); // Jira issues by key, never by chain number
  });

  it('the dashboard’s /api/status, its page and /metrics show the same fleet', async () => {
    const config = loadConfig({
      ...env(join(dir, 'dashboard')),
      POLL_INTERVAL_MS: '600000', // a scrape reuses the page's read
      SERVE_PORT: '0',
    });
    ({ server, store } = await startTestDashboard(config));
    const fleet = (await (await fetch(`${server.url}/api/status`)).json()) as FleetView;
    expect(fleet.board).toBe('jira');
    expect(fleet.held?.map((h) => h.key).sort()).toEqual(held);
    const page = await (await fetch(`${server.url}/`)).text();
    for (const key of held) expect(page).toContain(`<a href="/tasks/jira%3A${key}">${key}</a>`);
    // The task page reads the issue's chain in the Jira namespace (the third workstation ran nothing).
    const key = held[0]!;
    const detail = (await (
      await fetch(`${server.url}/api/tasks/${encodeURIComponent(`jira:${key}`)}`)
    ).json()) as {
      ledger: { key: string; title: string; records: { kind: string; owner: string }[] };
    };
    expect(detail.ledger).toMatchObject({ key, title: `Task ${key.slice(4)}` });
    expect(detail.ledger.records.at(-1)).toMatchObject({
      kind: 'claim',
      owner: expect.stringMatching(/^ws[12]\/codex$/),
    });
    const taskPage = await (await fetch(`${server.url}/tasks/${key}`)).text();
    expect(taskPage).toContain(`The records of ${key} in the claim ledger`);
    expect((await fetch(`${server.url}/api/tasks/OPS-99`)).status).toBe(404);
    const metrics = parseMetrics(await (await fetch(`${server.url}/metrics`)).text());
    expect(samples(metrics, 'codex_monitor_heartbeat_age_seconds').map((s) => s.labels.owner)).toEqual(
      OWNERS,
    );
    expect(samples(metrics, 'codex_monitor_running_tasks')[0]?.value).toBe(2);
  });
});
