/**
 * The fleet's delivery mode: each daemon a workstation with its own clone of the fake's bare
 * repository, a worktree per attempt, and an agent that edits files, so every completed issue
 * ends in a pushed branch and a pull request (see delivery-check.ts for how that is judged).
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const AGENT = fileURLToPath(new URL('./delivering-agent.mjs', import.meta.url));

/** Where the fake keeps its bare repositories in a fleet run's directory. */
export const gitRootOf = (workDir: string) => join(workDir, 'github');

/**
 * Clones `remote` for daemon `index` (under `<workDir>/workstations/`, away from the daemon
 * logs) and returns the settings that make it deliver: they replace the marker executor.
 */
export function deliveryEnv(
  workDir: string,
  index: number,
  remote: string,
  markers: string,
  taskMs: [number, number],
): Record<string, string> {
  const home = join(workDir, 'workstations', `ws${index + 1}`);
  const clone = join(home, 'clone');
  mkdirSync(home, { recursive: true });
  execFileSync('git', ['clone', '--quiet', remote, clone], {
    env: { ...process.env, HOME: home, GIT_CONFIG_NOSYSTEM: '1' },
    stdio: 'ignore',
  });
  return {
    EXECUTOR_COMMAND: `node ${AGENT} ${markers} ${taskMs[0]}-${taskMs[1]}`,
    WORKSPACE: 'worktree',
    CODEX_MONITOR_REPO_DIR: clone,
    COMMIT_AUTHOR: `codex-monitor (ws${index + 1}) <bot@example.test>`,
    // The machine's own git configuration (signing, hooks) stays out of the fleet's commits.
    HOME: home,
    GIT_CONFIG_NOSYSTEM: '1',
  };
}
