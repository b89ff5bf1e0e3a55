/**
 * Three daemons on Jira issues (the Jira fake over real HTTP), the claims in a git ledger (a bare
 * repository over file://), one of them killed mid-run: every issue completed, none run twice at
 * once, none lost, and Jira shows each as done with one state comment.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readStateBlock } from '../../src/boards/jira/index.js';
import {
  type DaemonProcess,
  exitWithin,
  fastEnv,
  MARKER,
  readMarkers,
  startCli,
} from '../support/daemons.js';
import { createBareRepo, gitChain } from '../support/git-server/index.js';
import { jiraEnv } from '../support/jira-env.js';
import { type FakeJira, startFakeJira } from '../support/jira-fake/index.js';
import { useTempDirs } from '../support/temp-dir.js';

const tempDir = useTempDirs();
const ISSUES = 12;

describe('a Jira fleet: 3 daemons, a git ledger, one killed', () => {
  let fake: FakeJira;
  let markers: string;
  let bare: string;
  let exits: (number | null | 'hung')[] = [];
  let killed: DaemonProcess;
  beforeAll(async () => {
    fake = await startFakeJira();
    for (let i = 1; i <= ISSUES; i++)
      fake.create({ project: 'OPS', summary: `Task ${i}`, description: `Do ${i}.`, labels: ['codex'] });
    fake.create({ project: 'OPS', summary: 'not a task' }); // outside JIRA_JQL
    const dir = tempDir();
    markers = join(dir, 'markers.jsonl');
    bare = createBareRepo(join(dir, 'ledger.git'));
    const ledger = `file://${bare}`;
    const env = (n: number) =>
      fastEnv(join(dir, `ws${n}`), {
        ...jiraEnv(fake, ledger),
        POLL_INTERVAL_MS: '200',
        SHARED_STATE_HEARTBEAT_INTERVAL_MS: '300',
        SHARED_STATE_STALE_THRESHOLD_MS: '3000',
        TASK_CLAIM_OWNER_STALE_TTL_MS: '3000',
        EXECUTOR: 'shell',
        EXECUTOR_COMMAND: `node ${MARKER} ${markers} 300-900`,
      });
    const daemons = [1, 2, 3].map((n) =>
      startCli(['run', '--owner', `ws${n}/codex`, '--until-idle', '--parallel', '2'], env(n)),
    );
    killed = daemons[0]!;
    // Kill the first once it runs something: its claims must be taken over, not lost.
    const started = Date.now();
    while (!readMarkers(markers).some((m) => m.phase === 'start' && m.owner === 'ws1/codex')) {
      if (Date.now() - started > 60_000) throw new Error(`ws1 never started a task:\n${killed.output()}`);
      await new Promise((r) => setTimeout(r, 50));
    }
    killed.child.kill('SIGKILL');
    exits = await Promise.all(daemons.slice(1).map((d) => exitWithin(d, 120_000)));
  }, 180_000);
  afterAll(() => fake.close());

  it('completes every issue once: no duplicate completion, no overlap, nothing lost', () => {
    expect(exits).toEqual([0, 0]);
    const records = readMarkers(markers);
    const ends = records.filter((m) => m.phase === 'end');
    const byTask = new Map<string, number>();
    for (const end of ends) byTask.set(end.task, (byTask.get(end.task) ?? 0) + 1);
    const tasks = [...fake.model.issues.values()]
      .filter((i) => i.labels.includes('codex'))
      .map((i) => `jira:${i.key}`);
    // Lost: 0. (An executor of the killed daemon may still end after the kill: a second `end`
    // marker is allowed; a second completion accepted by the ledger is not.)
    expect([...byTask.keys()].sort()).toEqual(tasks.sort());
    let takenOver = 0;
    for (const issue of fake.model.issues.values()) {
      if (!issue.labels.includes('codex')) continue;
      const chain = gitChain(bare, `refs/codex-monitor-jira/tasks/${issue.id}`);
      const completions = chain.filter((r) => r.kind === 'release' && r.outcome === 'complete');
      expect({ key: issue.key, tip: chain[0]?.kind, completions: completions.length }).toEqual({
        key: issue.key,
        tip: 'release',
        completions: 1,
      });
      const byKilled = chain.some((r) => r.kind === 'claim' && r.owner === 'ws1/codex');
      if (byKilled && completions[0]?.owner !== 'ws1/codex') takenOver++;
    }
    // The killed daemon's running claim was recovered by another daemon, not lost.
    expect(takenOver).toBeGreaterThan(0);
    expect(records.filter((m) => m.phase === 'start' && (m.concurrent ?? []).length > 0)).toEqual([]);
  });

  it('mirrors each issue as done in Jira: the label, the status, one state comment', () => {
    for (const issue of fake.model.issues.values()) {
      if (!issue.labels.includes('codex')) {
        expect(issue.comments).toEqual([]);
        continue;
      }
      expect(issue.labels).toContain('codex-done');
      expect(issue.labels).not.toContain('codex-working');
      expect(issue.status).toBe('Done');
      expect(issue.comments).toHaveLength(1);
      expect(readStateBlock(issue.comments[0]!.body)).toMatchObject({ status: 'done' });
    }
  });
});
