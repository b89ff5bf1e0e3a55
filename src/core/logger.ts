import { pino } from 'pino';
import pretty from 'pino-pretty';
import type { LogLevel } from '../config/config.js';

export type Logger = pino.Logger;

/** Paths that may carry secrets, wherever they appear in a log record. */
const REDACT = [
  'token',
  '*.token',
  'config.github.token',
  'authorization',
  '*.authorization',
  'headers.authorization',
  '*.headers.authorization',
  'request.headers.authorization',
];

/**
 * Structured logs to stderr (stdout stays for command output): JSON for machines,
 * pretty on a terminal. Secrets are redacted.
 */
export function createLogger(level: LogLevel, options: { pretty?: boolean } = {}): Logger {
  const usePretty = options.pretty ?? process.stderr.isTTY === true;
  const base = { level, redact: { paths: REDACT, censor: '[redacted]' } };
  if (usePretty) {
    return pino(
      base,
      pretty({ destination: 2, sync: true, ignore: 'pid,hostname', translateTime: 'HH:MM:ss.l' }),
    );
  }
  return pino(base, pino.destination({ dest: 2, sync: true }));
}

/** A logger that drops everything, for tests and library use. */
export function silentLogger(): Logger {
  return pino({ level: 'silent' });
}
