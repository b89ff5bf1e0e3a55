/**
 * A reader that went away (`codex-monitor status --json | head -1`, a closed `less`) makes the
 * next write to stdout fail with EPIPE. Node reports that as an unhandled 'error' event — a
 * stack trace and exit 1 for what is the reader's normal way of saying "enough". Every command
 * ends quietly instead: a one-shot command finishes (its writes are dropped from then on),
 * `status --watch` and `--follow` see the error or the destroyed stream and end, `run` keeps
 * running its tasks to the end.
 */

/** True for the error a write to a pipe whose reader has gone away fails with. */
export function isClosedPipe(error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException | null)?.code;
  return code === 'EPIPE' || code === 'ERR_STREAM_DESTROYED';
}

/** Drops `stream`'s output once its reader has gone; any other write error is still thrown. */
export function endQuietlyOnClosedPipe(stream: NodeJS.WriteStream): void {
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (isClosedPipe(error)) {
      stream.destroy();
      return;
    }
    // Anything else (a full disk behind a redirect) is as unexpected as before, unless someone
    // else listens (run ignores every output error once the terminal hung up).
    if (stream.listenerCount('error') === 1) throw error;
  });
}
