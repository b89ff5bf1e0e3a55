/** The Board contract against the Jira board (see jira-world.ts). */
import { boardContract } from './board-contract.js';
import { jiraWorld } from './jira-world.js';

boardContract({
  name: 'Jira (git ledger, the Jira fake)',
  capabilities: { recoverySlot: true },
  world: jiraWorld,
});
