/**
 * `doctor` without an executor (a finding, not a refusal), on the local board, and with the
 * token taken from `gh auth token` — which must never reach output or an agent's environment.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.js';
import { fastEnv } from '../support/daemons.js';
import { fakeGh } from '../support/fake-gh.js';
import { ownerIssues, seedIssues } from '../support/github-daemons.js';
import { type FakeGitHub, startFakeGitHub } from '../support/github-fake/index.js';
import { useTempDirs } from '../support/temp-dir.js';

const tempDir = useTempDirs();
const GH_TOKEN = 'gho_fromGhCli1234567890';
const DUMP_ENV = new URL('../fixtures/dump-env.mjs', import.meta.url).pathname;
let fake: FakeGitHub;

beforeAll(async () => {
  fake = await startFakeGitHub({ tokens: [{ token: 'test-token' }, { token: GH_TOKEN }] });
  seedIssues(fake, ownerIssues(1));
});
afterAll(() => fake.close());

type Check = { name: string; ok: boolean; warn?: boolean; detail: string; info?: Record<string, unknown> };

/** The README's doctor example: a repository and a token, nothing about the executor. */
function readmeEnv(dir: string, extra: Record<string, string> = {}): Record<string, string> {
  return fastEnv(join(dir, 'state'), {
    GITHUB_REPOSITORY: 'acme/widgets',
    GITHUB_TOKEN: 'test-token',
    GITHUB_API_URL: fake.url,
    GITHUB_PACE_WRITES: 'false',
    ...extra,
  });
}

const parse = (stdout: string) => JSON.parse(stdout) as Check[];

