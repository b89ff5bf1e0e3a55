import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { DEFAULT_FLEET } from '../support/fleet/fleet-params.js';
import { runFleet } from '../support/fleet/run-fleet.js';
import { useTempDirs } from '../support/temp-dir.js';

const tempDir = useTempDirs();
const CLI = fileURLToPath(new URL('../../src/cli/main.ts', import.meta.url));

describe('a small fleet under chaos (the bench:fleet machinery, scaled down)', () => {
  it('3 daemons, 40 issues, one kill, one pause, one skewed clock: nothing completed twice, nothing lost', async () => {
    const report = await runFleet(
      {
        ...DEFAULT_FLEET,
        daemons: 3,
        slots: 2,
        issues: 40,
        killFraction: 0.3,
        pauseFraction: 0.3,
        skewed: 1,
        staleThresholdMs: 3000,
        heartbeatMs: 300,
        pollMs: 200,
        taskMs: [200, 800],
        secondaryPerMinute: 1000,
        secondaryPerHour: 10_000,
        deadlineMs: 150_000,
        paceWrites: false,
      },
      { workDir: tempDir(), cli: [process.execPath, '--import', 'tsx', CLI] },
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
});
