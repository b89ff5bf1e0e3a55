import { Writable } from 'node:stream';
import { pino } from 'pino';
import pretty from 'pino-pretty';
import { redactUrl } from './redact.js';

export type Logger = pino.Logger;

/** How much to log; the configuration maps LOG_LEVEL to one of these. */
export type LogLevel = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';

/** Paths that may carry secrets, wherever they appear in a log record. */
const REDACT = [
  'token',
  '*.token',
  'config.github.token',
  // Jira's credentials (config.jira).
  'apiToken',
  '*.apiToken',
  'bearerToken',
  '*.bearerToken',
  // A GitHub App's private key (PEM strings are also redacted wherever they appear).
  'privateKey',
  '*.privateKey',
  'config.github.app.privateKey',
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
export function createLogger(
  level: LogLevel,
  options: { pretty?: boolean; write?: (text: string) => void } = {},
): Logger {
  const usePretty = options.pretty ?? process.stderr.isTTY === true;
  // `write`: where the lines go instead of stderr (run's live footer prints them above itself).
  const sink = options.write ? lineSink(options.write) : undefined;
  const base: pino.LoggerOptions = {
    level,
    redact: { paths: REDACT, censor: '[redacted]' },
    // Credentials inside URLs (in messages, errors, any field) are not found by path.
    serializers: { err: redactError },
    formatters: { log: (record) => redactStrings(record) as Record<string, unknown> },
    hooks: {
      logMethod(args, method) {
        method.apply(
          this,
          args.map((a) => (typeof a === 'string' ? redactUrl(a) : a)) as Parameters<typeof method>,
        );
      },
    },
  };
  if (usePretty) {
    return pino(
      base,
      pretty({ destination: sink ?? 2, sync: true, ignore: 'pid,hostname', translateTime: 'HH:MM:ss.l' }),
    );
  }
  return pino(base, sink ?? pino.destination({ dest: 2, sync: true }));
}

function lineSink(write: (text: string) => void): Writable {
  return new Writable({
    write(chunk: Buffer | string, _encoding, done) {
      write(chunk.toString());
      done();
    },
  });
}

/** pino's error serializer, with every string it keeps (message, stack, causes) redacted. */
function redactError(err: Error): unknown {
  const out = pino.stdSerializers.err(err) as unknown as Record<string, unknown>;
  for (const key of Object.keys(out)) out[key] = redactStrings(out[key]);
  return out;
}

/** A copy of `value` with every string in it passed through redactUrl. */
function redactStrings(value: unknown, depth = 0): unknown {
  if (typeof value === 'string') return redactUrl(value);
  if (value === null || typeof value !== 'object' || depth > 8) return value;
  if (Array.isArray(value)) return value.map((v) => redactStrings(v, depth + 1));
  // Errors go through the err serializer (below); other class instances are left as they are.
  const proto = Object.getPrototypeOf(value);
  if (proto !== Object.prototype && proto !== null) return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) out[k] = redactStrings(v, depth + 1);
  return out;
}

/** A logger that drops everything, for tests and library use. */
export function silentLogger(): Logger {
  return pino({ level: 'silent' });
}
