/**
 * The GitHub App settings as one validated value, or the problems that stop it: the three go
 * together, a key is given once (text or file), and it must be a private key GitHub can use.
 * Messages name the variables, never the key.
 */
import { createPrivateKey } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { GITHUB_APP_VARIABLES } from './github-app-variables.js';
import type { VariableName } from './variables.js';

/** A GitHub App installation the daemon authenticates as (instead of GITHUB_TOKEN). */
export interface GitHubAppConfig {
  appId: string;
  /** PEM text. A secret: redacted in logs (core/redact.ts), never passed to an agent. */
  privateKey: string;
  installationId: number;
}

const SETTINGS =
  'GITHUB_APP_ID, GITHUB_APP_PRIVATE_KEY (or GITHUB_APP_PRIVATE_KEY_FILE) and GITHUB_APP_INSTALLATION_ID';

/**
 * The app configuration from the parsed variables, or undefined when none of them is set.
 * Problems are appended to `problems` (reported with every other at once).
 */
export function githubAppConfig(
  get: <T>(name: VariableName) => T,
  problems: string[],
  options: { cwd: string; given: (name: VariableName) => boolean },
): GitHubAppConfig | undefined {
  const appId = get<number | undefined>('GITHUB_APP_ID');
  const installationId = get<number | undefined>('GITHUB_APP_INSTALLATION_ID');
  const keyText = get<string | undefined>('GITHUB_APP_PRIVATE_KEY');
  const keyFile = get<string | undefined>('GITHUB_APP_PRIVATE_KEY_FILE');
  const set = GITHUB_APP_VARIABLES.map((v) => v.name).filter((name) => options.given(name));
  if (set.length === 0) return undefined;

  const before = problems.length;
  if (keyText !== undefined && keyFile !== undefined) {
    problems.push(
      'GITHUB_APP_PRIVATE_KEY and GITHUB_APP_PRIVATE_KEY_FILE are both set: give the key once (remove one of them)',
    );
  }
  const missing = [
    ...(options.given('GITHUB_APP_ID') ? [] : ['GITHUB_APP_ID']),
    ...(options.given('GITHUB_APP_PRIVATE_KEY') || options.given('GITHUB_APP_PRIVATE_KEY_FILE')
      ? []
      : ['GITHUB_APP_PRIVATE_KEY (or GITHUB_APP_PRIVATE_KEY_FILE)']),
    ...(options.given('GITHUB_APP_INSTALLATION_ID') ? [] : ['GITHUB_APP_INSTALLATION_ID']),
  ];
  if (missing.length > 0) {
    problems.push(
      `${set.join(', ')} ${set.length === 1 ? 'is' : 'are'} set but ${missing.join(' and ')} ${missing.length === 1 ? 'is' : 'are'} not: ` +
        `a GitHub App needs all of ${SETTINGS}; set the missing one${missing.length === 1 ? '' : 's'}, or remove the GITHUB_APP_* settings to use GITHUB_TOKEN`,
    );
  }
  const privateKey =
    keyText !== undefined
      ? fromEnvText(keyText)
      : keyFile !== undefined
        ? readKey(keyFile, options.cwd, problems)
        : undefined;
  if (privateKey !== undefined)
    checkKey(
      privateKey,
      keyText !== undefined ? 'GITHUB_APP_PRIVATE_KEY' : `GITHUB_APP_PRIVATE_KEY_FILE (${keyFile})`,
      problems,
    );
  if (
    problems.length > before ||
    appId === undefined ||
    installationId === undefined ||
    privateKey === undefined
  ) {
    return undefined;
  }
  return { appId: String(appId), privateKey, installationId };
}

/** A key pasted on one line (a .env file, a CI secret) has its newlines as literal `\n`. */
function fromEnvText(text: string): string {
  return text.replace(/\\n/g, '\n').trim();
}

function readKey(file: string, cwd: string, problems: string[]): string | undefined {
  const path = resolve(cwd, file);
  try {
    return readFileSync(path, 'utf8').trim();
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'unreadable';
    problems.push(
      `GITHUB_APP_PRIVATE_KEY_FILE=${JSON.stringify(file)} cannot be read (${code} at ${path}): point it at the app's .pem private key`,
    );
    return undefined;
  }
}

/** GitHub signs app JWTs with RS256: the key must be an RSA private key. */
function checkKey(pem: string, source: string, problems: string[]): void {
  let type: string | undefined;
  try {
    type = createPrivateKey(pem).asymmetricKeyType;
  } catch {
    problems.push(
      `${source} is not a PEM private key: use the key the app's settings page generated ` +
        '(-----BEGIN RSA PRIVATE KEY----- … -----END RSA PRIVATE KEY-----; on one line, write its newlines as \\n)',
    );
    return;
  }
  if (type !== 'rsa') {
    problems.push(
      `${source} is a ${type} key: a GitHub App's private key is RSA (generate one in the app's settings)`,
    );
  }
}

/**
 * How the daemon authenticates, across variables: a token or an app (never both); a
 * repository needs one of them, and so does pushing with a token.
 */
export function authProblems(
  problems: string[],
  v: {
    token: string | undefined;
    app: boolean;
    repository: string | undefined;
    pushWithToken: boolean | undefined;
  },
): void {
  if (v.token !== undefined && v.app) {
    problems.push(
      'GITHUB_TOKEN and a GitHub App (GITHUB_APP_*) are both set: the daemon authenticates one way. ' +
        'Remove GITHUB_TOKEN to run as the app, or the GITHUB_APP_* settings to run with the token',
    );
  }
  if (v.pushWithToken === true && v.token === undefined && !v.app) {
    problems.push(
      'GIT_PUSH_WITH_TOKEN=true needs GITHUB_TOKEN or a GitHub App (the token git is given), or set it to false',
    );
  }
  if (v.repository !== undefined && v.token === undefined && !v.app) {
    problems.push(
      'GITHUB_REPOSITORY is set but GITHUB_TOKEN is not: the GitHub board needs a token (set GITHUB_TOKEN, ' +
        'or log in with `gh auth login` and it is taken from `gh auth token`), or a GitHub App ' +
        '(GITHUB_APP_ID, GITHUB_APP_PRIVATE_KEY or GITHUB_APP_PRIVATE_KEY_FILE, GITHUB_APP_INSTALLATION_ID)',
    );
  }
}
