import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/config.js';
import { systemClock } from '../../src/core/clock.js';
import { openSharedState } from '../../src/state/open-state.js';
import { runCli } from '../support/cli.js';
import { useTempDirs } from '../support/temp-dir.js';

const tempDir = useTempDirs();

/** A state directory with a little history, written through the real manager. */
function seededStateDir(): string {
  const dir = tempDir();
  const store = openSharedState(
    loadConfig({ CODEX_MONITOR_STATE_DIR: dir, SHARED_STATE_BACKOFF_BASE_MS: '60000' }),
    {
      clock: systemClock(),
    },
  );
  const me = { id: 'ws1/codex', host: 'elsewhere', pid: 1, pidStart: null };
  const first = store.claim('build-docs', me, { create: true });
  if (first.ok) store.release(first.ticket, 'failed', { error: 'exit code 2' });
  store.claim('ship-it', me, { create: true });
  store.setIgnored('manual', 'needs a human', 'alice');
  store.close();
  return dir;
}

describe('codex-monitor CLI: state and events', () => {
  it('prints its version and help', async () => {
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
      version: string;
    };
    expect((await runCli(['--version'])).stdout.trim()).toBe(pkg.version);
    const help = await runCli(['--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/state\s/);
    expect(help.stdout).toMatch(/events \[options\]/);
  });

  it('lists the state as a table and as JSON', async () => {
    const dir = seededStateDir();
    const text = await runCli(['--state-dir', dir, 'state', 'ls']);
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/build-docs\s+failed.*retry in .*exit code 2/);
    expect(text.stdout).toMatch(/ship-it\s+claimed\s+ws1\/codex/);
    expect(text.stdout).toMatch(/manual\s+ready.*ignored: needs a human/);
    const json = await runCli(['--state-dir', dir, 'state', 'ls', '--json', '--state', 'claimed']);
    expect(JSON.parse(json.stdout)).toEqual([
      expect.objectContaining({ id: 'ship-it', ownerId: 'ws1/codex', epoch: 1 }),
    ]);
  });

  it('filters, replays, exports and counts events', async () => {
    const dir = seededStateDir();
    const byTask = JSON.parse(
      (await runCli(['--state-dir', dir, 'events', '--task', 'build-docs', '--json'])).stdout,
    );
    expect(byTask.map((e: { type: string }) => e.type)).toEqual(['claimed', 'failed']);
    const byType = JSON.parse(
      (
        await runCli([
          '--state-dir',
          dir,
          '--json',
          'events',
          '--type',
          'claimed',
          'ignored',
          '--since',
          '1h',
        ])
      ).stdout,
    );
    expect(byType.map((e: { taskId: string }) => e.taskId)).toEqual(['build-docs', 'ship-it', 'manual']);

    const replay = await runCli(['--state-dir', dir, 'events', 'replay', 'build-docs']);
    expect(replay.stdout).toMatch(/claimed\s+ws1\/codex\s+claimed\s+1\s+0/);
    expect(replay.stdout).toMatch(/failed\s+ws1\/codex\s+failed\s+1\s+1/);

    const file = join(dir, 'out.jsonl');
    const exported = await runCli(['--state-dir', dir, 'events', 'export', file, '--owner', 'ws1/codex']);
    expect(exported.stdout).toBe(`Wrote 3 events to ${file}\n`);
    expect(
      readFileSync(file, 'utf8')
        .trimEnd()
        .split('\n')
        .map((l) => JSON.parse(l).type),
    ).toEqual(['claimed', 'failed', 'claimed']);

    const stats = JSON.parse((await runCli(['--state-dir', dir, 'events', 'stats', '--json'])).stdout);
    expect(stats).toMatchObject({ total: 4, byType: { claimed: 2, failed: 1, ignored: 1 } });
  });

  it('refuses bad arguments with exit code 2 and a clear message', async () => {
    const dir = tempDir();
    const badType = await runCli(['--state-dir', dir, 'events', '--type', 'exploded']);
    expect(badType.code).toBe(2);
    expect(badType.stderr).toMatch(/unknown event type exploded; known: claimed/);
    const badSince = await runCli(['--state-dir', dir, 'events', '--since', 'yesterday-ish']);
    expect(badSince.code).toBe(2);
    expect(badSince.stderr).toMatch(/"yesterday-ish" is neither a time/);
  });

  it('stops on bad configuration, listing every problem at once', async () => {
    const result = await runCli(['state', 'ls'], {
      env: {
        CODEX_MONITOR_STATE_DIR: tempDir(),
        MAX_PARALLEL: 'lots',
        SHARED_STATE_HEARTBEAT_INTERVAL_MS: '300000',
      },
    });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/Invalid configuration \(2 problems\)/);
    expect(result.stderr).toMatch(/MAX_PARALLEL="lots": expected a whole number from 1 to 256/);
    expect(result.stderr).toMatch(/SHARED_STATE_HEARTBEAT_INTERVAL_MS=300000 must be at most half/);
  });

  it('moves a corrupt database aside with a warning and carries on', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'state.db'), 'garbage '.repeat(1000));
    const result = await runCli(['--state-dir', dir, 'state', 'ls']);
    expect(result.code).toBe(0);
    expect(result.stdout).toBe('No tasks.\n');
    expect(result.stderr).toMatch(/corrupt: moved it aside/);
    const backups = readdirSync(dir).filter((f) => f.startsWith('state.db.corrupt-'));
    expect(backups).toHaveLength(1);
    expect(existsSync(join(dir, 'state.db'))).toBe(true);
  });
});
