/**
 * GITHUB_TOKEN from the GitHub CLI: a user already logged in with `gh auth login` needs no
 * token in .env. The token is read from gh's stdout and handed to the configuration only:
 * never logged, never on a command line, never in the environment agents inherit.
 */
import { execFileSync } from 'node:child_process';

/** How long `gh auth token` may take: it reads a file or the keyring, nothing remote. */
const GH_TIMEOUT_MS = 5_000;

export type RunGh = (argv: readonly string[]) => string;

const runGh: RunGh = (argv) =>
  execFileSync('gh', argv, {
    encoding: 'utf8',
    timeout: GH_TIMEOUT_MS,
    // stderr too: gh's "not logged in" would otherwise reach the user's terminal mid-command.
    stdio: ['ignore', 'pipe', 'ignore'],
    windowsHide: true,
  });

/**
 * The token `gh auth token` prints for the host of `apiUrl` (github.com unless GITHUB_API_URL
 * names an Enterprise server), or undefined: gh absent, not logged in, slow, or failing.
 */
export function ghAuthToken(apiUrl: string | undefined, run: RunGh = runGh): string | undefined {
  const argv = ['auth', 'token'];
  const host = enterpriseHost(apiUrl);
  if (host !== undefined) argv.push('--hostname', host);
  try {
    const token = run(argv).trim();
    // One line of token characters; anything else (a banner, a prompt) is not a token.
    return /^[\w.-]+$/.test(token) ? token : undefined;
  } catch {
    return undefined;
  }
}

/** GHES: https://ghe.example.com/api/v3 → ghe.example.com; github.com (or unset) → undefined. */
function enterpriseHost(apiUrl: string | undefined): string | undefined {
  if (apiUrl === undefined || apiUrl.trim() === '') return undefined;
  try {
    const { hostname } = new URL(apiUrl);
    return hostname === 'api.github.com' ? undefined : hostname;
  } catch {
    return undefined;
  }
}
