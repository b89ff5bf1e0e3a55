/**
 * The Jira side of a claim, for humans: a label per state, one comment edited in place carrying
 * the hidden state block, and a workflow transition to the configured status. Written behind the
 * ledger, latest state per issue wins, one issue at a time; never the authority, so a failure is
 * logged and the next state tries again. The status follows jira-status.ts (a completed attempt
 * with a pull request: the review status, linked from the comment). A transition is found by its
 * target status's name in the issue's transitions (names of transitions differ per workflow); where the workflow does not
 * allow it from the current status it is skipped with one warning per issue and status.
 */
import type { Logger } from '../../core/logger.js';
import { textToAdf } from './adf-text.js';
import type { JiraApi, JiraCommentData } from './jira-api.js';
import type { JiraSnapshot } from './jira-issue.js';
import { type JiraStatuses, targetStatus } from './jira-status.js';

export type { JiraStatuses } from './jira-status.js';

/** `claimed`: held by a person, by hand (facts.hand says until when). */
export type JiraMirrorStatus = 'working' | 'claimed' | 'done' | 'failed' | 'poisoned' | 'released';

/** Label names per state (Jira labels cannot hold spaces); '' writes none. */
export interface JiraStateLabels {
  working: string;
  done: string;
  failed: string;
}

export interface MirrorFacts {
  owner: string;
  attempt: number;
  epoch: number;
  error?: string;
  /** A hand claim: its lease's end (ISO), on the claimer's clock. */
  hand?: { until: string };
  /** The pull request a completed attempt delivered: linked from the comment, sends it to review. */
  pr?: { number: number; url: string };
}

/** The marker the GitHub board's state comment uses too: one format for every board's block. */
export const STATE_MARKER = 'codex-monitor-state';

export interface JiraMirrorOptions {
  api: JiraApi;
  logger: Logger;
  labels: JiraStateLabels;
  statuses: JiraStatuses;
  /** This account's id (`/myself`): only its comment carrying the marker is edited. */
  accountId: () => Promise<string>;
  now: () => number;
}

export class JiraMirror {
  private readonly latest = new Map<
    number,
    { issue: JiraSnapshot; status: JiraMirrorStatus; facts: MirrorFacts }
  >();
  private readonly commentIds = new Map<number, string>();
  private readonly warned = new Set<string>();
  private running: Promise<void> | null = null;

  constructor(private readonly o: JiraMirrorOptions) {}

  show(issue: JiraSnapshot, status: JiraMirrorStatus, facts: MirrorFacts): void {
    this.latest.set(issue.id, { issue, status, facts });
    this.running ??= this.drain().finally(() => {
      this.running = null;
    });
  }

  /** Waits for queued writes, at most `ms`. */
  async flush(ms: number): Promise<void> {
    if (!this.running) return;
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([this.running, new Promise<void>((r) => (timer = setTimeout(r, ms)))]);
    clearTimeout(timer);
  }

  private async drain(): Promise<void> {
    for (let next = this.latest.entries().next(); !next.done; next = this.latest.entries().next()) {
      const [id, shown] = next.value;
      this.latest.delete(id);
      try {
        await this.write(shown.issue, shown.status, shown.facts);
      } catch (error) {
        this.o.logger.warn(
          { err: error, issue: shown.issue.key },
          `the Jira mirror of ${shown.issue.key} failed`,
        );
      }
    }
  }

  private async write(issue: JiraSnapshot, status: JiraMirrorStatus, facts: MirrorFacts): Promise<void> {
    const { labels } = this.o;
    const working = status === 'working' || status === 'claimed';
    const want = working
      ? labels.working
      : status === 'done'
        ? labels.done
        : status === 'released'
          ? ''
          : labels.failed;
    // The snapshot's labels may predate our own last write (the claim's): remove every other
    // state label whatever it shows; Jira ignores removing an absent label and adding a present one.
    const remove = [labels.working, labels.done, labels.failed].filter((l) => l !== '' && l !== want);
    await this.o.api.editLabels(issue.key, { add: want ? [want] : [], remove });
    await this.writeComment(issue, status, facts);
    const target = targetStatus(this.o.statuses, status, facts.pr !== undefined);
    if (target) await this.transition(issue, target);
  }

