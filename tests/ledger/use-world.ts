import { afterAll, beforeAll } from 'vitest';
import { type LedgerWorld, openWorld } from './ledger-worlds.js';

/** Opens the world `name` before the suite's tests and closes it after them. */
export function useWorld(name: LedgerWorld['name']): () => LedgerWorld {
  let world: LedgerWorld | undefined;
  beforeAll(async () => {
    world = await openWorld(name);
  });
  afterAll(async () => {
    await world?.close();
  });
  return () => {
    if (!world) throw new Error(`the ${name} world is not open`);
    return world;
  };
}
