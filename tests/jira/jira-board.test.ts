/**
 * What the Jira board does beyond the Board contract: steering from a one-shot command (an issue
 * not synced yet), "is blocked by" links as dependencies, the retry label, and the prompt file.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { useTempDirs } from '../support/temp-dir.js';
import { any, never, until, useJiraBoards } from './jira-boards.js';

const tempDir = useTempDirs();

describe('the Jira board', () => {
  const jira = useJiraBoards();
  const open = jira.open;
  let world: ReturnType<typeof jira.world>;
  beforeEach(() => {
    world = jira.world();
  });

  it('steers an issue it has not synced (a one-shot CLI command), by key in any case', async () => {
    const [task] = await world.seed(1);
    const board = await open('cli', false);
    expect(await board.steering.ignore(task!.ref.toLowerCase(), 'hold on')).toMatchObject({
      task: task!.id,
      changed: true,
    });
    expect(world.fake.issue(task!.ref).labels).toContain('codex-ignore');
    await expect(board.steering.retry('OPS-999')).rejects.toMatchObject({ code: 'INPUT_INVALID' });
  });

  it('waits for blockers ("is blocked by") to be done, then runs the blocked issue; the prompt file holds the description', async () => {
    const [first, second] = await world.seed(2);
    world.fake.link(first!.ref, second!.ref);
    const board = await open('ws1');
    expect(await board.pending()).toMatchObject({ runnable: 1, waiting: 1 });
    const c = (await board.claimNext(any))!;
    expect(c.task.id).toBe(first!.id);
    expect(await board.claimNext(any)).toBeNull(); // the second waits
    expect(readFileSync(c.task.env!.CODEX_MONITOR_ISSUE_BODY_FILE!, 'utf8')).toBe('Do it.');
    await board.release(c, 'complete', {}, never);
    await until(() => world.fake.issue(first!.ref).status === 'Done'); // the mirror, written behind
    await board.refresh(never);
    expect((await board.claimNext(any))?.task.id).toBe(second!.id);
  });

  it('the retry label resets a poisoned issue and is taken off', async () => {
    const [task] = await world.seed(1);
    const board = await open('ws1');
    for (let i = 0; i < world.maxRetries; i++) {
      await board.refresh(never);
      const c = (await board.claimNext(any))!;
      await board.release(c, 'failed', { error: 'boom' }, never);
      await world.elapse(world.longerThanAnyWait);
    }
    await board.refresh(never);
    expect(await board.claimNext(any)).toBeNull();
    world.fake.issue(task!.ref).labels.push('codex-retry');
    world.fake.model.touch(world.fake.issue(task!.ref));
    await board.refresh(never);
    expect(world.fake.issue(task!.ref).labels).not.toContain('codex-retry');
    expect((await board.claimNext(any))?.ticket.attempt).toBe(1);
  });

  it('keeps a release the ledger did not take and lands it at the next cycle, the claim alive meanwhile', async () => {
    await world.seed(1);
    const board = await open('ws1');
    const other = await open('ws2');
    const c = (await board.claimNext(any))!;
    world.ledgerDown(true);
    await expect(board.release(c, 'complete', {}, never)).rejects.toThrow();
    expect(await board.pending()).toMatchObject({ held: 1 }); // --until-idle waits for it
    world.ledgerDown(false);
    await world.elapse(world.longerThanAnyWait);
    await board.heartbeat([]); // the unreleased claim is still beaten for
    await board.refresh(never); // lands it
    expect(await board.pending()).toMatchObject({ runnable: 0, held: 0, waiting: 0 });
    // The attempt's own retry gets the landed result, not a second write.
    expect(await board.release(c, 'complete', {}, never)).toMatchObject({ ok: true, state: 'done' });
    await other.refresh(never);
    expect(await other.claimNext(any)).toBeNull(); // done in the ledger for everyone
  });

  it('keeps a release the ledger did not take across a restart: the restarted daemon lands it and does not run the task again', async () => {
    const [task] = await world.seed(1);
    const stateDir = join(tempDir(), 'state');
    const board = await world.open('ws1', stateDir);
    await board.register();
    await board.refresh(never);
    const c = (await board.claimNext(any))!;
    world.ledgerDown(true);
    await expect(board.release(c, 'complete', {}, never)).rejects.toThrow();
    await board.close();
    world.stop(stateDir); // the daemon ends with its release unrecorded
    world.ledgerDown(false);
    const restarted = await open('ws1', true, stateDir);
    // Its chain still shows our claim, and this process did not take it: without the kept release
    // it would be an orphan of ours, recovered (run again).
    expect(await restarted.claimNext(any)).toBeNull();
    expect(await restarted.pending()).toMatchObject({ runnable: 0, held: 0, waiting: 0 });
    await until(() => world.fake.issue(task!.ref).status === 'Done'); // mirrored by the restarted daemon
    const other = await open('ws2');
    expect(await other.claimNext(any)).toBeNull(); // done in the ledger for everyone
  });
});
