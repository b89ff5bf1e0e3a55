/**
 * The fleet as `status` shows it: one read of the ledger and the issues list (fleet-read.ts),
 * heartbeat ages on this workstation's clock across looks (fleet-sightings.ts), and the view
 * whose summary is counted from its own lists (fleet-view.ts, pure).
 */
export { type FleetReadOptions, readFleet } from './fleet-read.js';
export type { RefAge } from './fleet-sightings.js';
export type { FleetOwner, FleetView, Liveness } from './fleet-view.js';
