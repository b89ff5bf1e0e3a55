import { z } from 'zod';
import { int, text, type VariableSpec } from './variable-schemas.js';

/**
 * Propose → verify → apply on GitHub: a daemon that reviews the fleet's pull requests (a review
 * chain per pull request in the ledger; the PR's author owner never reviews it).
 */
export const REVIEW_VARIABLES = [
  {
    name: 'REVIEW_EXECUTOR',
    board: 'github',
    schema: z.enum(['shell', 'codex', 'claude', 'gemini', 'opencode', 'aider', 'custom']),
    expected: 'one of shell, codex, claude, gemini, opencode, aider, custom',
    doc: 'Makes this daemon a reviewer too: it claims review tasks (pull requests the fleet opened, not by this owner) and runs this executor on the PR head with a review prompt. Unset: no reviewing, unless CODEX_MONITOR_AGENT=review.',
  },
  {
    name: 'REVIEW_COMMAND',
    board: 'github',
    schema: text,
    expected: 'a command line',
    doc: 'REVIEW_EXECUTOR=shell or custom: the reviewer’s command (never built from issue or PR text). It writes review.json ({verdict: approve|request-changes, body}) in its artifacts directory.',
  },
  {
    name: 'REVIEW_MAX_ROUNDS',
    schema: int(1, 20),
    default: '2',
    expected: 'a whole number from 1 to 20',
    doc: 'Rounds of requested changes on one pull request after which the issue stops with codex:failed and a comment for a human. On the local board: refusals of a verify: task after which the verification is poisoned.',
  },
] as const satisfies readonly VariableSpec[];
