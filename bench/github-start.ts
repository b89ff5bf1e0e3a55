/**
 * bench:github, part 3: time to start. A real `codex-monitor run` process at the default
 * settings (poll interval, write pacing) idles on a repository with a backlog of 1,000 open
 * issues for another agent; issues for it are opened one at a time at random moments, each once
 * the daemon is idle again (its release and mirror writes done), and the time from the create
 * request to the executor's own "start" record is taken. Loopback HTTP, no added latency.
 * `ledger: 'git'` speaks the claim ledger over git to the fake's bare repository. Afterwards the
 * daemon idles for 30 s and the REST requests it makes are counted: its steady idle cost.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Octokit } from '@octokit/rest';
import { MARKER, readMarkers, startCli } from '../tests/support/daemons.js';
import { startFakeGitHub } from '../tests/support/github-fake/index.js';
import { backlog } from './github-idle.js';

export interface TimeToStart {
  ledger: 'rest' | 'git';
  samplesMs: number[];
  p50Ms: number;
  maxMs: number;
  /** REST requests per minute of a steady idle (30 s, once the last issue's writes are done). */
  idleRestPerMinute: number;
}

const IDLE_WINDOW_MS = 30_000;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function waitFor<T>(what: string, check: () => T | undefined, timeoutMs: number): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const found = check();
    if (found !== undefined) return found;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(10);
  }
}

export async function measureTimeToStart(
  samples = 12,
  ledger: 'rest' | 'git' = 'rest',
  maxDelayMs = 7_000,
): Promise<TimeToStart> {
  const dir = mkdtempSync(join(tmpdir(), 'codex-monitor-bench-start-'));
  const fake = await startFakeGitHub({
    primaryLimit: 1_000_000,
    secondaryPerMinute: 1_000_000,
    secondaryPerHour: 1_000_000,
    ...(ledger === 'git' ? { gitRoot: join(dir, 'git') } : {}),
  });
  const markers = join(dir, 'markers.jsonl');
  fake.seed({ repos: [{ owner: 'acme', name: 'widgets', issues: backlog(1000) }] });
  // Defaults everywhere but what names the repository, the agent and the executor.
  const daemon = startCli(['run', '--owner', 'bench/codex'], {
    GITHUB_REPOSITORY: 'acme/widgets',
    GITHUB_TOKEN: 'test-token',
    GITHUB_API_URL: fake.url,
    CODEX_MONITOR_STATE_DIR: join(dir, 'state'),
    CODEX_MONITOR_AGENT: 'codex',
    EXECUTOR: 'shell',
    EXECUTOR_COMMAND: `node ${MARKER} ${markers} 0`,
    LOG_LEVEL: 'warn',
    LEDGER_TRANSPORT: ledger,
    ...(ledger === 'git' ? { LEDGER_REMOTE: fake.gitRemote('acme', 'widgets') } : {}),
  });
  const octokit = new Octokit({ baseUrl: fake.url, auth: 'test-token' });
  /** Idle: no request but the idle cycle's two reads for two seconds (releases, mirror written). */
  const idle = async () => {
    let last = fake.stats().writes;
    let quietSince = Date.now();
    await waitFor(
      'the daemon to idle',
      () => {
        const writes = fake.stats().writes;
        if (writes !== last) [last, quietSince] = [writes, Date.now()];
        return Date.now() - quietSince >= 2_000 ? true : undefined;
      },
      120_000,
    );
  };
  try {
    await waitFor(
      'the daemon to list the backlog',
      () => (fake.stats().requests > 12 ? true : undefined),
      60_000,
    );
    const samplesMs: number[] = [];
    for (let i = 0; i < samples; i++) {
      await idle();
      await sleep(Math.random() * maxDelayMs); // a random moment of the daemon's poll cycle
      const openedAt = Date.now();
      const { data } = await octokit.rest.issues.create({
        owner: 'acme',
        repo: 'widgets',
        title: `New work ${i + 1}`,
        labels: ['agent:codex'],
      });
      const task = `acme/widgets#${data.number}`;
      const start = await waitFor(
        `${task} to start`,
        () => readMarkers(markers).find((r) => r.phase === 'start' && r.task === task),
        120_000,
      );
      samplesMs.push(start.at - openedAt);
    }
    await idle();
    await sleep(10_000); // the last issue's mirror settles
    const before = fake.stats().requests;
    await sleep(IDLE_WINDOW_MS);
    const idleRequests = fake.stats().requests - before;
    const sorted = [...samplesMs].sort((a, b) => a - b);
    return {
      ledger,
      samplesMs,
      p50Ms: sorted[Math.floor((sorted.length - 1) / 2)]!,
      maxMs: sorted.at(-1)!,
      idleRestPerMinute: (idleRequests / IDLE_WINDOW_MS) * 60_000,
    };
  } finally {
    daemon.child.kill('SIGTERM');
    await daemon.exited;
    await fake.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
