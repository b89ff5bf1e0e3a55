/**
 * Hand claims on the Jira board: a person's claim is a claim record on the issue's chain in the
 * git ledger (same CAS, epochs and fencing as a daemon's). Against the Jira fake over real HTTP
 * and a git ledger in a bare repository; each board its own workstation (state, ledger cache).
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { ClaimLostError, ClaimRefusedError } from '../../src/core/errors.js';
import { any, never, until, useJiraBoards } from './jira-boards.js';

const HOUR = 3_600_000;

describe('hand claims on the Jira board', () => {
  const jira = useJiraBoards();
  const open = jira.open;
  let world: ReturnType<typeof jira.world>;
  beforeEach(() => {
    world = jira.world();
  });

  it('two people claiming one issue at once: one wins, the comment shows it held by hand, and no daemon runs it', async () => {
    const [task] = await world.seed(1);
    const daemon = await open('ws1/codex');
    const alice = (await open('ws3/alice')).handsFor({ id: 'ws3/alice', host: 'ws3' });
    const bob = (await open('ws4/bob')).handsFor({ id: 'ws4/bob', host: 'ws4' });
    const results = await Promise.allSettled([alice.claim(task!.ref, HOUR), bob.claim(task!.ref, HOUR)]);
    const won = results.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []));
    const lost = results.flatMap((r) => (r.status === 'rejected' ? [r.reason] : []));
    expect(won).toHaveLength(1);
    expect(lost).toHaveLength(1);
    const winner = won[0]!.claim!.owner;
    expect(lost[0]).toBeInstanceOf(ClaimRefusedError);
    expect(lost[0]).toMatchObject({ code: 'CLAIM_REFUSED' });
    // The holder when the loser read the chain after the winner's commit; unknown when it lost the CAS race itself.
    expect([winner, null]).toContain((lost[0] as ClaimRefusedError).holder);
    expect(won[0]).toMatchObject({ task: task!.id, held: true });
    const until_ = new Date(won[0]!.claim!.leaseUntil!).toISOString().slice(11, 16);
    const comments = () => JSON.stringify(world.fake.issue(task!.ref).comments);
    await until(() => comments().includes(`held by ${winner}, by hand, until ${until_} UTC`));
    // The daemon sees the chain held: it neither claims the issue nor counts it runnable.
    await daemon.refresh(never);
    expect(await daemon.claimNext(any)).toBeNull();
    expect(await daemon.pending()).toMatchObject({ runnable: 0, held: 1 });
    const hands = winner === 'ws3/alice' ? alice : bob;
    expect((await hands.mine()).map((c) => c.task)).toEqual([task!.id]);
    expect(await hands.renew(task!.ref)).toMatchObject({ action: 'renew', held: true });
    expect(await hands.release(task!.ref, 'complete')).toMatchObject({ state: 'done' });
    await until(() => world.fake.issue(task!.ref).status === 'Done');
    await daemon.refresh(never);
    expect(await daemon.claimNext(any)).toBeNull(); // done in the ledger
    expect(await hands.mine()).toEqual([]);
  });

  it('a lapsed hand claim is taken over by a daemon, and fences the person’s renew; next names and claims the best issue', async () => {
    const [first, second] = await world.seed(2);
    const daemon = await open('ws1/codex');
    const alice = (await open('ws3/alice')).handsFor({ id: 'ws3/alice', host: 'ws3' });
    expect(await alice.next(null)).toMatchObject({ action: 'next', task: first!.id, held: false });
    expect(await alice.next(null, 60_000)).toMatchObject({ action: 'next', task: first!.id, held: true });
    await expect(alice.claim('not a key', 60_000)).rejects.toMatchObject({ code: 'INPUT_INVALID' });
    await expect(alice.claim('OPS-999', 60_000)).rejects.toMatchObject({ code: 'INPUT_INVALID' });
    await daemon.refresh(never); // a lease runs on each observer's clock from when it saw the claim
    expect((await daemon.pending()).held).toBe(1);
    await world.elapse(60_000 + world.longerThanAnyWait); // the lease lapses, nobody renewed it
    await daemon.refresh(never);
    const ids: string[] = [];
    for (let c = await daemon.claimNext(any); c; c = await daemon.claimNext(any)) ids.push(c.task.id);
    expect(ids.sort()).toEqual([first!.id, second!.id]);
    await expect(alice.renew(first!.ref)).rejects.toBeInstanceOf(ClaimLostError);
  });
});
