import { bool, int, text, type VariableSpec } from './variable-schemas.js';

/** `codex-monitor serve` and `run --serve`: the dashboard, the JSON API and the steering actions. */
export const SERVE_VARIABLES = [
  {
    name: 'SERVE_HOST',
    schema: text,
    default: '127.0.0.1',
    expected: 'a host name or IP address to listen on, e.g. 127.0.0.1',
    doc: 'Address the dashboard listens on. Anything but a loopback address (127.0.0.1, ::1, localhost) requires SERVE_TOKEN.',
  },
  {
    name: 'SERVE_PORT',
    schema: int(0, 65_535),
    default: '7878',
    expected: 'a port number from 0 to 65535 (0: any free port, printed at start)',
    doc: 'Port the dashboard listens on; 0 picks a free one and prints it.',
  },
  {
    name: 'SERVE_TOKEN',
    schema: text.min(16),
    expected: 'a secret of at least 16 characters',
    doc: 'Required on every request (`Authorization: Bearer <token>`, or `?token=` once in a browser, which sets a cookie). Required when SERVE_HOST is not loopback. Never logged or shown.',
  },
  {
    name: 'SERVE_ALLOW_ACTIONS',
    schema: bool,
    default: 'false',
    expected: 'true or false',
    doc: 'Allow the steering actions (retry, ignore, unignore) from the dashboard: POST with a CSRF token. Read-only otherwise.',
  },
] as const satisfies readonly VariableSpec[];
