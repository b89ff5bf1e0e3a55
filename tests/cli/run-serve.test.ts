import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.js';
import { fastEnv } from '../support/daemons.js';
import { githubEnv, ownerIssues, seedIssues } from '../support/github-daemons.js';
import { startFakeGitHub } from '../support/github-fake/index.js';
import { parseMetrics, sample, samples } from '../support/prometheus-text.js';
import { startListening } from '../support/serve-process.js';
import { useTempDirs } from '../support/temp-dir.js';

const tempDir = useTempDirs();

/** GET /healthz until it answers 200 (the daemon's first cycle and heartbeat come soon after start). */
async function healthy(url: string): Promise<{ ok: boolean; detail?: string }> {
  for (;;) {
    const response = await fetch(`${url}/healthz`);
    const body = (await response.json()) as { ok: boolean; detail?: string; reason?: string };
    if (response.status === 200) return body;
    expect(response.status).toBe(503);
    expect(body.reason).toEqual(expect.any(String));
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe('codex-monitor run --serve', () => {
  it('answers /healthz and /api/status while the daemon runs; the port is closed after it stops', async () => {
    const env = fastEnv(tempDir());
    expect((await runCli(['tasks', 'add', 'long', '--duration', '60s'], { env })).code).toBe(0);
    const daemon = await startListening(['run', '--serve'], env);
    try {
      expect(await healthy(daemon.url)).toMatchObject({
        ok: true,
        detail: expect.stringContaining('heartbeat'),
      });
      // The running task shows on the fleet page of the daemon's own server.
      for (;;) {
        const status = (await (await fetch(`${daemon.url}/api/status`)).json()) as {
          running: { id: string }[];
        };
        if (status.running.some((t) => t.id === 'long')) break;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      expect(await (await fetch(`${daemon.url}/`)).text()).toContain('href="/tasks/long"');
    } finally {
      expect(await daemon.stop()).toBe(0);
    }
    await expect(fetch(`${daemon.url}/healthz`)).rejects.toThrow();
  });
});

describe('codex-monitor run --serve on the GitHub fake', () => {
  it("exports the daemon's own GitHub requests (its ledger writes), its attempts, and the fleet's gauges", async () => {
    const fake = await startFakeGitHub({ secondaryPerMinute: 100_000, secondaryPerHour: 100_000 });
    seedIssues(fake, ownerIssues(2));
    const markers = join(tempDir(), 'markers.jsonl');
    const daemon = await startListening(
      ['run', '--serve', '--owner', 'ws1/codex'],
      githubEnv(fake, join(tempDir(), 'state'), markers, { LOG_LEVEL: 'warn', LEDGER_TRANSPORT: 'rest' }),
    );
    try {
      let parsed = parseMetrics('');
      for (;;) {
        const response = await fetch(`${daemon.url}/metrics`);
        expect(response.status).toBe(200);
        parsed = parseMetrics(await response.text());
        // The gauges are the fleet as last read (a read younger than POLL_INTERVAL_MS is reused),
        // so they may trail the event log's counters by one read.
        const done = sample(parsed, 'codex_monitor_attempts_total', { outcome: 'completed' }) === 2;
        if (done && sample(parsed, 'codex_monitor_running_tasks') === 0) break;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      expect(sample(parsed, 'codex_monitor_claims_total', { result: 'won' })).toBe(2);
      const routes = samples(parsed, 'codex_monitor_github_requests_total').map((s) => s.labels.route ?? '');
      // Only the daemon writes (the dashboard's reader never does): its client reports to this registry.
      expect(routes).toContain('POST /repos/{owner}/{repo}/git/refs');
      expect(routes.some((r) => r.startsWith('PATCH /repos/{owner}/{repo}/git/refs/'))).toBe(true);
      expect(samples(parsed, 'codex_monitor_github_rate_limit_remaining').length).toBeGreaterThan(0);
      expect(sample(parsed, 'codex_monitor_ledger_cas_conflicts_total')).toBe(0);
      expect(sample(parsed, 'codex_monitor_queue_tasks')).toBe(0);
      const owners = samples(parsed, 'codex_monitor_heartbeat_age_seconds').map((s) => s.labels.owner);
      expect(owners).toEqual(['ws1/codex']);
      // The task page's ledger chain: this daemon's claim and its completed release.
      const detail = (await (await fetch(`${daemon.url}/api/tasks/1`)).json()) as {
        task: { id: string } | null;
        ledger: { records: { kind: string; owner: string; outcome: string | null }[] };
      };
      expect(detail.task?.id).toBe('acme/widgets#1');
      expect(detail.ledger.records.map((r) => [r.kind, r.owner, r.outcome])).toEqual([
        ['claim', 'ws1/codex', null],
        ['release', 'ws1/codex', 'complete'],
      ]);
    } finally {
      expect(await daemon.stop()).toBe(0);
      await fake.close();
    }
  }, 60_000);
});
