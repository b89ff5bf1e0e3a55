/**
 * `verify: <agent>` on the local board with real processes and real git: an author daemon
 * (`--agent coder`) and a verifier daemon (`--agent reviewer`) share one SQLite file; the
 * verifier runs on the author's branch, and nothing downstream starts before it passed. A refused
 * verification sends its task back with the review, whose next attempt reads it; after
 * REVIEW_MAX_ROUNDS (2) refusals the verification is poisoned.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { runCli } from '../support/cli.js';
import { type DaemonProcess, exitWithin, fastEnv, openTestState, startCli } from '../support/daemons.js';
import { useTempDirs } from '../support/temp-dir.js';
import { gitFixture, worktreeDaemonEnv } from '../workspaces/git-fixture.js';

const tempDir = useTempDirs();
/** A bound on "never": the run needs a few seconds; a daemon that never idles is stopped. */
const HANG_GUARD_MS = 90_000;
const SCRIPT = new URL('../fixtures/verify-branch.mjs', import.meta.url).pathname;

interface LogLine {
  mode: 'write' | 'check';
  task: string;
  owner: string;
  verifyOf: string | null;
  branch: string | null;
  found: string | null;
  passed: boolean;
  /** The review the attempt was given (CODEX_MONITOR_REVIEW_FILE), if any. */
  review: string | null;
}

let log: LogLine[];
let states: Map<string, string>;
let outputs: string;
let codes: (number | null | 'hung')[];
/** good.txt on the author's branch, read before the temporary directory goes. */
let onBranch: string;
let events: { type: string; taskId: string | null; ownerId: string | null }[];

beforeAll(async () => {
  const dir = tempDir();
  const repo = gitFixture(dir);
  const logFile = join(dir, 'verify-log.jsonl');
  const run = (...args: string[]) => ({ kind: 'shell', cmd: ['node', SCRIPT, logFile, ...args] });
  /**
   * A coder task writing `<id>.txt` (`fixed` instead once given a review), verified by a reviewer
   * expecting "right", and a task after it.
   */
  const verified = (id: string, title: string, text: string, fixed?: string) => [
    {
      id,
      title,
      agent: 'coder',
      workspace: true,
      payload: run('write', `${id}.txt`, text, ...(fixed ? [fixed] : [])),
      verify: { agent: 'reviewer', payload: run('check', `${id}.txt`, 'right') },
    },
    { id: `ship-${id}`, agent: 'coder', deps: [id], payload: run('write', `shipped-${id}.txt`, 'x') },
  ];
  const dag = join(dir, 'dag.yaml');
  writeFileSync(
    dag,
    stringify({
      tasks: [
        // Verified: the reviewer finds what the author wrote, on the author's branch.
        ...verified('good', 'Good change', 'right'),
        // Refused twice: the reviewer expects other content, so what depends on it never runs.
        ...verified('bad', 'Bad change', 'wrong'),
        // Refused once, then fixed by the attempt that read the review.
        ...verified('fix', 'Fixed change', 'wrong', 'right'),
      ],
    }),
  );
  const stateDir = join(dir, 'state');
  const env = fastEnv(stateDir, { ...worktreeDaemonEnv(repo), SHARED_STATE_MAX_RETRIES: '1' });
  const seeded = await runCli(['tasks', 'seed', dag], { env });
  expect(seeded.stdout, seeded.stderr).toMatch(/9 added/);
  const daemons: DaemonProcess[] = [
    startCli(['run', '--until-idle', '--owner', 'w-code', '--agent', 'coder'], env),
    startCli(['run', '--until-idle', '--owner', 'w-review', '--agent', 'reviewer'], env),
  ];
  codes = await Promise.all(daemons.map((d) => exitWithin(d, HANG_GUARD_MS)));
  outputs = daemons.map((d) => d.output()).join('\n');
  log = readFileSync(logFile, 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as LogLine);
  onBranch = repo.git(['show', 'codex/good-good-change:good.txt']);
  const store = openTestState(stateDir);
  try {
    states = new Map(store.list().map((t) => [t.id, t.state]));
    events = store.events.query({ types: ['started', 'completed', 'failed', 'poisoned', 'reset'] });
  } finally {
    store.close();
  }
});

describe('verify: <agent> on the local board (two daemons, real git)', () => {
  it('both daemons end by themselves once nothing is left for them', () => {
    // The verifier's run ends with the refused verification poisoned: exit 1 says so.
    expect(codes, outputs).toEqual([0, 1]);
  });

  it('a verification runs on the verified task’s branch, by the verifying capability’s daemon', () => {
    const check = log.find((l) => l.task === 'good.verify')!;
    expect(check).toMatchObject({
      mode: 'check',
      owner: 'w-review',
      verifyOf: 'good',
      branch: 'codex/good-good-change',
      found: 'right',
      passed: true,
    });
    const writes = log.filter((l) => l.mode === 'write' && !l.task.startsWith('ship-'));
    expect(writes.map((l) => l.task).sort()).toEqual(['bad', 'bad', 'fix', 'fix', 'good']);
    expect(writes.every((l) => l.owner === 'w-code')).toBe(true);
    expect(onBranch).toBe('right');
  });

  it('what depends on a verified task runs only after its verification, and never after a refused one', () => {
    expect(Object.fromEntries(states)).toEqual({
      good: 'done',
      'good.verify': 'done',
      'ship-good': 'done',
      bad: 'done',
      'bad.verify': 'poisoned',
      'ship-bad': 'ready',
      fix: 'done',
      'fix.verify': 'done',
      'ship-fix': 'done',
    });
    const order = log.map((l) => l.task);
    expect(order.indexOf('ship-good')).toBeGreaterThan(order.indexOf('good.verify'));
    expect(order).not.toContain('ship-bad');
    expect(events.some((e) => e.type === 'poisoned' && e.taskId === 'bad.verify')).toBe(true);
  });

  it('a refused verification sends its task back with the review; after REVIEW_MAX_ROUNDS it is poisoned', () => {
    // bad: written, refused, sent back with the review, written again, refused again: poisoned.
    const bad = log.filter((l) => l.task === 'bad' || l.task === 'bad.verify');
    expect(bad.map((l) => [l.task, l.passed])).toEqual([
      ['bad', true],
      ['bad.verify', false],
      ['bad', true],
      ['bad.verify', false],
    ]);
    expect(bad[0]!.review).toBeNull();
    expect(bad[2]!.review).toContain('bad.txt says "wrong"; it must say "right".');
    expect(bad[2]!.review).toContain('w-review');
    expect(bad.filter((l) => l.mode === 'check').every((l) => l.owner === 'w-review')).toBe(true);
    expect(events.filter((e) => e.type === 'reset' && e.taskId === 'bad')).toHaveLength(1);
    // fix: its second attempt read the review and wrote what was asked: verified, then shipped.
    const fix = log.filter((l) => l.task.startsWith('fix') || l.task === 'ship-fix');
    expect(fix.map((l) => [l.task, l.passed])).toEqual([
      ['fix', true],
      ['fix.verify', false],
      ['fix', true],
      ['fix.verify', true],
      ['ship-fix', true],
    ]);
    expect(fix[2]!.review).toContain('fix.txt says "wrong"');
  });
});
