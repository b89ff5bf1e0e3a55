/**
 * The Jira board through the real CLI: `doctor` checks it, `ignore` steers an issue by key from a
 * one-shot command, hand claims take and give back an issue, and `run` with worktrees and
 * GITHUB_REPOSITORY delivers an issue as a pull request; the Jira fake (and the GitHub fake) over
 * real HTTP, the ledger in a bare repository.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.js';
import { createBareRepo } from '../support/git-server/index.js';
import { DEFAULT_USER, type FakeJira, startFakeJira } from '../support/jira-fake/index.js';
import { startPullFake, workstation } from '../support/pull-request-fleet.js';
import { useTempDirs } from '../support/temp-dir.js';

const tempDir = useTempDirs();

describe('the Jira board from the command line', () => {
  let fake: FakeJira;
  beforeAll(async () => {
    fake = await startFakeJira();
    fake.create({ project: 'OPS', summary: 'first', labels: ['codex'] });
  });
  afterAll(() => fake.close());
  const env = (dir: string) => ({
    JIRA_BASE_URL: fake.url,
    JIRA_EMAIL: DEFAULT_USER.email,
    JIRA_API_TOKEN: DEFAULT_USER.apiToken,
    JIRA_JQL: 'project = OPS AND labels = codex',
    LEDGER_REMOTE: `file://${createBareRepo(join(dir, 'ledger.git'))}`,
    CODEX_MONITOR_STATE_DIR: join(dir, 'state'),
    EXECUTOR: 'noop',
  });

  it('doctor checks the credentials, the query, the ledger and the transitions, and never prints the token', async () => {
    const dir = tempDir();
    const result = await runCli(['doctor', '--json'], { env: env(dir), cwd: dir });
    expect(result.code, result.stderr).toBe(0);
    const checks = JSON.parse(result.stdout) as { name: string; ok: boolean }[];
    expect(checks.map((c) => [c.name, c.ok])).toEqual(
      expect.arrayContaining([
        ['Jira credentials', true],
        ['JIRA_JQL', true],
        ['claim ledger: write refs (git)', true],
        ['transition to "In Progress" (working)', true],
        ['transition to "Done" (done)', true],
      ]),
    );
    expect(result.stdout + result.stderr).not.toContain(DEFAULT_USER.apiToken);
  });

  it('ignore OPS-1 labels the issue in Jira', async () => {
    const dir = tempDir();
    const result = await runCli(['ignore', 'ops-1', '--reason', 'not now'], { env: env(dir), cwd: dir });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain('OPS-1 is ignored');
    expect(fake.issue('OPS-1').labels).toContain('codex-ignore');
  });

  it('claim and release an issue by hand: the comment shows it held by hand, then done', async () => {
    const dir = tempDir();
    const key = fake.create({ project: 'OPS', summary: 'by hand', labels: ['codex'] }).key;
    const as = ['--owner', 'ws3/alice', '--json'];
    const claim = await runCli(['claim', key.toLowerCase(), '--ttl', '1h', ...as], {
      env: env(dir),
      cwd: dir,
    });
    expect(claim.code, claim.stderr).toBe(0);
    expect(JSON.parse(claim.stdout)).toMatchObject({ action: 'claim', task: `jira:${key}`, held: true });
    expect(JSON.stringify(fake.issue(key).comments)).toMatch(
      /held by ws3\/alice, by hand, until \d\d:\d\d UTC/,
    );
    const release = await runCli(['release', key, '--outcome', 'complete', ...as], {
      env: env(dir),
      cwd: dir,
    });
    expect(release.code, release.stderr).toBe(0);
    expect(JSON.parse(release.stdout)).toMatchObject({ action: 'release', state: 'done' });
    expect(fake.issue(key).status).toBe('Done');
  });

  it('run with worktrees and GITHUB_REPOSITORY: doctor checks In Review and the clone; the issue ends in a pull request, In Review', async () => {
    const github = await startPullFake(tempDir());
    try {
      const key = fake.create({ project: 'OPS', summary: 'Ship it', labels: ['codex'] }).key;
      fake.issue('OPS-1').labels.push('codex-ignore'); // only the new issue runs
      const dir = tempDir();
      const ws = workstation(github, dir, 1, { ...env(dir), EXECUTOR: 'shell', LEDGER_TRANSPORT: 'git' });
      const doctor = await runCli(['doctor', '--json'], { env: ws.env, cwd: dir });
      const checks = JSON.parse(doctor.stdout) as { name: string; ok: boolean }[];
      expect(checks.map((c) => [c.name, c.ok])).toEqual(
        expect.arrayContaining([
          ['transition to "In Review" (review)', true],
          ['repository clone (CODEX_MONITOR_REPO_DIR)', true],
        ]),
      );
      const daemon = ws.start(['--until-idle']);
      expect(await daemon.exited, daemon.output().slice(-3000)).toBe(0);
      const pulls = github.state.pulls('acme/widgets');
      expect(pulls.map((p) => [p.title, p.pullRequest?.head])).toEqual([
        [`${key}: Ship it`, `codex/${key}-ship-it`],
      ]);
      expect(fake.issue(key).status).toBe('In Review');
      const comment = JSON.stringify(fake.issue(key).comments[0]!.body);
      expect(comment).toContain('Pull request: ');
      expect(comment).toMatch(new RegExp(`"href":"[^"]*/pull/${pulls[0]!.number}"`));
    } finally {
      await github.close();
    }
  });
});
