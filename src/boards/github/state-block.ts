/**
 * The claim comment's text: a short human summary followed by a hidden versioned block
 * (`<!-- codex-monitor-state {json} -->`), and the reader that also understands the original
 * codex-monitor's block. Pure: no I/O.
 */
import { z } from 'zod';

export const STATE_MARKER = 'codex-monitor-state';
export const STATE_VERSION = 2;
/** GitHub's limit for a comment body. */
export const MAX_COMMENT_CHARS = 65_536;

export type MirrorStatus = 'claimed' | 'working' | 'stale' | 'done' | 'failed' | 'released';

export interface MirrorState {
  /** Owner id (workstation/agent) holding or last holding the claim. */
  owner: string;
  status: MirrorStatus;
  attempt: number;
  maxAttempts: number;
  /** ISO time the attempt started. */
  since: string;
  heartbeat?: string | null;
  epoch?: number | null;
  /** e.g. `success`, `failed`, `fenced`. */
  outcome?: string | null;
  error?: string | null;
  /** Where the logs are: a path on the owner's machine. */
  logs?: string | null;
  /** Identifies the comment (kept across edits): how a lost POST is found again. */
  nonce?: string;
}

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
  logs: string | null;
  nonce: string | null;
  /** v1 only. */
  attemptToken?: string;
  retryCount?: number;
}

const clip = (value: string, max: number) => (value.length > max ? `${value.slice(0, max - 1)}…` : value);
/**
 * Shown inside a code span: no backticks or line breaks to escape it, @mentions do not notify,
 * and no `<` or `>` to open or close an HTML comment (no spoofed state block).
 */
const code = (value: string, max: number) =>
  `\`${clip(
    value
      .replace(/[`\r\n]+/g, ' ')
      .replace(/</g, '‹')
      .replace(/>/g, '›'),
    max,
  )}\``;

export function renderStateComment(state: MirrorState): string {
  const block = {
    v: STATE_VERSION,
    owner: clip(state.owner, 200),
    status: state.status,
    attempt: state.attempt,
    maxAttempts: state.maxAttempts,
    since: state.since,
    heartbeat: state.heartbeat ?? null,
    epoch: state.epoch ?? null,
    outcome: state.outcome == null ? null : clip(state.outcome, 200),
    error: state.error == null ? null : clip(state.error, 4_000),
    logs: state.logs == null ? null : clip(state.logs, 1_000),
    nonce: state.nonce ?? null,
  };
  const lines = [
    `**codex-monitor** · ${state.status} · attempt ${state.attempt} of ${state.maxAttempts}`,
    '',
    `- Owner: ${code(state.owner, 200)}`,
    `- Since: ${state.since}`,
    `- Last heartbeat: ${state.heartbeat ?? '—'}`,
  ];
  if (state.outcome) lines.push(`- Outcome: ${code(state.outcome, 200)}`);
  if (state.error) lines.push(`- Error: ${code(state.error, 2_000)}`);
  if (state.logs) lines.push(`- Logs: ${code(state.logs, 1_000)} on the owner's machine`);
  // `<` and `>` never occur in JSON outside strings: escaping them keeps `-->` out of the block.
  const json = JSON.stringify(block).replace(/</g, '\\u003c').replace(/>/g, '\\u003e');
  const body = `${lines.join('\n')}\n\n<!-- ${STATE_MARKER} ${json} -->`;
  return body.length <= MAX_COMMENT_CHARS
    ? body
    : renderStateComment({ ...state, error: clip(state.error ?? '', 500) });
}

const nullable = <T extends z.ZodType>(t: T) => t.nullable().optional();
const V2 = z.object({
  v: z.literal(2),
  owner: z.string(),
  status: z.string(),
  attempt: z.number().int(),
  maxAttempts: z.number().int(),
  since: z.string(),
  heartbeat: nullable(z.string()),
  epoch: nullable(z.number()),
  outcome: nullable(z.string()),
  error: nullable(z.string()),
  logs: nullable(z.string()),
  nonce: nullable(z.string()),
});
const V1 = z.object({
  ownerId: z.string(),
  attemptToken: z.string().optional(),
  attemptStarted: z.string().optional(),
  heartbeat: z.string().optional(),
  status: z.string(),
  retryCount: z.number().int().optional(),
});

function fromJson(text: string): ParsedState | null {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return null;
  }
  const v2 = V2.safeParse(value);
  if (v2.success) {
    const d = v2.data;
    return {
      version: 2,
      owner: d.owner,
      status: d.status,
      attempt: d.attempt,
      maxAttempts: d.maxAttempts,
      since: d.since,
      heartbeat: d.heartbeat ?? null,
      epoch: d.epoch ?? null,
      outcome: d.outcome ?? null,
      error: d.error ?? null,
      logs: d.logs ?? null,
      nonce: d.nonce ?? null,
    };
  }
  const v1 = V1.safeParse(value);
  if (!v1.success || (value as { v?: unknown }).v !== undefined) return null;
  const d = v1.data;
  return {
    version: 1,
    owner: d.ownerId,
    status: d.status,
    attempt: (d.retryCount ?? 0) + 1,
    maxAttempts: null,
    since: d.attemptStarted ?? null,
    heartbeat: d.heartbeat ?? null,
    epoch: null,
    outcome: null,
    error: null,
    logs: null,
    nonce: null,
    retryCount: d.retryCount ?? 0,
    ...(d.attemptToken === undefined ? {} : { attemptToken: d.attemptToken }),
  };
}

/**
 * Reads a state block: ours (`"v": 2`) or the original codex-monitor's (`ownerId`, …). Foreign,
 * future-version or malformed blocks give null (the caller warns); never throws. When a body
 * holds several blocks (a quoted one, say), ours wins over the original's, the last over earlier.
 */
export function parseStateComment(body: string | null | undefined): ParsedState | null {
  if (!body?.includes(STATE_MARKER)) return null;
  let found: ParsedState | null = null;
  for (const m of body.matchAll(/<!--\s*codex-monitor-state\b([\s\S]*?)-->/g)) {
    const state = fromJson(m[1]!.trim());
    if (state && (found === null || state.version >= found.version)) found = state;
  }
  return found;
}
