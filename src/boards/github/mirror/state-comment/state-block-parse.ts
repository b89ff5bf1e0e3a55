/**
 * Reading a state block exactly. The block's JSON is found by scanning JSON from the marker
 * (strings and escapes included), never by searching for `-->`: the original codex-monitor
 * writes values that contain `-->`. Only blocks that are real hidden HTML comments count — at
 * the start of a line, outside fenced code — and both schemas demand every field their writer
 * always writes, so `{ownerId, status}` alone is not a state. Pure: no I/O.
 */
import { z } from 'zod';

export const STATE_MARKER = 'codex-monitor-state';
export const STATE_VERSION = 2;
export const MIRROR_STATUSES = ['claimed', 'working', 'stale', 'done', 'failed', 'released'] as const;

/** A block read back: ours (v2) or the original codex-monitor's (v1), normalised. */
export interface ParsedState {
  version: 1 | 2;
  owner: string;
  status: string;
  attempt: number;
  maxAttempts: number | null;
  since: string | null;
  heartbeat: string | null;
  epoch: number | null;
  outcome: string | null;
  error: string | null;
  /** Where the attempt's logs are, relative to the owner's state directory (`<task>/<epoch>`). */
  artifact: string | null;
  nonce: string | null;
  /** v1 only. */
  attemptToken?: string;
  retryCount?: number;
}

/** What a body holds: no block, a block we cannot read (say why), or a state. */
export type BlockReading =
  | { kind: 'none' }
  | { kind: 'malformed'; reason: string }
  | { kind: 'state'; state: ParsedState };

// Every key our writer has always written is required (nullable where it may be empty);
// `logs` (an absolute path, no longer written) and `artifact` came and went across releases.
const V2 = z.object({
  v: z.literal(STATE_VERSION),
  owner: z.string().min(1),
  status: z.enum(MIRROR_STATUSES),
  attempt: z.number().int().min(0),
  maxAttempts: z.number().int().min(0),
  since: z.string().min(1),
  heartbeat: z.string().nullable(),
  epoch: z.number().int().min(0).nullable(),
  outcome: z.string().nullable(),
  error: z.string().nullable(),
  logs: z.string().nullable().optional(),
  artifact: z.string().nullable().optional(),
  nonce: z.string().nullable(),
});
// The original's reader required these five (and wrote retryCount beside them).
const V1 = z.object({
  ownerId: z.string().min(1),
  attemptToken: z.string().min(1),
  attemptStarted: z.string().min(1),
  heartbeat: z.string().min(1),
  status: z.string().min(1),
  retryCount: z.number().int().min(0).optional(),
});

function normalise(value: unknown): ParsedState | string {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return 'not a JSON object';
  if ('v' in value) {
    const v2 = V2.safeParse(value);
    if (!v2.success)
      return `not a v${STATE_VERSION} state: ${z.prettifyError(v2.error).replace(/\s+/g, ' ')}`;
    const d = v2.data;
    return {
      version: 2,
      owner: d.owner,
      status: d.status,
      attempt: d.attempt,
      maxAttempts: d.maxAttempts,
      since: d.since,
      heartbeat: d.heartbeat,
      epoch: d.epoch,
      outcome: d.outcome,
      error: d.error,
      artifact: d.artifact ?? null,
      nonce: d.nonce,
    };
  }
  const v1 = V1.safeParse(value);
  if (!v1.success) return `not an original state: ${z.prettifyError(v1.error).replace(/\s+/g, ' ')}`;
  const d = v1.data;
  return {
    version: 1,
    owner: d.ownerId,
    status: d.status,
    attempt: (d.retryCount ?? 0) + 1,
    maxAttempts: null,
    since: d.attemptStarted,
    heartbeat: d.heartbeat,
    epoch: null,
    outcome: null,
    error: null,
    artifact: null,
    nonce: null,
    attemptToken: d.attemptToken,
    retryCount: d.retryCount ?? 0,
  };
}

/** Index just past the JSON object that starts at `start` (a `{`), or -1 if it never closes. */
function objectEnd(text: string, start: number): number {
  let depth = 0;
  let inString = false;
  for (let i = start; i < text.length; i++) {
    const ch = text[i];
    if (inString) {
      if (ch === '\\') i++;
      else if (ch === '"') inString = false;
    } else if (ch === '"') inString = true;
    else if (ch === '{' || ch === '[') depth++;
    else if (ch === '}' || ch === ']') {
      depth--;
      if (depth === 0) return i + 1;
    }
  }
  return -1;
}

const OPENER = new RegExp(`^ {0,3}<!--\\s*${STATE_MARKER}(?=[\\s{])\\s*`, 'my');
const OPENS_BLOCK = new RegExp(`^ {0,3}<!--\\s*${STATE_MARKER}(?=[\\s{])`);
const FENCE = /^ {0,3}(`{3,}|~{3,})/;

/** One block at `at` (a line start that opens one): its state, or why it is unreadable, and its end. */
function blockAt(body: string, at: number): { result: ParsedState | string; end: number } {
  OPENER.lastIndex = at;
  const opened = OPENER.exec(body)!;
  const start = at + opened[0].length;
  if (body[start] !== '{') return { result: 'no JSON object after the marker', end: start };
  const end = objectEnd(body, start);
  if (end < 0) return { result: 'the JSON object never closes', end: body.length };
  const close = /\s*-->/y;
  close.lastIndex = end;
  if (!close.test(body)) return { result: 'no --> right after the JSON object', end };
  let value: unknown;
  try {
    value = JSON.parse(body.slice(start, end));
  } catch {
    return { result: 'invalid JSON', end: close.lastIndex };
  }
  return { result: normalise(value), end: close.lastIndex };
}

/**
 * Reads the state block of a comment body. When a body holds several readable blocks, ours wins
 * over the original's and the last over earlier ones. Never throws.
 */
export function readStateBlock(body: string | null | undefined): BlockReading {
  if (!body?.includes(STATE_MARKER)) return { kind: 'none' };
  let found: ParsedState | null = null;
  let problem: string | null = null;
  let fence: string | null = null;
  for (let at = 0; at < body.length; ) {
    const lineEnd = body.indexOf('\n', at) === -1 ? body.length : body.indexOf('\n', at) + 1;
    const line = body.slice(at, lineEnd);
    const marker = FENCE.exec(line)?.[1];
    if (marker && (fence === null || (marker[0] === fence[0] && marker.length >= fence.length))) {
      fence = fence === null ? marker : null;
    } else if (fence === null && OPENS_BLOCK.test(line)) {
      const { result, end } = blockAt(body, at);
      if (typeof result === 'string') problem ??= result;
      else if (found === null || result.version >= found.version) found = result;
      // Continue at the line after the block (a block may span lines).
      const next = body.indexOf('\n', Math.max(end - 1, at));
      at = next === -1 ? body.length : next + 1;
      continue;
    }
    at = lineEnd;
  }
  if (found) return { kind: 'state', state: found };
  return problem === null ? { kind: 'none' } : { kind: 'malformed', reason: problem };
}

/** The state of a body, or null when it holds none we can read. */
export function parseStateComment(body: string | null | undefined): ParsedState | null {
  const reading = readStateBlock(body);
  return reading.kind === 'state' ? reading.state : null;
}
