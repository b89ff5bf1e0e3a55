/**
 * The Jira board's parts against the Jira fake over real HTTP: the incremental listing (minute
 * resolution, the user's zone, overlap, content de-dupe, issues leaving the query), issues as
 * tasks (ADF, agent, priority, Blocks links), and the mirror (labels, one comment edited in
 * place, transitions found by target status, skipped with one warning where not allowed).
 */
import { Writable } from 'node:stream';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adfToText } from '../../src/boards/jira/adf-text.js';
import { type JiraApi, jiraApiFor } from '../../src/boards/jira/jira-api.js';
import type { JiraSnapshot } from '../../src/boards/jira/jira-issue.js';
import { snapshotOf } from '../../src/boards/jira/jira-issue.js';
import { JiraMirror, readStateBlock } from '../../src/boards/jira/jira-mirror.js';
import { JiraSync } from '../../src/boards/jira/jira-sync.js';
import { systemClock } from '../../src/core/clock.js';
import { DEFAULT_USER, type FakeJira, startFakeJira } from '../support/jira-fake/index.js';

let fake: FakeJira;
let api: JiraApi;
let now = Date.UTC(2026, 10, 30, 13, 5, 10);
const sent: string[] = [];
beforeAll(async () => {
  fake = await startFakeJira({ now: () => now, timeZone: 'America/New_York' });
  const inner = jiraApiFor({
    baseUrl: fake.url,
    auth: { email: DEFAULT_USER.email, apiToken: DEFAULT_USER.apiToken },
    clock: systemClock(),
  });
  api = {
    ...inner,
    search: (jql, page) => {
      sent.push(jql);
      return inner.search(jql, page);
    },
  };
});
afterAll(() => fake.close());

describe('JiraSync', () => {
  it('lists incrementally in the user zone with a minute of overlap, and de-dupes by content', async () => {
    const sync = new JiraSync({
      api,
      baseUrl: fake.url,
      jql: 'project = SYN',
      monotonic: () => 0,
      fullResyncMs: 1e12,
      priorityLabels: {},
    });
    const known = new Map<number, JiraSnapshot>();
    const pull = async () => {
      const got = await sync.pull(known);
      for (const i of got.changed) known.set(i.id, i);
      for (const id of got.gone) known.delete(id);
      return got;
    };
    const a = fake.create({ project: 'SYN', summary: 'a' });
    expect((await pull()).changed.map((i) => i.key)).toEqual([a.key]);
    expect(sent.at(-1)).toBe('(project = SYN) ORDER BY updated ASC'); // the first listing is full
    // Unchanged: listed again (overlap), reported as nothing.
    expect((await pull()).changed).toEqual([]);
    // 13:05 UTC is 08:05 in New York; the cursor minute less one minute of overlap.
    expect(sent.at(-1)).toBe('(project = SYN) AND updated >= "2026/11/30 08:04" ORDER BY updated ASC');
    // A second edit in the same second leaves `updated` as it was: still seen, by content.
    await api.editLabels(a.key, { add: ['x'] });
    expect((await pull()).changed.map((i) => i.labels)).toEqual([['x']]);
    // An issue indexed late, updated in the minute before the newest seen: caught by the overlap.
    now += 60_000;
    const b = fake.create({ project: 'SYN', summary: 'b' });
    await pull();
    const late = fake.create({ project: 'SYN', summary: 'late' });
    late.updatedMs = now - 45_000; // 13:05:25, before b's 13:06:10
    expect((await pull()).changed.map((i) => i.key)).toEqual([late.key]);
    expect(known.has(Number(b.id))).toBe(true);
  });

  it('drops issues that left the query at the full listing', async () => {
    const sync = new JiraSync({
      api,
      baseUrl: fake.url,
      jql: 'project = GONE AND labels = codex',
      monotonic: () => 0,
      fullResyncMs: 0,
      priorityLabels: {},
    });
    const a = fake.create({ project: 'GONE', summary: 'a', labels: ['codex'] });
    const first = await sync.pull(new Map());
    expect(first.changed.map((i) => i.key)).toEqual([a.key]);
    await api.editLabels(a.key, { remove: ['codex'] });
    const second = await sync.pull(new Map(first.changed.map((i) => [i.id, i])));
    expect(second.gone).toEqual([Number(a.id)]);
  });
});

describe('issues as tasks', () => {
  it('reads the description as text, agent and priority from labels and field, blockers from Blocks links', async () => {
    const blocker = fake.create({ project: 'TSK', summary: 'first', status: 'Done' });
    const open = fake.create({ project: 'TSK', summary: 'second' });
    const task = fake.create({
      project: 'TSK',
      summary: 'the task',
      description: 'Line one\nLine two',
      labels: ['agent:codex', 'priority:high'],
      priority: 'High',
    });
    fake.link(blocker.key, task.key);
    fake.link(open.key, task.key);
    const s = snapshotOf(await api.issue(task.key), fake.url, { priorityLabels: { 'priority:high': 10 } });
    expect(s).toMatchObject({
      id: Number(task.id),
      key: task.key,
      title: 'the task',
      body: 'Line one\nLine two',
      agent: 'codex',
      priority: 20,
      closed: false,
    });
    expect(s.blockedBy).toEqual([
      { id: Number(blocker.id), key: blocker.key, done: true },
      { id: Number(open.id), key: open.key, done: false },
    ]);
    expect(s.url).toBe(`${fake.url}/browse/${task.key}`);
  });

  it('turns ADF lists, code and mentions into text', () => {
    const doc = {
      type: 'doc',
      version: 1,
      content: [
        { type: 'heading', attrs: { level: 2 }, content: [{ type: 'text', text: 'Goal' }] },
        {
          type: 'bulletList',
          content: [
            { type: 'listItem', content: [{ type: 'paragraph', content: [{ type: 'text', text: 'one' }] }] },
          ],
        },
        {
          type: 'paragraph',
          content: [
            { type: 'mention', attrs: { text: '@ana' } },
            { type: 'text', text: ' see' },
          ],
        },
        { type: 'codeBlock', attrs: { language: 'sh' }, content: [{ type: 'text', text: 'rm -rf "$x"' }] },
      ],
    };
    expect(adfToText(doc)).toBe('## Goal\n- one\n@ana see\n```sh\nrm -rf "$x"\n```');
    expect(adfToText(null)).toBe('');
  });
});

