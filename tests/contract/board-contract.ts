/**
 * The Board contract: what every board must do for the daemon, whatever it is built on (as
 * BullMQ's adapter-conformance tests hold every queue adapter to one behaviour). Each board's
 * test file calls `boardContract` with a harness that opens real boards (a real SQLite file;
 * the GitHub fake over real HTTP). Where boards legitimately differ the harness says so in
 * `capabilities`, and the suite asserts the other behaviour instead of skipping.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ActiveClaim, Board } from '../../src/daemon/board.js';

export interface ContractTask {
  /** The board's task id (what claims carry). */
  id: string;
  /** How a human names it on the command line (`codex-monitor retry <ref>`). */
  ref: string;
}

export interface BoardCapabilities {
  /**
   * `claimNext({ purpose: 'recovery' })` returns work a stale owner left behind (GitHub's
   * recovery slot). Without it the board returns null for `recovery` and hands lost work out
   * as ordinary work instead.
   */
  recoverySlot: boolean;
}

/** One world (a database, a repository) in which boards for several owners are opened. */
export interface BoardWorld {
  /** A board opened for `ownerId` (another daemon: on GitHub another workstation). */
  open(ownerId: string): Promise<Board>;
  /** Adds `count` fresh tasks, claimable now. */
  seed(count: number): Promise<ContractTask[]>;
  /** Lets time pass for every board of this world (backoffs, stale thresholds). */
  elapse(ms: number): Promise<void>;
  /**
   * Makes `ownerId` look dead or silent to the others (a board without a pid check sees it only
   * once the stale threshold has passed: call `elapse` too).
   */
  silence(ownerId: string): Promise<void>;
  /** Longer than any backoff and any stale threshold this world was configured with. */
  readonly longerThanAnyWait: number;
  /** Failed attempts before a task is poisoned. */
  readonly maxRetries: number;
  close(): Promise<void>;
}

export interface BoardHarness {
  name: string;
  capabilities: BoardCapabilities;
  world(): Promise<BoardWorld>;
}

const never = new AbortController().signal;
const any = { purpose: 'any', signal: never } as const;

