import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cliArgs, runCli } from '../support/cli.js';
import { fastEnv, openTestState, waitFor } from '../support/daemons.js';
import { useTempDirs } from '../support/temp-dir.js';

const tempDir = useTempDirs();
const ISO = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;

/** A state directory with two tasks and a few events. */
async function stateWithEvents(): Promise<{ dir: string; env: Record<string, string> }> {
  const dir = tempDir();
  const env = fastEnv(dir);
  await runCli(['tasks', 'add', 'a'], { env });
  await runCli(['ignore', 'a', '--reason', 'first'], { env });
  return { dir, env };
}

/** `codex-monitor <args>` with its stdout and stderr kept apart. */
function spawnCli(args: string[], env: Record<string, string>) {
  const child = spawn(process.execPath, cliArgs(...args), {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const out = { stdout: '', stderr: '' };
  child.stdout!.on('data', (d: Buffer) => {
    out.stdout += d.toString();
  });
  child.stderr!.on('data', (d: Buffer) => {
    out.stderr += d.toString();
  });
  const exited = once(child, 'exit').then(([code, signal]) => ({ code, signal }));
  return { child: child as ChildProcess, out, exited };
}

describe('codex-monitor events: ISO times, export to stdout, --follow (issue 13)', () => {
  it('prints times in ISO 8601 in events, replay and stats JSON, and exports to stdout with -', async () => {
    const { dir, env } = await stateWithEvents();
    const events = JSON.parse((await runCli(['events', '--json'], { env })).stdout) as { at: string }[];
    expect(events.length).toBeGreaterThan(1);
    for (const e of events) expect(e.at).toMatch(ISO);
    const replay = JSON.parse((await runCli(['events', 'replay', 'a', '--json'], { env })).stdout);
    expect(replay[0].event.at).toMatch(ISO);
    const stats = JSON.parse((await runCli(['--json', 'events', 'stats'], { env })).stdout);
    expect(stats.oldest).toMatch(ISO);
    expect(stats.newest).toMatch(ISO);

    // Run where tsx resolves (the repository): a file named `-` would appear right there.
    const dash = join(process.cwd(), '-');
    expect(existsSync(dash)).toBe(false);
    const exported = await runCli(['events', 'export', '-', '--task', 'a'], { env });
    expect(exported.code, exported.stderr).toBe(0);
    const lines = exported.stdout
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(lines.map((l) => l.type)).toEqual(['ignored']);
    expect(lines[0].at).toMatch(ISO);
    expect(existsSync(dash)).toBe(false);
    const toFile = await runCli(['events', 'export', join(dir, 'all.jsonl'), '--json'], { env });
    expect(JSON.parse(toFile.stdout)).toEqual({ file: join(dir, 'all.jsonl'), count: events.length });
  });

  it('--follow prints the matching events as they are appended, as JSON lines, and ends quietly on SIGINT', async () => {
    const { dir, env } = await stateWithEvents();
    const follow = spawnCli(['events', '--follow', '--json', '--type', 'ignored', 'unignored'], env);
    await waitFor(() => follow.out.stdout.includes('\n'), 20_000, 'the existing event');
    const store = openTestState(dir);
    try {
      store.clearIgnored('a', 'tester'); // matches
      store.events.append({ type: 'heartbeat', ownerId: 'someone' }); // does not
      store.setIgnored('a', 'second', 'tester'); // matches
    } finally {
      store.close();
    }
    await waitFor(() => follow.out.stdout.trimEnd().split('\n').length === 3, 20_000, 'the appended events');
    const lines = follow.out.stdout
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(lines.map((l) => [l.type, l.data.reason ?? null])).toEqual([
      ['ignored', 'first'],
      ['unignored', null],
      ['ignored', 'second'],
    ]);
    expect(lines[2].at).toMatch(ISO);
    follow.child.kill('SIGINT');
    expect(await follow.exited).toEqual({ code: 0, signal: null });
    expect(follow.out.stderr).toBe('');
  });

  it('--follow ends quietly when the reader of its pipe goes away', async () => {
    const { dir, env } = await stateWithEvents();
    const follow = spawnCli(['events', '--follow'], env);
    await waitFor(() => follow.out.stdout.includes('\n'), 20_000, 'the existing events');
    follow.child.stdout!.destroy(); // as `| head -1` does once it has its line
    let ended = false;
    void follow.exited.then(() => {
      ended = true;
    });
    const store = openTestState(dir);
    try {
      // Keep appending until the follower finds the pipe closed (its next write fails).
      await waitFor(
        () => {
          store.events.append({ type: 'heartbeat', ownerId: 'writer' });
          return ended;
        },
        20_000,
        'the follower to end',
      );
    } finally {
      store.close();
    }
    expect(await follow.exited).toEqual({ code: 0, signal: null });
    expect(follow.out.stderr).toBe('');
  });

  it('a reader that stops early (`| head`) ends a long listing quietly, not with an EPIPE stack trace', async () => {
    const { dir, env } = await stateWithEvents();
    const store = openTestState(dir);
    try {
      // Far more than a pipe holds (64 KiB), so the write is still going when the reader leaves.
      for (let i = 0; i < 3000; i++) store.events.append({ type: 'heartbeat', ownerId: 'x'.repeat(100) });
    } finally {
      store.close();
    }
    for (const args of [
      ['events', '--json', '--limit', '5000'],
      ['events', 'export', '-'],
    ]) {
      const listing = spawnCli(args, env);
      await once(listing.child.stdout!, 'data');
      listing.child.stdout!.destroy();
      expect(await listing.exited).toEqual({ code: 0, signal: null });
      expect(listing.out.stderr).toBe('');
    }
  });
});
