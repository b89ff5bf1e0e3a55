import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.js';
import { githubEnv, ownerIssues, seedIssues } from '../support/github-daemons.js';
import { type FakeGitHub, startFakeGitHub } from '../support/github-fake/index.js';
import { useTempDirs } from '../support/temp-dir.js';

const tempDir = useTempDirs();
let fake: FakeGitHub;

beforeAll(async () => {
  fake = await startFakeGitHub({
    tokens: [{ token: 'test-token' }, { token: 'issues-only', contents: 'none' }],
  });
  seedIssues(fake, ownerIssues(1));
});
afterAll(() => fake.close());

const env = (token: string, extra: Record<string, string> = {}) =>
  githubEnv(fake, join(tempDir(), 'state'), join(tempDir(), 'm.jsonl'), { GITHUB_TOKEN: token, ...extra });

describe('codex-monitor doctor and start-up checks on GitHub', () => {
  it('passes every check with a full token, and reports labels, limit and clock offset', async () => {
    const result = await runCli(['doctor', '--json'], { env: env('test-token') });
    expect(result.code, result.stderr).toBe(0);
    const checks = JSON.parse(result.stdout) as {
      name: string;
      ok: boolean;
      detail: string;
      warn?: boolean;
    }[];
    expect(checks.map((c) => c.name)).toEqual([
      'executor (EXECUTOR=shell)',
      'GitHub token',
      'identity',
      'token and repository',
      'clock offset from GitHub',
      'claim ledger: write refs (rest)',
      'issues and labels',
      'rate limit',
    ]);
    expect(checks.every((c) => c.ok)).toBe(true);
    expect(checks.find((c) => c.name === 'issues and labels')).toMatchObject({
      warn: true,
      detail: /missing codex:claimed/,
    });
    expect(checks.find((c) => c.name === 'rate limit')!.detail).toMatch(
      /^user test-user: \d+ of 5000 requests left this hour/,
    );
    expect(checks.find((c) => c.name === 'identity')).toMatchObject({
      detail: /^token of test-user: its budget is test-user's, shared/,
      info: { kind: 'token', login: 'test-user' },
    });
    expect(Object.keys(fake.state.refs('acme/widgets')).filter((r) => r.includes('doctor'))).toEqual([]); // probe removed
  });

  it('sees a shifted GitHub clock', async () => {
    fake.setKnobs({ clockOffsetMs: 120_000 });
    try {
      const result = await runCli(['doctor', '--json'], { env: env('test-token') });
      const offset = (JSON.parse(result.stdout) as { name: string; detail: string; warn?: boolean }[]).find(
        (c) => c.name === 'clock offset from GitHub',
      )!;
      expect(offset.warn).toBe(true);
      expect(Number(/^\+?(-?\d+) ms/.exec(offset.detail)![1])).toBeGreaterThan(118_000);
    } finally {
      fake.setKnobs({ clockOffsetMs: 0 });
    }
  });

  it('fails the ref check for a token without contents: write, naming the permission', async () => {
    const result = await runCli(['doctor'], { env: env('issues-only') });
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/✗ claim ledger: write refs \(rest\): .*contents: write/);
  });

  it('refuses to start a daemon whose token cannot write refs, with a clear message', async () => {
    const result = await runCli(['run', '--until-idle'], { env: env('issues-only') });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/contents: write/);
    expect(fake.state.ref('acme/widgets', 'refs/codex-monitor/tasks/1')).toBeUndefined();
  });

  it('says clearly when the token is wrong', async () => {
    const result = await runCli(['doctor'], { env: env('nope') });
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/✗ token and repository: .*(Bad credentials|401)/i);
  });

  it('checks GITHUB_PROJECT: the project, its status field, each mapped option, the Ready column', async () => {
    fake.seed({
      repos: [],
      projects: [
        {
          owner: 'acme',
          number: 5,
          title: 'Ops',
          fields: [{ name: 'Status', options: ['Todo', 'In progress', 'Done'] }],
        },
      ],
    });
    const result = await runCli(['doctor', '--json'], {
      env: env('test-token', { GITHUB_PROJECT: '5', PROJECT_READY_STATUS: 'Ready' }),
    });
    expect(result.code).toBe(1); // no Ready column: nothing would ever start
    type Row = { name: string; ok: boolean; detail: string; warn?: boolean };
    const checks = JSON.parse(result.stdout) as Row[];
    const named = (name: string) => checks.find((c) => c.name === name);
    expect(named('GitHub project')).toMatchObject({
      ok: true,
      detail: /"Ops" \(acme\/projects\/5\); Status options: Todo, In progress, Done/,
    });
    expect(named('project status map')).toMatchObject({ ok: true, warn: true });
    expect(named('project status map')!.detail).toMatch(
      /no "In review" option for pull request opened \(review=In review\); no "Blocked" option for poisoned/,
    );
    expect(named('project status map')!.detail).toMatch(/never creates options/);
    expect(named('project Ready column')).toMatchObject({
      ok: false,
      detail: /PROJECT_READY_STATUS="Ready": Status has no such option/,
    });

    const unknown = await runCli(['doctor'], {
      env: env('test-token', { GITHUB_PROJECT: 'https://github.com/orgs/acme/projects/9' }),
    });
    expect(unknown.code).toBe(1);
    expect(unknown.stdout).toMatch(/✗ GitHub project: .*ProjectV2 with the number 9/);
  });
});
