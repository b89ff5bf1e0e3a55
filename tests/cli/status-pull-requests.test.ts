/**
 * `status` on the GitHub board shows each issue's pull request, and a dependent issue waits
 * for that PR: a real daemon delivers #1 as a PR (real git, the fake's bare repository),
 * #2 depends on #1, which stays open until the PR is merged.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FleetView } from '../../src/boards/github/fleet/index.js';
import { runCli } from '../support/cli.js';
import { exitWithin } from '../support/daemons.js';
import { ownerIssues, seedIssues } from '../support/github-daemons.js';
import type { FakeGitHub } from '../support/github-fake/index.js';
import { startPullFake, workstation } from '../support/pull-request-fleet.js';
import { useTempDirs } from '../support/temp-dir.js';

const tempDir = useTempDirs();
let fake: FakeGitHub;

beforeAll(async () => {
  fake = await startPullFake(tempDir());
});
afterAll(() => fake.close());

describe('status with pull requests (real daemon, real git, the fake over HTTP)', () => {
  it('shows the PR of a delivered issue, and "waiting for PR #M" for the issue that depends on it', async () => {
    seedIssues(
      fake,
      ownerIssues(2, (n) => (n === 2 ? { body: 'Depends on #1. Then do thing 2.' } : {})),
    );
    const { env, start } = workstation(fake, tempDir(), 1);
    const daemon = start(['--until-idle']);
    expect(await exitWithin(daemon, 90_000), daemon.output().slice(-3000)).toBe(0);
    const pulls = fake.state.pulls('acme/widgets');
    expect(pulls).toHaveLength(1);
    const pr = pulls[0]!.number;

    const json = await runCli(['status', '--json'], { env });
    expect(json.code, json.stderr).toBe(0);
    const fleet = JSON.parse(json.stdout) as FleetView;
    expect(fleet.done).toEqual([{ issue: 1, title: 'Task 1', pr, prState: 'open' }]);
    expect(fleet.blocked).toEqual([{ issue: 2, title: 'Task 2', waitingOn: [{ issue: 1, pr }] }]);

    // The completed release records the pull request (the dashboard's task page links it).
    const events = await runCli(['events', '--task', 'acme/widgets#1', '--type', 'completed', '--json'], {
      env,
    });
    expect(events.code, events.stderr).toBe(0);
    expect(JSON.parse(events.stdout)).toContainEqual(
      expect.objectContaining({
        data: expect.objectContaining({ pr, prUrl: expect.stringMatching(/\/pull\//) }),
      }),
    );

    const text = await runCli(['status'], { env });
    expect(text.stdout).toMatch(new RegExp(`^#1\\s+#${pr} open\\s+Task 1$`, 'm'));
    expect(text.stdout).toMatch(new RegExp(`^#2\\s+waiting for PR #${pr} \\(of #1\\)\\s+Task 2$`, 'm'));
  });
});