describe('JiraMirror', () => {
  const lines: string[] = [];
  const logger = pino(
    { level: 'warn' },
    new Writable({
      write: (c, _e, done) => {
        lines.push(String(c));
        done();
      },
    }),
  );
  const mirror = () =>
    new JiraMirror({
      api,
      logger,
      labels: { working: 'codex-working', done: 'codex-done', failed: 'codex-failed' },
      statuses: { working: 'In Progress', review: 'In Review', done: 'Done' },
      accountId: async () => DEFAULT_USER.accountId,
      now: () => now,
    });
  const snap = async (key: string) => snapshotOf(await api.issue(key), fake.url, { priorityLabels: {} });

  it('shows working, then done: labels swapped, one comment edited in place, status moved', async () => {
    const issue = fake.create({ project: 'MIR', summary: 'mirrored', labels: ['codex'] });
    const m = mirror();
    m.show(await snap(issue.key), 'working', { owner: 'ws1', attempt: 1, epoch: 3 });
    await m.flush(10_000);
    expect(fake.issue(issue.key)).toMatchObject({
      labels: ['codex', 'codex-working'],
      status: 'In Progress',
    });
    // A fresh mirror (another daemon, a restart) finds the comment by its block, not its memory.
    const again = mirror();
    again.show(await snap(issue.key), 'done', { owner: 'ws1', attempt: 1, epoch: 4 });
    await again.flush(10_000);
    const now = fake.issue(issue.key);
    expect(now).toMatchObject({ labels: ['codex', 'codex-done'], status: 'Done' });
    expect(now.comments).toHaveLength(1);
    expect(readStateBlock(now.comments[0]!.body)).toMatchObject({
      status: 'done',
      owner: 'ws1',
      epoch: 4,
      v: 2,
    });
  });

  it('shows a completed attempt with a pull request in review, the comment linking the pull request', async () => {
    const issue = fake.create({ project: 'REV', summary: 'reviewed', labels: ['codex'] });
    const m = mirror();
    const pr = { number: 7, url: 'https://github.example/acme/widgets/pull/7' };
    m.show(await snap(issue.key), 'done', { owner: 'ws1', attempt: 1, epoch: 4, pr });
    await m.flush(10_000);
    const now = fake.issue(issue.key);
    expect(now).toMatchObject({ labels: ['codex', 'codex-done'], status: 'In Review' });
    expect(adfToText(now.comments[0]!.body)).toContain('Pull request: #7');
    expect(JSON.stringify(now.comments[0]!.body)).toContain(
      '"marks":[{"type":"link","attrs":{"href":"https://github.example/acme/widgets/pull/7"}}]',
    );
    expect(readStateBlock(now.comments[0]!.body)).toMatchObject({ status: 'done', pr: 7 });
  });

  it('skips a transition the workflow does not allow, warning once', async () => {
    fake.setWorkflow({
      statuses: { 'To Do': 'new', 'In Progress': 'indeterminate', Done: 'done' },
      from: { 'To Do': ['Done'] },
    });
    const issue = fake.create({ project: 'WFL', summary: 'strict' });
    const m = mirror();
    for (const epoch of [1, 2]) {
      m.show(await snap(issue.key), 'working', { owner: 'ws1', attempt: 1, epoch });
      await m.flush(10_000);
    }
    expect(fake.issue(issue.key).status).toBe('To Do');
    expect(fake.issue(issue.key).labels).toEqual(['codex-working']);
    expect(lines.filter((l) => l.includes('no transition from'))).toHaveLength(1);
  });

  it('skips "In Review" where the workflow goes from In Progress to Done only, warning once', async () => {
    fake.setWorkflow({
      statuses: {
        'To Do': 'new',
        'In Progress': 'indeterminate',
        'In Review': 'indeterminate',
        Done: 'done',
      },
      from: { 'To Do': ['In Progress'], 'In Progress': ['Done'] },
    });
    const issue = fake.create({ project: 'NRV', summary: 'no review step' });
    const m = mirror();
    m.show(await snap(issue.key), 'working', { owner: 'ws1', attempt: 1, epoch: 1 });
    await m.flush(10_000);
    const pr = { number: 9, url: 'https://github.example/acme/widgets/pull/9' };
    for (const epoch of [2, 3]) {
      m.show(await snap(issue.key), 'done', { owner: 'ws1', attempt: 1, epoch, pr });
      await m.flush(10_000);
    }
    expect(fake.issue(issue.key).status).toBe('In Progress');
    expect(lines.filter((l) => l.includes('to \\"In Review\\"'))).toHaveLength(1);
  });
});
