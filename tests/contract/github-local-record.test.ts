/**
 * On GitHub the ledger decides retries and poison; each workstation's local store records that
 * decision. A store that applied its own policy counted only the failures it had seen itself.
 */
import { afterEach, expect, it } from 'vitest';
import type { Board } from '../../src/daemon/board.js';
import { githubWorld } from './github-world.js';

const never = new AbortController().signal;
const worlds: Awaited<ReturnType<typeof githubWorld>>[] = [];
const boards: Board[] = [];
afterEach(async () => {
  for (const b of boards.splice(0)) await b.close();
  for (const w of worlds.splice(0)) await w.close();
});

/** A registered, refreshed board of `world` for owner `id`, closed after the test. */
async function openBoard(world: Awaited<ReturnType<typeof githubWorld>>, id: string): Promise<Board> {
  const board = await world.open(id);
  boards.push(board);
  await board.register();
  await board.refresh(never);
  return board;
}

/**
 * One task that failed once on ws-a, seen by ws-b (whose backoff runs on its own clock from
 * when it saw the failure) until the backoff is over: ws-b may claim it next.
 */
async function failedOnceElsewhere() {
  const world = await githubWorld();
  worlds.push(world);
  const [task] = await world.seed(1);
  const a = await openBoard(world, 'ws-a/codex');
  const b = await openBoard(world, 'ws-b/codex');
  const first = await a.claimNext({ purpose: 'any', signal: never });
  expect(first?.task.id).toBe(task!.id);
  await a.release(first!, 'failed', { error: 'red' }, never);
  await b.refresh(never);
  await world.elapse(world.longerThanAnyWait);
  await b.refresh(never);
  return { world, task: task!, b, first: first! };
}

it('a workstation records the ledger’s verdict: poisoned after failures on two machines', async () => {
  const { world, task, b } = await failedOnceElsewhere();
  const second = await b.claimNext({ purpose: 'any', signal: never });
  expect(second?.task.id).toBe(task.id);
  const released = await b.release(second!, 'failed', { error: 'red again' }, never);
  expect(released).toMatchObject({ ok: true, state: 'poisoned', retryCount: world.maxRetries });
  // ws-b saw one failure itself; the ledger counted two: its local row says what the ledger said.
  expect(world.storeOf('ws-b/codex').get(task.id)).toMatchObject({
    state: 'poisoned',
    retryCount: world.maxRetries,
  });
});

it('a claim is one claim: the local row records the ledger’s epoch and attempt, and says so in the log', async () => {
  const { world, task, b, first } = await failedOnceElsewhere();
  // b never claimed the task before: its local gate claim is its epoch 1, the ledger's is 3.
  const second = await b.claimNext({ purpose: 'any', signal: never });
  expect(second?.ticket).toMatchObject({ epoch: first!.ticket.epoch + 2, attempt: 2 }); // claim, release, claim
  const store = world.storeOf('ws-b/codex');
  expect(store.get(task.id)).toMatchObject({ state: 'claimed', epoch: second!.ticket.epoch, retryCount: 1 });
  const granted = store.events.query({ types: ['granted'] }).at(-1);
  expect(granted).toMatchObject({ epoch: second!.ticket.epoch, data: { gateEpoch: 1, attempt: 2 } });
  // Every later write quotes that one epoch: the local release is recorded, not fenced.
  expect(await b.release(second!, 'complete', {}, never)).toMatchObject({ ok: true, state: 'done' });
  expect(store.get(task.id)).toMatchObject({ state: 'done', epoch: second!.ticket.epoch });
});
