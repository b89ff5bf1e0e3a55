import { int, text, type VariableSpec } from './variable-schemas.js';

/**
 * A GitHub App instead of GITHUB_TOKEN: the installation's own rate budget and a bot identity.
 * The three settings go together (github-app-config.ts checks them); the key is a secret.
 */
export const GITHUB_APP_VARIABLES = [
  {
    name: 'GITHUB_APP_ID',
    board: 'github',
    schema: int(1),
    expected: 'the GitHub App’s numeric id (its settings page, "App ID")',
    doc: 'Run as this GitHub App instead of GITHUB_TOKEN: its installation has a rate budget of its own (5,000–12,500 requests an hour) and writes as <slug>[bot]. Needs GITHUB_APP_PRIVATE_KEY (or _FILE) and GITHUB_APP_INSTALLATION_ID; see the README’s “As a GitHub App”.',
  },
  {
    name: 'GITHUB_APP_PRIVATE_KEY',
    board: 'github',
    // Any text: it is checked as a PEM key in github-app-config.ts, so no message repeats it.
    schema: text,
    expected: 'the app’s private key in PEM form',
    doc: 'The GitHub App’s private key (PEM; literal \\n sequences are read as newlines). A secret: never logged, never given to an agent. Or use GITHUB_APP_PRIVATE_KEY_FILE.',
  },
  {
    name: 'GITHUB_APP_PRIVATE_KEY_FILE',
    board: 'github',
    schema: text,
    expected: 'a path to the app’s .pem private key',
    doc: 'A file holding the GitHub App’s private key (the .pem GitHub downloads), relative to the working directory. Keep it outside the repository and readable only by you.',
  },
  {
    name: 'GITHUB_APP_INSTALLATION_ID',
    board: 'github',
    schema: int(1),
    expected: 'the numeric id of the app’s installation (the number ending its settings URL)',
    doc: 'The installation of the GitHub App on the repository’s owner whose token the daemon uses.',
  },
] as const satisfies readonly VariableSpec[];
