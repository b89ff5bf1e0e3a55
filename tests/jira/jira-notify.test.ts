/**
 * Notifications on the Jira board, in-process: the Jira fake over real HTTP, the claims in a git
 * ledger, each daemon's own Notifier POSTing to a local webhook receiver. Only the daemon that
 * wrote the ledger record tells, once across the fleet; the task is named by its key and links
 * its Jira page; no secret reaches a body.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { systemClock } from '../../src/core/clock.js';
import { silentLogger } from '../../src/core/logger.js';
import { NOTIFY_EVENTS } from '../../src/core/notification.js';
import type { Board } from '../../src/daemon/board.js';
import { Notifier, webhookTarget } from '../../src/notify/index.js';
import { jiraWorld } from '../contract/jira-world.js';
import { DEFAULT_USER } from '../support/jira-fake/index.js';
import { startReceiver } from '../support/notify-receiver.js';
import { any, never } from './jira-boards.js';

const closing: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const close of closing.splice(0).reverse()) await close();
});

/** A Jira world, a receiver, and `open`: a registered board whose daemon notifies every event. */
async function notifyWorld() {
  const world = await jiraWorld();
  closing.push(() => world.close());
  const receiver = await startReceiver();
  closing.push(receiver.close);
  const notifiers: Notifier[] = [];
  const boards: Board[] = [];
  const open = async (owner: string): Promise<Board> => {
    const notifier = new Notifier({
      targets: [webhookTarget(`${receiver.url}/hook/SECRETPATH`)],
      events: new Set(NOTIFY_EVENTS),
      clock: systemClock(),
      logger: silentLogger(),
    });
    notifiers.push(notifier);
    const board = await world.open(owner, undefined, undefined, notifier);
    boards.push(board);
    closing.push(() => board.close());
    await board.register();
    await board.refresh(never);
    return board;
  };
  /** Every notification delivered, once each board's background writes and daemon's queue are done. */
  const delivered = async () => {
    await Promise.all(boards.map((b) => b.close()));
    await Promise.all(notifiers.map((n) => n.close()));
    return receiver.received.map((r) => JSON.parse(r.body) as Record<string, unknown>);
  };
  return { world, receiver, open, delivered, site: new URL(world.fake.url).host };
}

