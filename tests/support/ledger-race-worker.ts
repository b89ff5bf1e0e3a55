/**
 * A process that races for issues on a git ledger: for each issue it refreshes its view and
 * claims once, then prints one JSON line per issue with what the ledger answered.
 *
 * argv: <remote> <cacheDir> <ownerId> <issue,issue,…>
 * Used by tests/ledger/process-race.test.ts: several of these run at once.
 */
import { GitTransport, RefLedger } from '../../src/boards/github/ledger/index.js';
import { systemClock } from '../../src/core/clock.js';
import { silentLogger } from '../../src/core/logger.js';

const [remote, cacheDir, ownerId, issueList] = process.argv.slice(2) as [string, string, string, string];
const ledger = new RefLedger({
  transport: new GitTransport({ remote, cacheDir, logger: silentLogger() }),
  clock: systemClock(),
  staleThresholdMs: 60_000,
});
await ledger.init();
for (const issue of issueList.split(',').map(Number)) {
  await ledger.refresh();
  const result = await ledger.claim(issue, ownerId, { maxRetries: 3 });
  const line = result.ok
    ? { issue, won: true, sha: result.ticket.sha, epoch: result.ticket.epoch }
    : { issue, won: false, reason: result.reason };
  process.stdout.write(`${JSON.stringify(line)}\n`);
}
