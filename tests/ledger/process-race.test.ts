/**
 * Real processes racing on a git ledger: six node processes, each with its own cache repository,
 * claim the same issues at once over file:// and over smart HTTP. The server's ref lock decides
 * each race: exactly one claim per issue lands, and the chain holds exactly that claim.
 */
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { createBareRepo, gitChain, startGitHttpServer } from '../support/git-server/index.js';
import { useTempDirs } from '../support/temp-dir.js';

const run = promisify(execFile);
const tempDir = useTempDirs();
const WORKER = fileURLToPath(new URL('../support/ledger-race-worker.ts', import.meta.url));
const ISSUES = [1, 2, 3, 4, 5, 6, 7, 8];
const RACERS = 6;

interface Answer {
  issue: number;
  won: boolean;
  sha?: string;
  reason?: string;
}

async function race(remote: string, dir: string): Promise<Answer[][]> {
  const racers = Array.from({ length: RACERS }, (_, i) =>
    run(
      process.execPath,
      ['--import', 'tsx', WORKER, remote, join(dir, `cache-${i}.git`), `racer${i}/a`, ISSUES.join(',')],
      {
        timeout: 120_000,
      },
    ),
  );
  const outputs = await Promise.all(racers);
  return outputs.map((o) =>
    o.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Answer),
  );
}

describe.each(['file', 'http'] as const)('racing processes on a git ledger over %s', (transport) => {
  it(`${RACERS} processes, ${ISSUES.length} issues: exactly one claim lands per issue`, async () => {
    const dir = tempDir();
    const bare = createBareRepo(join(dir, 'srv', 'acme', 'ledger.git'));
    const server = transport === 'http' ? await startGitHttpServer({ root: join(dir, 'srv') }) : undefined;
    try {
      const answers = (await race(server ? server.url('acme/ledger.git') : `file://${bare}`, dir)).flat();
      expect(answers).toHaveLength(RACERS * ISSUES.length);
      for (const issue of ISSUES) {
        const mine = answers.filter((a) => a.issue === issue);
        const won = mine.filter((a) => a.won);
        expect(won, `issue ${issue}: ${JSON.stringify(mine)}`).toHaveLength(1);
        for (const lost of mine.filter((a) => !a.won)) expect(['lost-race', 'held']).toContain(lost.reason);
        const chain = gitChain(bare, `refs/codex-monitor/tasks/${issue}`);
        expect(chain.map((c) => [c.sha, c.kind])).toEqual([[won[0]!.sha, 'claim']]);
      }
    } finally {
      await server?.close();
    }
  }, 180_000);
});