export function boardContract(harness: BoardHarness): void {
  describe(`Board contract: ${harness.name}`, () => {
    let world: BoardWorld;
    const opened: Board[] = [];
    const open = async (ownerId: string) => {
      const board = await world.open(ownerId);
      await board.register();
      await board.refresh(never);
      opened.push(board);
      return board;
    };
    /** Refreshes and claims: what one daemon cycle does. */
    const claim = async (board: Board) => {
      await board.refresh(never);
      return board.claimNext(any);
    };
    const release = (board: Board, c: ActiveClaim, outcome: 'complete' | 'failed' | 'abandoned') =>
      board.release(c, outcome, outcome === 'complete' ? {} : { error: outcome }, never);

    beforeEach(async () => {
      world = await harness.world();
    });
    afterEach(async () => {
      for (const board of opened.splice(0)) await board.close();
      await world.close();
    });

    it('gives one task to exactly one of several concurrent claimers', async () => {
      const [task] = await world.seed(1);
      const boards = await Promise.all(['ws1', 'ws2', 'ws3', 'ws4'].map(open));
      const claims = await Promise.all(boards.map((b) => b.claimNext(any)));
      const won = claims.filter((c) => c !== null);
      expect(won).toHaveLength(1);
      expect(won[0]!.task.id).toBe(task!.id);
      expect(won[0]!.ticket.attempt).toBe(1);
    });

    it('claims nothing once the daemon is stopping (aborted signal)', async () => {
      await world.seed(1);
      const board = await open('ws1');
      const stopping = new AbortController();
      stopping.abort();
      expect(await board.claimNext({ purpose: 'any', signal: stopping.signal })).toBeNull();
      expect(await board.claimNext(any)).not.toBeNull();
    });

    it('a release under an aborted signal (a forced stop) records nothing: the claim is still ours', async () => {
      await world.seed(1);
      const board = await open('ws1');
      const c = (await claim(board))!;
      const forced = new AbortController();
      forced.abort(new Error('forced stop'));
      await expect(board.release(c, 'complete', {}, forced.signal)).rejects.toThrow('forced stop');
      expect(await board.heartbeat([c])).toEqual({ lost: [], ignored: [] });
      expect(await release(board, c, 'complete')).toMatchObject({ ok: true, state: 'done' });
    });

    it('reports its own live claim neither lost nor ignored', async () => {
      await world.seed(1);
      const board = await open('ws1');
      const c = (await claim(board))!;
      expect(await board.heartbeat([c])).toEqual({ lost: [], ignored: [] });
    });

    it('complete → done: not claimable again, no work left', async () => {
      await world.seed(1);
      const board = await open('ws1');
      const c = (await claim(board))!;
      const released = await release(board, c, 'complete');
      expect(released).toMatchObject({ ok: true, state: 'done' });
      expect(await claim(board)).toBeNull();
      await world.elapse(world.longerThanAnyWait);
      expect(await claim(board)).toBeNull();
      expect(await board.pending()).toMatchObject({ runnable: 0, held: 0, waiting: 0 });
    });

    it('failed → retried after a backoff, with the attempt counted', async () => {
      const [task] = await world.seed(1);
      const board = await open('ws1');
      const c = (await claim(board))!;
      const released = await release(board, c, 'failed');
      expect(released).toMatchObject({ ok: true, state: 'failed', retryCount: 1 });
      expect(await claim(board)).toBeNull(); // backing off
      expect(await board.pending()).toMatchObject({ runnable: 0, waiting: 1 });
      await world.elapse(world.longerThanAnyWait);
      const again = (await claim(board))!;
      expect(again.task.id).toBe(task!.id);
      expect(again.ticket.attempt).toBe(2);
    });

    it('poisons at the retry limit; steering.retry makes it claimable again', async () => {
      const [task] = await world.seed(1);
      const board = await open('ws1');
      for (let i = 0; i < world.maxRetries; i++) {
        const c = await claim(board);
        expect(c?.task.id).toBe(task!.id);
        await release(board, c!, 'failed');
        await world.elapse(world.longerThanAnyWait);
      }
      expect(await claim(board)).toBeNull(); // poisoned (on GitHub: the claimer writes the poison)
      expect(await claim(board)).toBeNull();
      expect(await board.pending()).toMatchObject({ runnable: 0, held: 0, waiting: 0 });
      // Every board answers the same structured result (printed, or as JSON by the CLI).
      expect(await board.steering.retry(task!.ref)).toMatchObject({
        task: task!.id,
        action: 'retry',
        changed: true,
      });
      const fresh = (await claim(board))!;
      expect(fresh.task.id).toBe(task!.id);
      expect(fresh.ticket.attempt).toBe(1); // a fresh retry budget
    });

    it('abandoned → claimable again at once by anyone, no retry counted', async () => {
      const [task] = await world.seed(1);
      const first = await open('ws1');
      const second = await open('ws2');
      const c = (await claim(first))!;
      expect(await release(first, c, 'abandoned')).toMatchObject({ ok: true, retryCount: 0 });
      const next = (await claim(second))!;
      expect(next.task.id).toBe(task!.id);
      expect(next.ticket.attempt).toBe(1);
    });

    it('fences a stale owner: after a takeover its heartbeat reports the claim lost and its release is refused', async () => {
      const [task] = await world.seed(1);
      const old = await open('ws1');
      const other = await open('ws2');
      const c = (await claim(old))!;
      await other.refresh(never); // an observer judges staleness from what it has itself seen
      await world.silence('ws1');
      await world.elapse(world.longerThanAnyWait);
      await other.refresh(never);
      const purpose = harness.capabilities.recoverySlot ? 'recovery' : 'any';
      const taken = (await other.claimNext({ purpose, signal: never }))!;
      expect(taken.task.id).toBe(task!.id);
      expect(taken.tookOverFrom === null || taken.tookOverFrom === 'ws1').toBe(true);
      await old.refresh(never);
      const report = await old.heartbeat([c]);
      expect(report.lost.map((l) => l.taskId)).toEqual([task!.id]);
      expect(await release(old, c, 'complete')).toMatchObject({ ok: false });
      // The new holder's claim is untouched by the refused release.
      expect(await release(other, taken, 'complete')).toMatchObject({ ok: true, state: 'done' });
    });

    it(
      harness.capabilities.recoverySlot
        ? 'recovery claims only lost work: none while every task is fresh'
        : 'recovery claims nothing: lost work comes back as ordinary work',
      async () => {
        await world.seed(1);
        const board = await open('ws1');
        // Fresh work is never claimed through the recovery slot, whatever the board.
        expect(await board.claimNext({ purpose: 'recovery', signal: never })).toBeNull();
        expect(await board.claimNext(any)).not.toBeNull();
      },
    );

    it('ignore stops a running claim at the next heartbeat; unignore makes the task claimable again', async () => {
      const [task] = await world.seed(1);
      const board = await open('ws1');
      const c = (await claim(board))!;
      expect(await board.steering.ignore(task!.ref, 'not now')).toMatchObject({
        task: task!.id,
        action: 'ignore',
        changed: true,
        reason: 'not now',
      });
      await board.refresh(never);
      const report = await board.heartbeat([c]);
      expect(report.ignored.map((i) => i.taskId)).toEqual([task!.id]);
      expect(report.lost).toEqual([]);
      await release(board, c, 'abandoned');
      expect(await claim(board)).toBeNull(); // ignored: not claimable
      expect(await board.steering.unignore(task!.ref)).toMatchObject({ action: 'unignore', changed: true });
      expect((await claim(board))?.task.id).toBe(task!.id);
    });

    it('pending counts what --until-idle waits for: runnable, held by a live owner, then nothing', async () => {
      const board = await open('ws1');
      expect(await board.pending()).toMatchObject({ runnable: 0, held: 0, waiting: 0 });
      await world.seed(1);
      await board.refresh(never);
      expect(await board.pending()).toMatchObject({ runnable: 1, held: 0 });
      const other = await open('ws2');
      const c = (await claim(other))!;
      await board.refresh(never);
      expect(await board.pending()).toMatchObject({ runnable: 0, held: 1 });
      await release(other, c, 'complete');
      await board.refresh(never);
      expect(await board.pending()).toMatchObject({ runnable: 0, held: 0, waiting: 0 });
    });

    it('refuses a retry of a task held by a live owner, naming it', async () => {
      const [task] = await world.seed(1);
      const board = await open('ws1');
      await claim(board);
      await expect(board.steering.retry(task!.ref)).rejects.toMatchObject({ code: 'INPUT_INVALID' });
    });
  });
}
