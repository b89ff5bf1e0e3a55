import { describe, expect, it } from 'vitest';
import { cliArgv } from '../support/cli.js';
import { DEFAULT_FLEET } from '../support/fleet/fleet-params.js';
import { runFleet } from '../support/fleet/run-fleet.js';
import { useTempDirs } from '../support/temp-dir.js';

const tempDir = useTempDirs();
/** Seconds, not minutes: short thresholds and polls, fast tasks, no pacing. */
const SMALL = {
  ...DEFAULT_FLEET,
  slots: 2,
  staleThresholdMs: 3000,
  heartbeatMs: 300,
  pollMs: 200,
  secondaryPerMinute: 1000,
  secondaryPerHour: 10_000,
  paceWrites: false,
};

describe('small fleets under chaos (the bench:fleet machinery, scaled down)', () => {
  it('3 daemons, 40 issues, one kill, one pause, one skewed clock: nothing completed twice, nothing lost', async () => {
    const report = await runFleet(
      {
        ...SMALL,
        daemons: 3,
        issues: 40,
        killFraction: 0.3,
        pauseFraction: 0.3,
        skewed: 1,
        taskMs: [200, 800],
        deadlineMs: 150_000,
      },
      { workDir: tempDir(), cli: cliArgv() },
    );
    expect(report.chaos.map((c) => c.kind).sort()).toEqual(['kill', 'pause']);
    expect(report.duplicateAcceptedCompletions).toBe(0);
    expect(report.lost).toBe(0);
    expect(report.completed).toBe(40);
    expect(report.overlaps.filter((o) => o.cause === 'unexplained')).toEqual([]);
    expect(report.faults.lostResponses).toBeGreaterThan(0); // the faults were really on
    // What humans see agrees with the ledger, once the reconcilers settled.
    expect(report.mirror.examples).toEqual({ disagreeing: [], multiple: [] });
    expect(report.mirror.disagreeing).toBe(0);
    expect(report.mirror.multipleStateComments).toBe(0);
  }, 240_000);

  it('the same over the git ledger: 3 daemons, 30 issues, a kill, a pause, lost pushes, no REST request for a ref', async () => {
    const report = await runFleet(
      {
        ...SMALL,
        daemons: 3,
        issues: 30,
        killFraction: 0.3,
        pauseFraction: 0.3,
        killDaemonOnly: 0,
        hup: 0,
        skewed: 0,
        taskMs: [200, 800],
        deadlineMs: 150_000,
        ledger: 'git',
      },
      { workDir: tempDir(), cli: cliArgv() },
    );
    expect(report.chaos.map((c) => c.kind).sort()).toEqual(['kill', 'pause']);
    expect(report.duplicateAcceptedCompletions).toBe(0);
    expect(report.lost).toBe(0);
    expect(report.completed).toBe(30);
    expect(report.overlaps.filter((o) => o.cause === 'unexplained')).toEqual([]);
    expect(report.faults.lostPushes).toBeGreaterThan(0); // pushes applied whose git never heard
    // The ledger never touched the REST API: no ref or commit request at all.
    const gitData = Object.entries(report.requests.byRoute).filter(([route]) => route.includes('/git/'));
    expect(gitData).toEqual([]);
    expect(report.mirror.disagreeing).toBe(0);
  }, 240_000);

  // bench:fleet --deliver, scaled down: daemons in worktrees of their own clones, pushing to the
  // fake's bare repository, one paused past the stale threshold. Every completed issue must end
  // in exactly one pull request; a fenced attempt must leave no pull request or branch behind.
  it('2 daemons, 10 issues, one paused: one pull request per issue, nothing left by the fenced', async () => {
    const report = await runFleet(
      {
        ...SMALL,
        daemons: 2,
        issues: 10,
        killFraction: 0,
        pauseFraction: 0.5,
        killDaemonOnly: 0,
        hup: 0,
        skewed: 0,
        taskMs: [300, 900],
        deadlineMs: 120_000,
        deliver: true,
      },
      { workDir: tempDir(), cli: cliArgv() },
    );
    expect(report.chaos.map((c) => c.kind)).toEqual(['pause']);
    expect(report.completed).toBe(10);
    expect(report.duplicateAcceptedCompletions).toBe(0);
    const delivery = report.delivery!;
    expect(delivery.wrongPullCount).toEqual([]);
    expect(delivery.withOnePull).toBe(10);
    expect(delivery.pullsLeftByFenced).toEqual([]);
    expect(delivery.branchesLeftByFenced).toEqual([]);
    // Ten pull requests stay open: lost responses (2 % of writes, perhaps a POST /pulls) never
    // made a second one; any other was closed by the fenced attempt that opened it.
    expect(delivery.pullsOpened - delivery.closedUnmerged).toBe(10);
    expect(delivery.pullCallsByRoute['POST /repos/{owner}/{repo}/pulls']).toBeGreaterThanOrEqual(10);
  }, 180_000);
});
