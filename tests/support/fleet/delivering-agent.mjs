// The fleet bench's agent in delivery mode: the marker task (start and end records around a
// sleep, for the overlap analysis: see ../../fixtures/marker.mjs), then the scripted agent
// (examples/scripted-agent.mjs: writes issue-<n>.md in the worktree and a summary).
// argv: <markers file> [sleepMs | minMs-maxMs]. Both run as children in this process's group,
// which the daemon stops as a whole; a marker stopped or killed ends the attempt unedited.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const MARKER = fileURLToPath(new URL('../../fixtures/marker.mjs', import.meta.url));
const AGENT = fileURLToPath(new URL('../../../examples/scripted-agent.mjs', import.meta.url));

const marker = spawnSync(process.execPath, [MARKER, ...process.argv.slice(2)], { stdio: 'inherit' });
if (marker.status !== 0) process.exit(marker.status ?? 1);
const agent = spawnSync(process.execPath, [AGENT], { stdio: 'inherit' });
process.exit(agent.status ?? 1);