describe('notifications on the Jira board', () => {
  it('done and poisoned, named by key and linked to the issue; rate-limited on a 429; no secret in a body', async () => {
    const { world, receiver, open, delivered, site } = await notifyWorld();
    const tasks = await world.seed(2);
    const board = await open('ws1');
    const first = (await board.claimNext(any))!;
    // The claim order spreads daemons out: whichever comes first is done, the other poisoned.
    const done = tasks.find((t) => t.id === first.task.id);
    const poisoned = tasks.find((t) => t.id !== first.task.id);
    await board.release(first, 'complete', {}, never);
    // The other fails until its retries are spent: its last release writes the poison record.
    for (let i = 0; i < world.maxRetries; i++) {
      await world.elapse(world.longerThanAnyWait);
      await board.refresh(never);
      const c = (await board.claimNext(any))!;
      expect(c.task.id).toBe(poisoned!.id);
      await board.release(c, 'failed', { error: `tests red, token ${DEFAULT_USER.apiToken}` }, never);
    }
    world.fake.throttle(1, 0); // Jira answers 429 once: the client waits, the daemon tells
    await board.refresh(never);

    const bodies = await delivered();
    expect(bodies.map((b) => `${b.event} ${b.task}`).sort()).toEqual([
      `done ${done!.ref}`,
      `poisoned ${poisoned!.ref}`,
      'rate-limited null',
    ]);
    expect(bodies.find((b) => b.event === 'done')).toMatchObject({
      owner: 'ws1',
      repository: site,
      issue: null,
      url: `${world.fake.url}/browse/${done!.ref}`,
      text: expect.stringContaining(`${site} ${done!.ref}: done`),
    });
    expect(bodies.find((b) => b.event === 'poisoned')).toMatchObject({
      owner: 'ws1',
      url: `${world.fake.url}/browse/${poisoned!.ref}`,
      text: expect.stringContaining(`${poisoned!.ref}: poisoned`),
      error: null,
    });
    expect(bodies.find((b) => b.event === 'rate-limited')?.text).toContain(
      "waiting on Jira's REST rate limit",
    );
    const everything = receiver.received.map((r) => r.body).join('\n');
    expect(everything).not.toContain(DEFAULT_USER.apiToken);
    expect(everything).not.toContain('tests red');
    expect(everything).not.toContain('SECRETPATH');
  });

  it('a takeover is told `fenced` once, by the taker; the fenced owner, waking up, stays silent', async () => {
    const { world, open, delivered } = await notifyWorld();
    const [task] = await world.seed(1);
    const stalled = await open('ws1');
    const taker = await open('ws2');
    const lost = (await stalled.claimNext(any))!;
    await taker.refresh(never); // an observer judges staleness from what it has itself seen
    await world.elapse(world.longerThanAnyWait); // ws1 beats no more: its claim goes stale
    await taker.refresh(never);
    const taken = (await taker.claimNext({ purpose: 'recovery', signal: never }))!;
    expect(taken.task.id).toBe(task!.id);
    expect(await stalled.release(lost, 'complete', {}, never)).toMatchObject({ ok: false });
    expect(await taker.release(taken, 'complete', {}, never)).toMatchObject({ ok: true });

    const bodies = await delivered();
    expect(bodies.map((b) => `${b.event} ${b.task} ${b.owner}`).sort()).toEqual([
      `done ${task!.ref} ws2`,
      `fenced ${task!.ref} ws1`,
    ]);
    const fenced = bodies.find((b) => b.event === 'fenced')!;
    expect(fenced.text).toContain('taken over by ws2');
    expect(fenced.url).toBe(`${world.fake.url}/browse/${task!.ref}`);
  });

  it('a takeover at the retry limit poisons: the taker tells `poisoned` and `fenced`, the owner waking up nothing', async () => {
    const { world, open, delivered } = await notifyWorld();
    const [task] = await world.seed(1);
    const stalled = await open('ws1');
    const taker = await open('ws2');
    // Its first attempt fails; its second (the last the retry limit allows) goes silent.
    await stalled.release((await stalled.claimNext(any))!, 'failed', { error: 'red' }, never);
    await world.elapse(world.longerThanAnyWait);
    await stalled.refresh(never);
    const lost = (await stalled.claimNext(any))!;
    expect(lost.task.id).toBe(task!.id);
    await taker.refresh(never);
    await world.elapse(world.longerThanAnyWait);
    await taker.refresh(never);
    // The crashed attempt counts as failed: the taker's claim writes the poison record instead.
    expect(await taker.claimNext({ purpose: 'recovery', signal: never })).toBeNull();
    expect(await stalled.release(lost, 'complete', {}, never)).toMatchObject({ ok: false });

    const bodies = await delivered();
    expect(bodies.map((b) => `${b.event} ${b.task} ${b.owner}`).sort()).toEqual([
      `fenced ${task!.ref} ws1`,
      `poisoned ${task!.ref} ws2`,
    ]);
    // Told by the taker, whose poison ended ws1's epoch; ws1's refused release says nothing.
    expect(bodies.find((b) => b.event === 'fenced')!.text).toContain('poisoned by ws2');
  });

  it('a self-fenced attempt is told `fenced` by its owner, whose own release ended the epoch', async () => {
    const { world, open, delivered } = await notifyWorld();
    const [task] = await world.seed(1);
    const board = await open('ws1');
    const c = (await board.claimNext(any))!;
    const error = 'self-fenced: no heartbeat within the renew deadline';
    expect(await board.release(c, 'abandoned', { error }, never)).toMatchObject({ ok: true });

    const bodies = await delivered();
    expect(bodies.map((b) => `${b.event} ${b.task} ${b.owner}`)).toEqual([`fenced ${task!.ref} ws1`]);
    expect(bodies[0]!.text).toContain('result discarded: self-fenced');
  });
});
