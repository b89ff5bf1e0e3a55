import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { exitWithin } from '../support/daemons.js';
import { ledgerChain, ownerIssues, seedIssues, startGitHubDaemons } from '../support/github-daemons.js';
import { type FakeGitHub, startFakeGitHub } from '../support/github-fake/index.js';
import { startReceiver } from '../support/notify-receiver.js';
import { useTempDirs } from '../support/temp-dir.js';

const tempDir = useTempDirs();
const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

describe('notifications from a fleet on the GitHub fake', () => {
  it('three daemons: one `poisoned` for the issue that fails, one `done` per completed issue, no secret in any', async () => {
    const fake: FakeGitHub = await startFakeGitHub({
      secondaryPerMinute: 100_000,
      secondaryPerHour: 100_000,
    });
    cleanups.push(() => fake.close());
    const receiver = await startReceiver();
    cleanups.push(receiver.close);
    seedIssues(fake, ownerIssues(3));
    // Issue 1 fails with a secret-looking line on stderr; the others pass.
    const command =
      "node -e \"console.error('tests are red ghp_0123456789abcdefghij0123'); process.exit(process.env.CODEX_MONITOR_TASK_ID.endsWith('#1') ? 1 : 0)\"";
    const daemons = startGitHubDaemons(fake, tempDir, join(tempDir(), 'markers.jsonl'), 3, undefined, {
      EXECUTOR_COMMAND: command,
      SHARED_STATE_MAX_RETRIES: '2',
      SHARED_STATE_BACKOFF_BASE_MS: '100',
      SHARED_STATE_BACKOFF_MAX_MS: '200',
      NOTIFY_WEBHOOK_URL: `${receiver.url}/hook/SECRETPATH`,
      NOTIFY_ON: 'poisoned,done',
    });
    for (const d of daemons) expect(await exitWithin(d, 90_000), d.output().slice(-3000)).not.toBe('hung');
    expect(ledgerChain(fake, 1).at(-1)?.kind).toBe('poison');

    const bodies = receiver.received.map((r) => JSON.parse(r.body) as Record<string, unknown>);
    const seen = bodies.map((b) => `${b.event} ${b.task}`).sort();
    expect(seen).toEqual(['done #2', 'done #3', 'poisoned #1']);
    const poisoned = bodies.find((b) => b.event === 'poisoned')!;
    expect(poisoned).toMatchObject({ repository: 'acme/widgets', issue: 1, error: null });
    expect(poisoned.owner).toMatch(/^ws[123]\/codex$/);
    const everything = receiver.received.map((r) => r.body).join('\n');
    expect(everything).not.toContain('test-token'); // the daemons' GITHUB_TOKEN
    expect(everything).not.toContain('tests are red'); // stderr stays out without PUBLISH_ERRORS
    for (const d of daemons) expect(d.output()).not.toContain('SECRETPATH');
  }, 120_000);
});
