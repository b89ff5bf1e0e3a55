/** The Board contract against the GitHub board (see github-world.ts). */
import { boardContract } from './board-contract.js';
import { githubWorld } from './github-world.js';

boardContract({
  name: 'GitHub (ref ledger on the fake)',
  capabilities: { recoverySlot: true },
  world: githubWorld,
});
