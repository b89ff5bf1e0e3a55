/**
 * After a completed run in a workspace: commit what the agent left, then let the board deliver
 * it (fence, push, pull request). What the attempt's release then records follows from this.
 */
import { open, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { errorMessage } from '../core/errors.js';
import { STDOUT_FILE } from '../executors/index.js';
import type { ActiveClaim, Board } from './board.js';
import type { AttemptWorkspace, DeliveredWork } from './workspace.js';

/** Written by the agent, if it will (CODEX_MONITOR_SUMMARY_FILE): its own summary. */
export const SUMMARY_FILE = 'summary.md';
/**
 * Without a summary file, the end of what the agent printed: `claude -p` prints its result, and
 * `codex exec` prints only its final message on stdout, activity going to stderr (openai/codex
 * PR 4644) — the text `--output-last-message` would write.
 */
const SUMMARY_TAIL_BYTES = 8_000;

export type AttemptDelivery =
  | { outcome: 'complete'; delivered: DeliveredWork | null }
  | { outcome: 'failed'; error: string }
  | { outcome: 'fenced'; reason: string };

export async function deliverAttempt(
  board: Board,
  claim: ActiveClaim,
  workspace: AttemptWorkspace,
  options: { noChanges: 'complete' | 'failed'; artifactsDir: string; signal: AbortSignal },
): Promise<AttemptDelivery> {
  const { task, ticket } = claim;
  const work = task.work!;
  const message = work.reference ? `${work.title} (${work.reference})` : work.title;
  const trailers = {
    'Codex-Monitor-Task': task.id,
    'Codex-Monitor-Owner': ticket.ownerId,
    'Codex-Monitor-Epoch': String(ticket.epoch),
  };
  try {
    const { changed } = await workspace.commit(message, trailers, options.signal);
    if (!changed) {
      return options.noChanges === 'failed'
        ? { outcome: 'failed', error: `no changes: ${workspace.branch} is still ${workspace.baseBranch}` }
        : {
            outcome: 'complete',
            delivered: { branch: workspace.branch, changed: false, pushedSha: null, pr: null },
          };
    }
    if (!board.deliver) {
      return {
        outcome: 'complete',
        delivered: { branch: workspace.branch, changed: true, pushedSha: null, pr: null },
      };
    }
    const summary = await readSummary(options.artifactsDir);
    const result = await board.deliver(claim, workspace, summary, options.signal);
    if (result.kind === 'fenced') return { outcome: 'fenced', reason: result.reason };
    if (result.kind === 'failed') return { outcome: 'failed', error: result.error };
    return { outcome: 'complete', delivered: result.work };
  } catch (error) {
    if (options.signal.aborted) throw error;
    return { outcome: 'failed', error: `delivery failed: ${errorMessage(error)}` };
  }
}

/** The agent's summary file, else the tail of its output; null when there is neither. */
async function readSummary(artifactsDir: string): Promise<string | null> {
  const own = await readFile(join(artifactsDir, SUMMARY_FILE), 'utf8').catch(() => null);
  if (own !== null && own.trim() !== '') return own;
  const file = await open(join(artifactsDir, STDOUT_FILE), 'r').catch(() => null);
  if (!file) return null;
  try {
    const { size } = await file.stat();
    const start = Math.max(0, size - SUMMARY_TAIL_BYTES);
    const { buffer, bytesRead } = await file.read(Buffer.alloc(size - start), 0, size - start, start);
    const text = buffer.subarray(0, bytesRead).toString('utf8').trim();
    return text === '' ? null : text;
  } finally {
    await file.close();
  }
}
