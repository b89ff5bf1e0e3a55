import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readMarkers } from '../support/daemons.js';
import {
  ledgerChain,
  logLines,
  ownerIssues,
  REPOSITORY,
  seedIssues,
  startGitHubDaemons,
} from '../support/github-daemons.js';
import { type FakeGitHub, startFakeGitHub } from '../support/github-fake/index.js';
import { useTempDirs } from '../support/temp-dir.js';

const tempDir = useTempDirs();
let fake: FakeGitHub;

beforeAll(async () => {
  fake = await startFakeGitHub({ secondaryPerMinute: 100_000, secondaryPerHour: 100_000 });
});
afterAll(() => fake.close());

async function race(daemons: number, readLagMs = 0) {
  seedIssues(fake, ownerIssues(50));
  fake.setKnobs({ readLagMs });
  const markers = join(tempDir(), 'markers.jsonl');
  const fleet = startGitHubDaemons(fake, tempDir, markers, daemons);
  const codes = await Promise.all(fleet.map((d) => d.exited));
  fake.setKnobs({ readLagMs: 0 });
  expect(codes, fleet.map((d) => d.output().slice(-2000)).join('\n----\n')).toEqual(Array(daemons).fill(0));
  const starts = readMarkers(markers).filter((r) => r.phase === 'start');
  const lostRaces = fleet
    .flatMap(logLines)
    .filter((l) => l.msg === 'ledger refused the claim' && l.reason === 'lost-race').length;
  return { starts, lostRaces, fleet };
}

describe('daemons on the GitHub board racing over one repository (real processes, real HTTP)', () => {
  it.each([2, 8])(
    '%i daemons over 50 issues: every issue claimed and executed exactly once',
    async (daemons) => {
      const { starts, lostRaces } = await race(daemons);
      expect(starts).toHaveLength(50);
      expect(new Set(starts.map((s) => s.task)).size).toBe(50);
      for (let issue = 1; issue <= 50; issue++) {
        const records = ledgerChain(fake, issue);
        expect(
          records.filter((r) => r.kind === 'claim'),
          `#${issue}`,
        ).toHaveLength(1);
        expect(records.at(-1)).toMatchObject({ kind: 'release', outcome: 'complete' });
        // The one execution was by the owner the ledger says claimed it, at that epoch.
        const start = starts.find((s) => s.task === `${REPOSITORY}#${issue}`)!;
        expect({ owner: start.owner, epoch: start.epoch }).toEqual({
          owner: records[0]!.owner,
          epoch: records[0]!.epoch,
        });
      }
      // Visible to humans: every issue labelled done, one state comment each.
      for (let issue = 1; issue <= 50; issue++) {
        expect(fake.state.issue(REPOSITORY, issue)!.labels).toContain('codex:done');
        expect(
          fake.state.comments(REPOSITORY, issue).filter((c) => c.body.includes('codex-monitor-state')),
        ).toHaveLength(1);
      }
      console.log(`${daemons} daemons: ${lostRaces} lost compare-and-swap races`);
    },
  );

  it('with reads lagging 1 s, daemons lose compare-and-swap races (logged) and still execute each issue once', async () => {
    const { starts, lostRaces } = await race(4, 1000);
    expect(new Set(starts.map((s) => s.task)).size).toBe(50);
    expect(starts).toHaveLength(50);
    expect(lostRaces).toBeGreaterThan(0);
  });
});
