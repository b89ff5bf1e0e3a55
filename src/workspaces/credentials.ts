/**
 * How a token reaches git without a command line, a URL or a file an agent can read: git asks
 * an askpass program for the user name and the password, and ours prints the token from an
 * environment variable that only git (and its credential prompts) receives. The program file
 * holds no secret; it lives in the daemon's state directory, never in a worktree.
 *
 * Without a token nothing changes: the user's own credential helpers and ssh keys are used.
 */
import { chmodSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** The variable the askpass program reads the token from. */
export const GIT_TOKEN_VAR = 'CODEX_MONITOR_GIT_TOKEN';
/** The user name GitHub expects with an installation or personal access token. */
export const GIT_TOKEN_USER = 'x-access-token';

const ASKPASS_NAME = 'git-askpass.sh';

/** git calls the program with the prompt ("Username for 'https://…': ") as its only argument. */
const ASKPASS_PROGRAM = `#!/bin/sh
# Written by codex-monitor: answers git's credential prompts from the environment.
# It holds no secret: the token is in $${GIT_TOKEN_VAR}, set only for git itself.
case "$1" in
  Username*) printf '%s\\n' '${GIT_TOKEN_USER}' ;;
  *) printf '%s\\n' "$${GIT_TOKEN_VAR}" ;;
esac
`;

/**
 * Writes the askpass program under `dir` (the daemon's state directory) unless it is already
 * there as written, and returns its path. The directory is created 0700, the program 0700.
 */
export function ensureAskpass(dir: string): string {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const path = join(dir, ASKPASS_NAME);
  let current: string | null = null;
  try {
    current = readFileSync(path, 'utf8');
  } catch {
    // absent: written below
  }
  if (current !== ASKPASS_PROGRAM) {
    // Written aside and renamed: a daemon starting beside another never runs half a file.
    const temp = `${path}.${process.pid}.tmp`;
    writeFileSync(temp, ASKPASS_PROGRAM, { mode: 0o700 });
    renameSync(temp, path);
  }
  chmodSync(path, 0o700);
  return path;
}

/**
 * Credentials for one git call that reaches the remote, asked afresh for every such call: a
 * GitHub App's installation token lives an hour, so an environment captured at start-up would
 * go stale under a long-running daemon. Resolves to the variables for that call (empty: the
 * user's own credential helpers and ssh keys). The git-protocol ledger takes the same type.
 */
export type GitCredentials = () => Promise<Readonly<Record<string, string>>>;

/** The user's own git credentials: nothing is added to git's environment. */
export const userGitCredentials: GitCredentials = async () => ({});

/**
 * A token through the askpass program, `token()` asked before every git call: a fixed token
 * (GITHUB_TOKEN) or an app's installation token (cached and refreshed by its auth).
 */
export function tokenGitCredentials(token: () => Promise<string>, askpassPath: string): GitCredentials {
  return async () => gitAuthEnv(await token(), askpassPath);
}

/**
 * The environment for git calls that talk to the remote. With a token: the askpass program,
 * the token in its variable, and the credential helpers switched off for this call (a helper
 * would otherwise answer first with whatever it stored). Without: nothing, so the user's own
 * credentials work unchanged.
 */
export function gitAuthEnv(token: string | null, askpassPath: string): Record<string, string> {
  if (token === null) return {};
  return {
    GIT_ASKPASS: askpassPath,
    [GIT_TOKEN_VAR]: token,
    // Like `-c credential.helper=` (an empty value clears the list), but not in argv.
    GIT_CONFIG_COUNT: '1',
    GIT_CONFIG_KEY_0: 'credential.helper',
    GIT_CONFIG_VALUE_0: '',
  };
}
