/**
 * `codex-monitor init` without a terminal: flags and defaults, a .env that loads, no
 * overwrite without --force, and on GitHub the codex:* labels, created once.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'dotenv';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/config.js';
import { runCli } from '../support/cli.js';
import { type FakeGitHub, startFakeGitHub } from '../support/github-fake/index.js';
import { useTempDirs } from '../support/temp-dir.js';

const tempDir = useTempDirs();
let fake: FakeGitHub;

beforeAll(async () => {
  fake = await startFakeGitHub({ tokens: [{ token: 'test-token' }] });
});
afterAll(() => fake.close());

describe('codex-monitor init (no terminal)', () => {
  it('writes a .env for the local board that loadConfig accepts, says what it chose, and runs doctor', async () => {
    const dir = tempDir();
    const result = await runCli(['init'], { cwd: dir });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(
      /^board: local \(the default; --board github --repo owner\/name for GitHub issues\)$/m,
    );
    expect(result.stdout).toContain(`Wrote ${join(dir, '.env')}`);
    expect(result.stdout).toMatch(/^! local board tasks: no tasks yet/m);
    const env = parse(readFileSync(join(dir, '.env')));
    expect(env).toEqual({});
    expect(loadConfig(env, { cwd: dir }).github.repository).toBeUndefined();
  });

  it('refuses to overwrite an existing .env (exit 2, naming it) unless --force', async () => {
    const dir = tempDir();
    const file = join(dir, '.env');
    writeFileSync(file, 'MAX_PARALLEL=2\n');
    const refused = await runCli(['init', '--board', 'local'], { cwd: dir });
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain(`${file} exists already: init leaves it alone`);
    expect(readFileSync(file, 'utf8')).toBe('MAX_PARALLEL=2\n');
    const forced = await runCli(['init', '--board', 'local', '--force', '--json'], { cwd: dir });
    expect(forced.code, forced.stderr).toBe(0);
    expect(JSON.parse(forced.stdout)).toMatchObject({ file, values: {}, labels: null });
    expect(readFileSync(file, 'utf8')).toMatch(/^# MAX_PARALLEL=1$/m);
  });

  it('refuses a GitHub board without a repository, naming the flag', async () => {
    const result = await runCli(['init', '--board', 'github'], { cwd: tempDir() });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/needs --repo owner\/name/);
  });

  it('on GitHub creates the codex:* labels once (a second init creates none), then doctor passes', async () => {
    const dir = tempDir();
    const env = { GITHUB_TOKEN: 'test-token', GITHUB_API_URL: fake.url, GITHUB_PACE_WRITES: 'false' };
    const command = "node 'agent script.mjs' --fast";
    const args = ['init', '--repo', 'acme/widgets', '--executor-command', command, '--json'];
    const first = await runCli(args, { cwd: dir, env });
    expect(first.code, first.stdout + first.stderr).toBe(0);
    const report = JSON.parse(first.stdout);
    expect(report.chosen).toEqual([
      { setting: 'board', value: 'github', how: 'default' },
      { setting: 'repository', value: 'acme/widgets', how: 'flag' },
      { setting: 'executor', value: 'shell', how: 'flag' },
      { setting: 'executor command', value: command, how: 'flag' },
    ]);
    expect(report.labels.created).toHaveLength(8);
    expect(report.doctor.find((c: { name: string }) => c.name === 'issues and labels')).toMatchObject({
      ok: true,
      detail: 'all codex:* labels exist',
    });
    const dotenv = parse(readFileSync(join(dir, '.env')));
    expect(dotenv).toEqual({
      GITHUB_REPOSITORY: 'acme/widgets',
      EXECUTOR: 'shell',
      EXECUTOR_COMMAND: command,
    });
    expect(readFileSync(join(dir, '.env'), 'utf8')).not.toContain('test-token');

    const again = await runCli([...args, '--force'], { cwd: dir, env });
    expect(again.code, again.stderr).toBe(0);
    expect(JSON.parse(again.stdout).labels).toMatchObject({ created: [] });
    const codex = fake.state
      .labels('acme/widgets')
      .filter((l: { name: string }) => l.name.startsWith('codex:'));
    expect(codex.map((l: { name: string }) => l.name).sort()).toEqual([
      'codex:claimed',
      'codex:done',
      'codex:failed',
      'codex:ignore',
      'codex:retry',
      'codex:stale',
      'codex:verified',
      'codex:working',
    ]);
    expect(codex.find((l: { name: string }) => l.name === 'codex:done')).toMatchObject({ color: '0e8a16' });
  });
});
