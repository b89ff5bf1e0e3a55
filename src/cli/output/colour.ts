import picocolors from 'picocolors';

type Paint = (text: string) => string;

/** The semantic colours every command uses, so "done" looks the same in `run`, `status` and `doctor`. */
export interface Colours {
  readonly enabled: boolean;
  ok: Paint;
  warn: Paint;
  fail: Paint;
  dim: Paint;
  heading: Paint;
  /** `text` (the state itself by default) in its state's colour; unknown states stay plain. */
  state(state: string, text?: string): string;
}

/** The part of a stream and of the environment that decides whether to colour. */
export interface ColourSetting {
  stream: { isTTY?: boolean };
  env: Readonly<Record<string, string | undefined>>;
}

/**
 * Colour only on a terminal (never in a pipe, a file or a log): `NO_COLOR` (any non-empty
 * value, no-color.org) turns it off and wins; `FORCE_COLOR` (anything but 0 or false) turns
 * it on without a terminal; TERM=dumb has none.
 */
export function colourEnabled({ stream, env }: ColourSetting): boolean {
  if (env.NO_COLOR) return false;
  if (env.FORCE_COLOR !== undefined) return !['0', 'false'].includes(env.FORCE_COLOR.toLowerCase());
  return stream.isTTY === true && env.TERM !== 'dumb';
}

/** The colours for output to `stream` (process.stdout, process.stderr). */
export function coloursFor(stream: { isTTY?: boolean }, env = process.env): Colours {
  return colours(colourEnabled({ stream, env }));
}

export function colours(enabled: boolean): Colours {
  const pc = picocolors.createColors(enabled);
  const byState: Record<string, Paint> = {
    done: pc.green,
    running: pc.cyan,
    claimed: pc.cyan,
    started: pc.cyan,
    failed: pc.yellow,
    poisoned: pc.red,
    blocked: pc.magenta,
    ignored: pc.dim,
  };
  return {
    enabled,
    ok: pc.green,
    warn: pc.yellow,
    fail: pc.red,
    dim: pc.dim,
    heading: pc.bold,
    state: (state, text = state) => (byState[state] ?? String)(text),
  };
}
