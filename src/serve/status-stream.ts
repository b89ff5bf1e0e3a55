/**
 * One poll of the event log shared by every SSE client: while at least one listens, the newest
 * event id is read every `pollMs`; when it grows the status frame is rendered once and sent to
 * all. Nobody listening: no timer, no work.
 */
export interface StatusStreamOptions {
  /** A cursor that changes whenever the status may have (the event log's newest id, …). */
  cursor: () => string;
  /** The frame's JSON, rendered once per change for all listeners. */
  frame: () => Promise<unknown>;
  pollMs: number;
  /** Reports a failed render (the stream keeps going; the next change tries again). */
  onError?: (error: unknown) => void;
}

export type StatusListener = (frameJson: string) => void;

export class StatusStream {
  private readonly listeners = new Set<StatusListener>();
  private timer: NodeJS.Timeout | null = null;
  private cursor = '';
  private busy = false;

  constructor(private readonly options: StatusStreamOptions) {}

  get watchers(): number {
    return this.listeners.size;
  }

  /** Adds a listener; returns its unsubscribe. The first one starts the poll. */
  subscribe(listener: StatusListener): () => void {
    this.listeners.add(listener);
    if (!this.timer) {
      this.cursor = this.options.cursor();
      this.timer = setInterval(() => void this.poll(), this.options.pollMs);
    }
    return () => {
      this.listeners.delete(listener);
      if (this.listeners.size === 0) this.stop();
    };
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  private async poll(): Promise<void> {
    // A slow render (GitHub) must not pile up polls behind it.
    if (this.busy) return;
    this.busy = true;
    try {
      const last = this.options.cursor();
      if (last === this.cursor) return;
      this.cursor = last;
      const json = JSON.stringify(await this.options.frame());
      for (const listener of this.listeners) listener(json);
    } catch (error) {
      this.options.onError?.(error);
    } finally {
      this.busy = false;
    }
  }
}
