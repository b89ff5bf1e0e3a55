/**
 * A demo workstation: its own clone of the repository and its own state directory, and a
 * `codex-monitor run --until-idle` daemon on it with the scripted agent in a worktree per attempt.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runCli } from '../../tests/support/cli.js';
import { type DaemonProcess, startCli } from '../../tests/support/daemons.js';

/** The stand-in agent: writes `issue-<n>.md` from the issue body (see the file). */
export const SCRIPTED_AGENT = fileURLToPath(new URL('../../examples/scripted-agent.mjs', import.meta.url));

export interface Workstation {
  owner: string;
  dir: string;
  clone: string;
  env: Record<string, string>;
}

/** A command line word, quoted for the shell executor's splitter (paths may hold blanks). */
const quoted = (word: string) => `'${word.replace(/'/g, `'\\''`)}'`;

/** Git for the demo's own steps, with no user or system configuration of the machine. */
export function git(cwd: string, args: string[], home: string): string {
  return execFileSync('git', args, {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, HOME: home, GIT_CONFIG_NOSYSTEM: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  }).trim();
}

/** Clones `remote` into `<dir>/clone` and prepares the settings of a daemon owned by `owner`. */
export function makeWorkstation(
  dir: string,
  owner: string,
  remote: string,
  api: { url: string; token: string; repository: string },
): Workstation {
  const clone = join(dir, 'clone');
  mkdirSync(clone, { recursive: true });
  git(dir, ['clone', '--quiet', remote, clone], dir);
  const env: Record<string, string> = {
    GITHUB_REPOSITORY: api.repository,
    GITHUB_TOKEN: api.token,
    GITHUB_API_URL: api.url,
    CODEX_MONITOR_STATE_DIR: join(dir, 'state'),
    MAX_PARALLEL: '2',
    EXECUTOR: 'shell',
    EXECUTOR_COMMAND: `node ${quoted(SCRIPTED_AGENT)}`,
    EXECUTOR_ALLOWLIST: 'node',
    WORKSPACE: 'worktree',
    CODEX_MONITOR_REPO_DIR: clone,
    COMMIT_AUTHOR: `codex-monitor (${owner}) <bot@example.test>`,
    // A demo against a local fake need not pace its writes or wait long for anything.
    GITHUB_PACE_WRITES: 'false',
    POLL_INTERVAL_MS: '200',
    SHARED_STATE_HEARTBEAT_INTERVAL_MS: '300',
    SHARED_STATE_STALE_THRESHOLD_MS: '3000',
    TASK_CLAIM_OWNER_STALE_TTL_MS: '3000',
    SHARED_STATE_BACKOFF_BASE_MS: '200',
    SHARED_STATE_BACKOFF_MAX_MS: '1000',
    LOG_LEVEL: 'warn',
    // The newcomer's own git configuration (signing, hooks) stays out of the demo's commits.
    HOME: dir,
    GIT_CONFIG_NOSYSTEM: '1',
  };
  return { owner, dir, clone, env };
}

/** Starts `codex-monitor run --until-idle` for a workstation (from source, through tsx). */
export function runDaemon(ws: Workstation): DaemonProcess {
  return startCli(['run', '--owner', ws.owner, '--until-idle'], ws.env);
}

/**
 * What `codex-monitor status` prints on a workstation: on GitHub, the fleet from the ledger
 * (with stderr when it failed).
 */
export async function status(ws: Workstation): Promise<string> {
  const result = await runCli(['status'], { env: ws.env });
  const out = result.stdout.trimEnd();
  return result.code === 0 ? out : `${out}\n${result.stderr}`.trim();
}
