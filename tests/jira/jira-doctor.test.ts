/** `doctor` for the Jira board against the Jira fake and a git ledger in a bare repository. */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GitTransport, RefLedger } from '../../src/boards/github/ledger/index.js';
import { JIRA_LEDGER_NAMESPACE, jiraApiFor, runJiraDoctor } from '../../src/boards/jira/index.js';
import { systemClock } from '../../src/core/clock.js';
import { silentLogger } from '../../src/core/logger.js';
import { createBareRepo } from '../support/git-server/index.js';
import { DEFAULT_USER, type FakeJira, startFakeJira } from '../support/jira-fake/index.js';
import { useTempDirs } from '../support/temp-dir.js';

const tempDir = useTempDirs();

describe('Jira doctor', () => {
  let fake: FakeJira;
  beforeAll(async () => {
    fake = await startFakeJira({ timeZone: 'Asia/Tokyo' });
    fake.setWorkflow({
      statuses: { 'To Do': 'new', 'In Progress': 'indeterminate', Done: 'done' },
      from: { 'To Do': ['In Progress'], 'In Progress': ['Done'] },
    });
    fake.create({ project: 'OPS', summary: 'a', labels: ['codex'] });
  });
  afterAll(() => fake.close());

  const run = (apiToken: string, statuses: Record<string, string>) => {
    const dir = tempDir();
    const remote = `file://${createBareRepo(join(dir, 'ledger.git'))}`;
    const transport = new GitTransport({ remote, cacheDir: join(dir, 'cache.git'), logger: silentLogger() });
    const clock = systemClock();
    const ledger = new RefLedger({
      transport,
      clock,
      staleThresholdMs: 60_000,
      namespace: JIRA_LEDGER_NAMESPACE,
    });
    const api = jiraApiFor({ baseUrl: fake.url, auth: { email: DEFAULT_USER.email, apiToken }, clock });
    return runJiraDoctor({ api, ledger, jql: 'project = OPS AND labels = codex', statuses });
  };

  it('checks the credentials, the query, the ledger, and warns of a status no transition reaches', async () => {
    const statuses = { working: 'In Progress', review: 'In Review', done: 'Done' };
    const checks = await run(DEFAULT_USER.apiToken, statuses);
    const by = Object.fromEntries(checks.map((c) => [c.name, c]));
    expect(by['Jira credentials']).toMatchObject({ ok: true, info: { timeZone: 'Asia/Tokyo' } });
    expect(by.JIRA_JQL).toMatchObject({ ok: true, detail: expect.stringContaining('selects 1 issues') });
    expect(by['claim ledger: write refs (git)']).toMatchObject({ ok: true });
    expect(by['transition to "In Progress" (working)']).toMatchObject({
      ok: true,
      detail: expect.stringContaining('reachable'),
    });
    expect(by['transition to "In Progress" (working)']!.warn).toBeUndefined();
    // From "To Do" the workflow goes to In Progress only.
    expect(by['transition to "Done" (done)']).toMatchObject({
      ok: true,
      warn: true,
      detail: expect.stringContaining('no transition to "Done" from "To Do"'),
    });
    // JIRA_STATUS_REVIEW is checked alike (this workflow has no such status).
    expect(by['transition to "In Review" (review)']).toMatchObject({
      ok: true,
      warn: true,
      detail: expect.stringContaining('no transition to "In Review" from "To Do"'),
    });
  });

  it('fails on wrong credentials, naming what to set, and stops there', async () => {
    const checks = await run('wrong', { working: 'In Progress' });
    expect(checks).toEqual([
      expect.objectContaining({
        name: 'Jira credentials',
        ok: false,
        detail: expect.stringContaining('JIRA_API_TOKEN'),
      }),
    ]);
  });
});
