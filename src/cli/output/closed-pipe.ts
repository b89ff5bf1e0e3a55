/**
 * A reader that went away (`codex-monitor status --json | head -1`, a closed `less`) makes the
 * next write to stdout fail with EPIPE. Node reports that as an unhandled 'error' event — a
 * stack trace and exit 1 for what is the reader's normal way of saying "enough". Every command
 * ignores it instead: a one-shot command finishes (its output goes nowhere), `status --watch`
 * ends quietly (it listens for the error itself), `run` keeps running its tasks to the end.
 */
export function ignoreClosedPipe(stream: NodeJS.WriteStream): void {
  stream.on('error', (error: NodeJS.ErrnoException) => {
    // Anything else (a full disk behind a redirect) is as unexpected as before, unless someone
    // else listens (run ignores every output error once the terminal hung up).
    if (!isClosedPipe(error) && stream.listenerCount('error') === 1) throw error;
  });
}

export function isClosedPipe(error: unknown): boolean {
  return (error as NodeJS.ErrnoException | null)?.code === 'EPIPE';
}
