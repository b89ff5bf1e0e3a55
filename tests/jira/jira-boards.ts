/**
 * A fresh Jira world per test (the fake, a git ledger, a clock) and the boards opened on it,
 * registered and closed after the test: the set-up of the Jira board's own test files.
 */
import { afterEach, beforeEach, expect } from 'vitest';
import type { Board } from '../../src/daemon/board.js';
import { jiraWorld } from '../contract/jira-world.js';

export const never = new AbortController().signal;
export const any = { purpose: 'any', signal: never } as const;

/** Waits for a condition the board brings about in the background (bounded: a failure, not a hang). */
export async function until(condition: () => boolean): Promise<void> {
  for (let i = 0; i < 400 && !condition(); i++) await new Promise((r) => setTimeout(r, 25));
  expect(condition()).toBe(true);
}

/** Call inside a describe: `world()` is this test's world; `open` a registered (and refreshed) board. */
export function useJiraBoards() {
  let world: Awaited<ReturnType<typeof jiraWorld>> | undefined;
  const boards: Board[] = [];
  beforeEach(async () => {
    world = await jiraWorld();
  });
  afterEach(async () => {
    for (const b of boards.splice(0)) await b.close();
    await world?.close();
  });
  const current = () => world!;
  return {
    world: current,
    /** A board for `owner` (its own workstation, or the one at `stateDir`: a restart). */
    async open(owner: string, refresh = true, stateDir?: string): Promise<Board> {
      const board = await current().open(owner, stateDir);
      boards.push(board);
      await board.register();
      if (refresh) await board.refresh(never);
      return board;
    },
  };
}
