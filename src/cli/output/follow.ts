/**
 * What every `--follow` shares (events, logs): it runs until the user presses Ctrl-C or the
 * reader of a pipe goes away (`| head`), and ends quietly on either — exit 0, no stack trace.
 */
import type { Clock } from '../../core/clock.js';
import { isClosedPipe } from './closed-pipe.js';

/** Milliseconds between two looks at what was appended (the event log, a log file). */
export const FOLLOW_POLL_MS = 500;

export interface FollowSession extends Disposable {
  /** Aborted on SIGINT or once stdout is a closed pipe. */
  readonly signal: AbortSignal;
  /** Waits `ms` (default FOLLOW_POLL_MS); false once the session ended instead. */
  pause(ms?: number): Promise<boolean>;
  /** Writes to stdout unless the pipe closed; false once the session ended. */
  write(text: string): boolean;
}

/** Starts following; dispose it to remove its SIGINT and stdout handlers. */
export function follow(clock: Clock, out: NodeJS.WriteStream = process.stdout): FollowSession {
  const controller = new AbortController();
  const stop = () => controller.abort(new Error('follow ended'));
  const onError = (error: NodeJS.ErrnoException) => {
    // A closed pipe ends the session; any other write error is real and must surface.
    if (isClosedPipe(error)) stop();
    else throw error;
  };
  process.on('SIGINT', stop);
  out.on('error', onError);
  return {
    signal: controller.signal,
    async pause(ms = FOLLOW_POLL_MS) {
      if (controller.signal.aborted) return false;
      try {
        await clock.sleep(ms, controller.signal);
        return true;
      } catch {
        return false; // aborted: the only way the sleep rejects
      }
    },
    write(text: string) {
      if (controller.signal.aborted || out.destroyed) return false;
      out.write(text);
      return true;
    },
    [Symbol.dispose]() {
      process.off('SIGINT', stop);
      out.off('error', onError); // main's endQuietlyOnClosedPipe still drops a late EPIPE
    },
  };
}