  private async writeComment(
    issue: JiraSnapshot,
    status: JiraMirrorStatus,
    facts: MirrorFacts,
  ): Promise<void> {
    const body = stateDocument(status, facts, this.o.now());
    let id = this.commentIds.get(issue.id);
    if (!id) {
      const me = await this.o.accountId();
      id = (await this.o.api.comments(issue.key)).find(
        (c) => c.author?.accountId === me && hasStateBlock(c),
      )?.id;
    }
    if (id) await this.o.api.updateComment(issue.key, id, body);
    else id = (await this.o.api.addComment(issue.key, body)).id;
    this.commentIds.set(issue.id, id);
  }

  private async transition(issue: JiraSnapshot, target: string): Promise<void> {
    const current = (await this.o.api.issue(issue.key)).fields.status?.name;
    if (current?.toLowerCase() === target.toLowerCase()) return;
    const found = (await this.o.api.transitions(issue.key)).find(
      (t) => t.to.name.toLowerCase() === target.toLowerCase(),
    );
    if (found) return this.o.api.transition(issue.key, found.id);
    const once = `${issue.id} ${target}`;
    if (this.warned.has(once)) return;
    this.warned.add(once);
    this.o.logger.warn(
      { issue: issue.key, from: current, to: target },
      `the workflow of ${issue.key} has no transition from "${current}" to "${target}": status left as it is`,
    );
  }
}

/** The state comment: one visible line, and the machine block in a collapsed `expand` node. */
export function stateDocument(status: JiraMirrorStatus, facts: MirrorFacts, now: number) {
  const line = facts.hand
    ? `codex-monitor: held by ${facts.owner}, by hand, until ${facts.hand.until.slice(11, 16)} UTC`
    : `codex-monitor: ${status} — owner ${facts.owner}, attempt ${facts.attempt}${facts.error ? `, ${facts.error}` : ''}`;
  const doc = textToAdf(line);
  if (facts.pr) doc.content.push(pullParagraph(facts.pr));
  const block = {
    v: 2,
    status,
    owner: facts.owner,
    attempt: facts.attempt,
    epoch: facts.epoch,
    ...(facts.hand ? { hand: facts.hand } : {}),
    ...(facts.pr ? { pr: facts.pr.number } : {}),
    at: new Date(now).toISOString(),
  };
  const code = {
    type: 'codeBlock',
    attrs: { language: 'json' },
    content: [{ type: 'text', text: `${STATE_MARKER} ${JSON.stringify(block)}` }],
  };
  return {
    ...doc,
    content: [...doc.content, { type: 'expand', attrs: { title: 'codex-monitor state' }, content: [code] }],
  };
}

/**
 * "Pull request: #N", linked. The URL is GitHub's (html_url), kept as a link only when it is
 * plain http(s): ADF marks are data, but a `javascript:` href is still not one to offer.
 */
function pullParagraph(pr: { number: number; url: string }) {
  const text = `#${pr.number}`;
  const link = /^https?:\/\/\S+$/.test(pr.url) ? [{ type: 'link', attrs: { href: pr.url } }] : [];
  return {
    type: 'paragraph',
    content: [
      { type: 'text', text: 'Pull request: ' },
      link.length > 0 ? { type: 'text', text, marks: link } : { type: 'text', text },
    ],
  };
}

/** The block's JSON in a comment body, or null. */
export function readStateBlock(body: unknown): Record<string, unknown> | null {
  const text = JSON.stringify(body ?? null);
  const at = text.indexOf(`${STATE_MARKER} `);
  if (at < 0) return null;
  try {
    const quoted = JSON.parse(`"${text.slice(at).split(/(?<!\\)"/)[0]}"`) as string;
    return JSON.parse(quoted.slice(STATE_MARKER.length + 1)) as Record<string, unknown>;
  } catch {
    return null;
  }
}

function hasStateBlock(c: JiraCommentData): boolean {
  return readStateBlock(c.body) !== null;
}
