/**
 * Daemons authenticated as a GitHub App (real processes, real HTTP against the fake): issues
 * run to done with the bot as the author of every state comment, the installation's budget
 * spent instead of a user's, `doctor` naming the identity, and a wrong key refused at start-up.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.js';
import { readMarkers, startCli, waitFor } from '../support/daemons.js';
import { foreignPrivateKey, makeTestApp } from '../support/github-app.js';
import {
  githubEnv,
  ledgerChain,
  logLines,
  ownerIssues,
  REPOSITORY,
  seedIssues,
  startGitHubDaemons,
} from '../support/github-daemons.js';
import { type FakeGitHub, startFakeGitHub } from '../support/github-fake/index.js';
import { closedPort } from '../support/ports.js';
import { useTempDirs } from '../support/temp-dir.js';

const tempDir = useTempDirs();
const app = makeTestApp({ slug: 'codex-fleet' });
let fake: FakeGitHub;

beforeAll(async () => {
  fake = await startFakeGitHub({ apps: [app.fake], secondaryPerMinute: 100_000, secondaryPerHour: 100_000 });
});
afterAll(() => fake.close());

/** The app's settings, the key on one line with literal \n as a .env file holds it. */
const appEnv = (privateKey = app.credentials.privateKey) => ({
  GITHUB_TOKEN: '',
  GITHUB_APP_ID: app.credentials.appId,
  GITHUB_APP_PRIVATE_KEY: privateKey.trim().replace(/\n/g, '\\n'),
  GITHUB_APP_INSTALLATION_ID: String(app.credentials.installationId),
});

const userBudgetUsed = async () => {
  const reply = await fetch(`${fake.url}/rate_limit`, { headers: { authorization: 'token test-token' } });
  return ((await reply.json()) as { resources: { core: { used: number } } }).resources.core.used;
};

describe('a fleet running as a GitHub App', () => {
  it('runs issues to done; the bot writes every state comment, on the installation’s budget', async () => {
    seedIssues(fake, ownerIssues(6));
    fake.resetLimits();
    const markers = join(tempDir(), 'markers.jsonl');
    const fleet = startGitHubDaemons(
      fake,
      tempDir,
      markers,
      2,
      ['--until-idle', '--parallel', '3'],
      appEnv(),
    );
    const codes = await Promise.all(fleet.map((d) => d.exited));
    expect(codes, fleet.map((d) => d.output().slice(-2000)).join('\n----\n')).toEqual([0, 0]);

    expect(
      new Set(
        readMarkers(markers)
          .filter((r) => r.phase === 'start')
          .map((r) => r.task),
      ).size,
    ).toBe(6);
    for (let issue = 1; issue <= 6; issue++) {
      expect(ledgerChain(fake, issue).at(-1)).toMatchObject({ kind: 'release', outcome: 'complete' });
      expect(fake.state.issue(REPOSITORY, issue)!.labels).toContain('codex:done');
      // One state comment, the bot's: both daemons recognised it as theirs though GitHub
      // gives a bot the association NONE, which no trust rule admits.
      const state = fake.state
        .comments(REPOSITORY, issue)
        .filter((c) => c.body.includes('codex-monitor-state'));
      expect(state.map((c) => [c.user, c.authorAssociation])).toEqual([['codex-fleet[bot]', 'NONE']]);
    }
    const untrusted = fleet.flatMap(logLines).filter((l) => String(l.msg).includes('untrusted author'));
    expect(untrusted).toEqual([]);
    expect(fake.apps.tokensIssued()).toBeGreaterThanOrEqual(2); // one per daemon (and per refresh)
    expect(await userBudgetUsed()).toBe(0); // the daemons spent none of the user's budget (/rate_limit is free)
  });

  it('doctor shows the app, its bot and the installation’s budget', async () => {
    const env = githubEnv(fake, join(tempDir(), 'state'), join(tempDir(), 'm.jsonl'), appEnv());
    const result = await runCli(['doctor', '--json'], { env });
    expect(result.code, result.stdout + result.stderr).toBe(0);
    const checks = JSON.parse(result.stdout) as {
      name: string;
      detail: string;
      info?: Record<string, unknown>;
    }[];
    expect(checks.find((c) => c.name === 'identity')).toMatchObject({
      detail: expect.stringMatching(
        /^GitHub App codex-fleet \(id 4242\), installation 777, acting as codex-fleet\[bot\]/,
      ),
      info: {
        kind: 'app',
        appId: '4242',
        slug: 'codex-fleet',
        installationId: 777,
        login: 'codex-fleet[bot]',
      },
    });
    expect(checks.find((c) => c.name === 'rate limit')).toMatchObject({
      detail: expect.stringMatching(/^installation 777 of codex-fleet: \d+ of 5000 requests left this hour/),
      info: { budget: 'installation 777 of codex-fleet', limit: 5000 },
    });
    const text = await runCli(['doctor'], { env });
    expect(text.stdout).toMatch(/✓ identity: GitHub App codex-fleet/);
  });

  it('a key that is not the app’s stops the start with what to check, and never prints the key', async () => {
    const wrong = foreignPrivateKey();
    const env = githubEnv(fake, join(tempDir(), 'state'), join(tempDir(), 'm.jsonl'), appEnv(wrong));
    const result = await runCli(['run', '--until-idle'], { env });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/GitHub App 4242 was refused .*401.*GITHUB_APP_PRIVATE_KEY/s);
    expect(result.stderr).not.toMatch(/trying again in/); // a retry cannot fix a key
    const body = wrong.split('\n')[1]!;
    expect(result.stdout + result.stderr).not.toContain(body);
    const doctor = await runCli(['doctor'], { env });
    expect(doctor.code).toBe(1);
    expect(doctor.stdout).toMatch(/✗ identity: GitHub App 4242 was refused/);
  });

  it('GitHub unreachable at start: the app’s first trade is retried like any start-up request', async () => {
    const port = await closedPort();
    const markers = join(tempDir(), 'markers.jsonl');
    const env = githubEnv(
      { url: `http://127.0.0.1:${port}` } as FakeGitHub,
      join(tempDir(), 'state'),
      markers,
      appEnv(),
    );
    const daemon = startCli(['run', '--until-idle', '--owner', 'ws1/codex'], env);
    let later: FakeGitHub | undefined;
    try {
      const retry = await waitFor(
        () => logLines(daemon).find((l) => String(l.msg).includes('trying again in')),
        60_000,
        'a start-up retry to be logged',
      );
      expect(retry.msg).toMatch(/ECONNREFUSED/);
      later = await startFakeGitHub({ port, apps: [app.fake] });
      seedIssues(later, ownerIssues(1));
      expect(await daemon.exited, daemon.output().slice(-3000)).toBe(0);
      expect(later.state.issue(REPOSITORY, 1)!.labels).toContain('codex:done');
    } finally {
      daemon.child.kill('SIGKILL');
      await later?.close();
    }
  });
});