describe('doctor without EXECUTOR_COMMAND', () => {
  it('checks GitHub and reports the missing executor as a failed check (exit 1), saying what to set', async () => {
    const dir = tempDir();
    const result = await runCli(['doctor', '--json'], { env: readmeEnv(dir), cwd: dir });
    expect(result.code, result.stderr).toBe(1);
    const checks = parse(result.stdout);
    const executor = checks.find((c) => c.name.startsWith('executor'));
    expect(executor).toMatchObject({ name: 'executor (EXECUTOR=shell)', ok: false });
    expect(executor!.detail).toMatch(/needs EXECUTOR_COMMAND/);
    expect(executor!.detail).toMatch(/EXECUTOR_COMMAND='.*' in \.env/);
    // Everything else was still checked, and passed.
    expect(checks.filter((c) => !c.ok).map((c) => c.name)).toEqual(['executor (EXECUTOR=shell)']);
    expect(checks.find((c) => c.name === 'identity')).toMatchObject({ ok: true });
    expect(checks.find((c) => c.name === 'GitHub token')).toMatchObject({ detail: 'from GITHUB_TOKEN' });
  });

  it('prints the finding as a ✗ line on a terminal-less run', async () => {
    const dir = tempDir();
    const result = await runCli(['doctor'], { env: readmeEnv(dir), cwd: dir });
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(
      /^✗ executor \(EXECUTOR=shell\): EXECUTOR=shell on the GitHub board needs/m,
    );
    expect(result.stdout).toMatch(/^✓ identity: token of /m);
  });

  it('run still refuses to start without it (exit 2)', async () => {
    const dir = tempDir();
    const result = await runCli(['run', '--once'], { env: readmeEnv(dir), cwd: dir });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/EXECUTOR=shell on the GitHub board needs EXECUTOR_COMMAND/);
  });

  it('finds the preset agent CLI on PATH, or says it is missing', async () => {
    const dir = tempDir();
    const missing = await runCli(['doctor', '--json'], {
      env: readmeEnv(dir, { EXECUTOR: 'codex', PATH: '/nonexistent' }),
      cwd: dir,
    });
    const executor = parse(missing.stdout).find((c) => c.name === 'executor (EXECUTOR=codex)');
    expect(executor).toMatchObject({ ok: false, detail: expect.stringMatching(/codex/) });
    const found = await runCli(['doctor', '--json'], {
      env: readmeEnv(dir, { EXECUTOR_COMMAND: `node ${DUMP_ENV} out.json` }),
      cwd: dir,
    });
    expect(found.code, found.stdout).toBe(0);
    expect(parse(found.stdout)[0]).toMatchObject({ ok: true, detail: expect.stringMatching(/^node is \//) });
  });
});

describe('doctor on the local board', () => {
  it('checks the state directory, the tasks and their programs, creating nothing', async () => {
    const dir = tempDir();
    const env = fastEnv(join(dir, 'state'));
    const empty = await runCli(['doctor', '--json'], { env, cwd: dir });
    expect(empty.code, empty.stderr).toBe(0);
    expect(existsSync(join(dir, 'state'))).toBe(false);
    expect(parse(empty.stdout)).toEqual([
      expect.objectContaining({ name: 'executor (EXECUTOR=shell)', ok: true }),
      expect.objectContaining({ name: 'state directory', ok: true }),
      expect.objectContaining({
        name: 'local board tasks',
        ok: true,
        warn: true,
        detail: expect.stringMatching(/tasks seed/),
      }),
    ]);
    const dag = join(dir, 'dag.yaml');
    writeFileSync(
      dag,
      'tasks:\n  - id: a\n    payload: { kind: shell, cmd: "node -e 0" }\n  - id: b\n    payload: { kind: shell, cmd: "no-such-program-x --flag" }\n',
    );
    expect((await runCli(['tasks', 'seed', dag], { env, cwd: dir })).code).toBe(0);
    const seeded = await runCli(['doctor', '--json'], { env, cwd: dir });
    expect(seeded.code).toBe(1);
    const checks = parse(seeded.stdout);
    expect(checks.find((c) => c.name === 'local board tasks')).toMatchObject({
      ok: true,
      detail: '2 task(s)',
    });
    expect(checks.find((c) => c.name === 'task program node')).toMatchObject({ ok: true });
    expect(checks.find((c) => c.name === 'task program no-such-program-x')).toMatchObject({ ok: false });
  });
});

describe('GITHUB_TOKEN from gh auth token', () => {
  it('takes the token from gh when GITHUB_TOKEN is unset, says so, and never prints it', async () => {
    const dir = tempDir();
    const gh = fakeGh(dir, GH_TOKEN);
    const env = readmeEnv(dir, { EXECUTOR: 'noop', PATH: gh.path });
    delete env.GITHUB_TOKEN;
    const result = await runCli(['doctor', '--json'], { env, cwd: dir });
    expect(result.code, result.stdout + result.stderr).toBe(0);
    const checks = parse(result.stdout);
    expect(checks.find((c) => c.name === 'GitHub token')).toMatchObject({
      ok: true,
      detail: expect.stringMatching(/^from gh auth token/),
    });
    expect(checks.find((c) => c.name === 'identity')).toMatchObject({ ok: true });
    expect(gh.calls()).toEqual([`auth token --hostname 127.0.0.1`]);
    expect(result.stdout + result.stderr).not.toContain(GH_TOKEN);
  });

  it('without a logged-in gh, the configuration error says how to give a token', async () => {
    const dir = tempDir();
    const gh = fakeGh(dir, null);
    const env = readmeEnv(dir, { EXECUTOR: 'noop', PATH: gh.path });
    delete env.GITHUB_TOKEN;
    const result = await runCli(['doctor'], { env, cwd: dir });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/set GITHUB_TOKEN, or log in with `gh auth login`/);
    expect(result.stderr).not.toMatch(/not logged into/);
    expect(gh.calls()).toHaveLength(1);
  });

  it('gives the gh token to the daemon, never to an agent', async () => {
    const dir = tempDir();
    const gh = fakeGh(dir, GH_TOKEN);
    const out = join(dir, 'agent-env.json');
    const env = readmeEnv(dir, { EXECUTOR_COMMAND: `node ${DUMP_ENV} ${out}`, PATH: gh.path });
    delete env.GITHUB_TOKEN;
    const result = await runCli(['run', '--until-idle'], { env, cwd: dir });
    expect(result.code, result.stderr).toBe(0);
    const agentEnv = readFileSync(out, 'utf8');
    expect(JSON.parse(agentEnv)).toMatchObject({ CODEX_MONITOR_ISSUE_NUMBER: '1' });
    expect(agentEnv).not.toContain(GH_TOKEN);
    expect(result.stdout + result.stderr).not.toContain(GH_TOKEN);
  });
});
