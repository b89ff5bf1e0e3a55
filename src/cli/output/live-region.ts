import { createLogUpdate } from 'log-update';

/**
 * A block of lines at the bottom of a terminal that is redrawn in place (log-update) — a
 * `status --watch` frame, the `run` footer — with ordinary lines printed above it, where they
 * stay in the scrollback. Only for a terminal: piped output never sees its escape codes.
 */
export interface LiveRegion {
  /** Replaces the block's content (only the lines that changed are rewritten). */
  update(text: string): void;
  /** Writes `text` above the block (it persists, as any line would), then redraws the block. */
  print(text: string): void;
  /**
   * Ends the region and shows the cursor again; `keep` leaves the last content on screen (a
   * watched frame), otherwise it is erased (a footer). Idempotent; later prints go straight out.
   */
  close(options?: { keep?: boolean }): void;
}

export function createLiveRegion(stream: NodeJS.WriteStream): LiveRegion {
  const draw = createLogUpdate(stream);
  let shown = '';
  let closed = false;
  const region: LiveRegion = {
    update(text) {
      if (closed) return;
      shown = text;
      draw(text);
    },
    print(text) {
      if (closed || shown === '') {
        stream.write(text);
        return;
      }
      draw.clear();
      stream.write(text);
      draw(shown);
    },
    close({ keep = false } = {}) {
      if (closed) return;
      closed = true;
      process.off('exit', onExit);
      if (!keep && shown !== '') draw.clear();
      draw.done();
    },
  };
  // A forced exit (a second Ctrl-C, the failsafe) skips every finally: erase the block then, so
  // no half-drawn footer stays behind. Writes to a terminal are synchronous, so this lands.
  const onExit = () => region.close();
  process.once('exit', onExit);
  return region;
}
