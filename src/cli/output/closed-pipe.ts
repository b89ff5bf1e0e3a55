/**
 * `codex-monitor … | head` closes the pipe while the command still writes. Node then emits
 * EPIPE on stdout, and an unhandled 'error' event kills the process with a stack trace. A
 * closed pipe is no error of the command: its writes are dropped from then on, and whatever
 * follows output (`--follow`) sees the stream destroyed and ends.
 */

/** True for the error a write to a pipe whose reader has gone away fails with. */
export function isClosedPipe(error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException | null)?.code;
  return code === 'EPIPE' || code === 'ERR_STREAM_DESTROYED';
}

/** Drops `stream`'s output once its reader has gone; any other write error is still thrown. */
export function endQuietlyOnClosedPipe(stream: NodeJS.WriteStream): void {
  stream.on('error', (error) => {
    if (!isClosedPipe(error)) throw error;
    stream.destroy();
  });
}
