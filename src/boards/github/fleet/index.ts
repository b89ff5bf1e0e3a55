/**
 * The fleet as `status` shows it on GitHub: one read of the issues list and the ledger
 * (fleet-read.ts). The ledger part (heartbeat ages across looks, last beats) and the view, whose
 * summary is counted from its own lists, are the ledger core's, shared with the Jira board.
 */
export type { FleetOwner, FleetView, Liveness, RefAge } from '../../ledger/index.js';
export { type FleetReadOptions, readFleet } from './fleet-read.js';
