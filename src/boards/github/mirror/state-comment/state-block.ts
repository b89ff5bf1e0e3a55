/**
 * The claim comment's text: a short human summary followed by a hidden versioned block
 * (`<!-- codex-monitor-state {json} -->`). Reading it back lives in state-block-parse.ts, what
 * may be published in state-publish.ts. Pure: no I/O.
 */
import { type MIRROR_STATUSES, STATE_MARKER, STATE_VERSION } from './state-block-parse.js';
import { artifactIdOf, type PublishOptions, publishedError } from './state-publish.js';

export {
  type BlockReading,
  MIRROR_STATUSES,
  type ParsedState,
  parseStateComment,
  readStateBlock,
  STATE_MARKER,
  STATE_VERSION,
} from './state-block-parse.js';
export type { PublishOptions } from './state-publish.js';

/** GitHub's limit for a comment body. */
export const MAX_COMMENT_CHARS = 65_536;

export type MirrorStatus = (typeof MIRROR_STATUSES)[number];

/**
 * What the daemon knows about an attempt. Not all of it is published: `logs` and `error` are
 * the owner's private detail, reduced by the renderer (see state-publish.ts).
 */
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
  /** The attempt's error (the agent's stderr, say): published only if opted in, redacted. */
  error?: string | null;
  /** The attempt's artifacts directory on the owner's machine: only its id is published. */
  logs?: string | null;
  /** Identifies the comment (kept across edits): how a lost POST is found again. */
  nonce?: string;
  /** The pull request the work was delivered in. */
  pr?: number | null;
  /**
   * A person holds it by hand (`codex-monitor claim`) until `until` (ISO, the claimer's clock:
   * for humans only — the fleet counts the lease on its own clocks).
   */
  hand?: { until: string } | null;
  /**
   * Who approved the delivered work (propose → verify → apply): a reviewing owner, or
   * `human:<login>` when a person's review decided.
   */
  verifiedBy?: string | null;
}

const clip = (value: string, max: number) => (value.length > max ? `${value.slice(0, max - 1)}…` : value);
/**
 * Shown inside a code span: no backticks or line breaks to escape it, @mentions do not notify,
 * and no `<` or `>` to open or close an HTML comment (no spoofed state block).
 */
export const codeSpan = (value: string, max: number) =>
  `\`${clip(
    value
      .replace(/[`\r\n]+/g, ' ')
      .replace(/</g, '‹')
      .replace(/>/g, '›'),
    max,
  )}\``;

/** "Held by `ws3/alice`, by hand, until 14:20 UTC": the time as the claimer's clock gave it. */
function handLine(owner: string, until: string): string {
  const at = new Date(until);
  const time = Number.isNaN(at.getTime()) ? codeSpan(until, 40) : `${at.toISOString().slice(11, 16)} UTC`;
  return `- Held by ${codeSpan(owner, 200)}, by hand, until ${time}`;
}

/** The comment body for `state`; what it publishes of the error depends on `options`. */
export function renderStateComment(state: MirrorState, options: PublishOptions = {}): string {
  const error = publishedError(state.error, options);
  const artifact = artifactIdOf(state.logs);
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
    error,
    artifact: artifact === null ? null : clip(artifact, 300),
    nonce: state.nonce ?? null,
    ...(state.pr ? { pr: state.pr } : {}),
    ...(state.hand ? { hand: { until: clip(state.hand.until, 40) } } : {}),
    ...(state.verifiedBy ? { verifiedBy: clip(state.verifiedBy, 200) } : {}),
  };
  const lines = [
    `**codex-monitor** · ${state.status} · attempt ${state.attempt} of ${state.maxAttempts}`,
    '',
    ...(state.hand ? [handLine(state.owner, state.hand.until)] : []),
    `- Owner: ${codeSpan(state.owner, 200)}`,
    `- Since: ${state.since}`,
    `- Last heartbeat: ${state.heartbeat ?? '—'}`,
  ];
  if (state.outcome) lines.push(`- Outcome: ${codeSpan(state.outcome, 200)}`);
  // GitHub links `#N` to the pull request; N is a number we wrote, never text from elsewhere.
  if (state.pr) lines.push(`- Pull request: #${Math.trunc(state.pr)}`);
  // A person's login comes from GitHub: shown as data, like the owner.
  if (state.verifiedBy) lines.push(`- Verified by ${codeSpan(state.verifiedBy, 200)}`);
  if (error) lines.push(`- Error: ${codeSpan(error, 600)}`);
  if (artifact) lines.push(`- Artifacts: ${codeSpan(artifact, 300)} in the owner's state directory`);
  // `<` and `>` never occur in JSON outside strings: escaping them keeps `-->` out of the block.
  const json = JSON.stringify(block).replace(/</g, '\\u003c').replace(/>/g, '\\u003e');
  return `${lines.join('\n')}\n\n<!-- ${STATE_MARKER} ${json} -->`;
}
