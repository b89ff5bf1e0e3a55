/**
 * Incremental listing of the issues JIRA_JQL selects. JQL compares `updated` at MINUTE resolution,
 * in the API user's time zone, while issues carry second-resolution timestamps: the next query
 * asks for `updated >= <newest seen, floored to the minute, minus one minute>` (an issue indexed
 * late, or written in the same minute, is listed again rather than missed), and what comes back
 * again unchanged is dropped by comparing snapshots, not `updated` (two edits in one second share
 * it). A full listing — the first, and every `fullResyncMs` — also finds issues that left the
 * query (closed by a filter, relabelled): those leave the board. Nothing is persisted: a
 * restarted daemon lists everything once.
 */
import type { JiraApi } from './jira-api.js';
import { type JiraSnapshot, type SnapshotRules, snapshotOf } from './jira-issue.js';

export interface JiraPull {
  changed: JiraSnapshot[];
  /** Ids that no longer match the query (full listings only). */
  gone: number[];
}

export interface JiraSyncOptions extends SnapshotRules {
  api: JiraApi;
  baseUrl: string;
  jql: string;
  monotonic: () => number;
  /** Period of the full listing (default 10 minutes). */
  fullResyncMs?: number;
  /** Issues per page (default 100). */
  pageSize?: number;
}

const OVERLAP_MS = 60_000;

export class JiraSync {
  private cursorMs: number | null = null;
  private lastFullAt = Number.NEGATIVE_INFINITY;
  private format: Intl.DateTimeFormat | undefined;

  constructor(private readonly o: JiraSyncOptions) {}

  async pull(known: ReadonlyMap<number, JiraSnapshot>, signal?: AbortSignal): Promise<JiraPull> {
    const full =
      this.cursorMs === null || this.o.monotonic() - this.lastFullAt >= (this.o.fullResyncMs ?? 600_000);
    const startedAt = this.o.monotonic();
    const since = full ? null : await this.literal(this.cursorMs! - OVERLAP_MS);
    const jql = `(${this.o.jql})${since ? ` AND updated >= "${since}"` : ''} ORDER BY updated ASC`;
    const seen = new Set<number>();
    const changed: JiraSnapshot[] = [];
    let token: string | undefined;
    do {
      signal?.throwIfAborted();
      const page = await this.o.api.search(jql, {
        ...(token ? { token } : {}),
        maxResults: this.o.pageSize ?? 100,
      });
      for (const data of page.issues) {
        const issue = snapshotOf(data, this.o.baseUrl, this.o);
        seen.add(issue.id);
        if (Number.isFinite(issue.updatedMs)) this.cursorMs = Math.max(this.cursorMs ?? 0, issue.updatedMs);
        const before = known.get(issue.id);
        if (!before || JSON.stringify(before) !== JSON.stringify(issue)) changed.push(issue);
      }
      token = page.next ?? undefined;
    } while (token);
    if (this.cursorMs === null) this.cursorMs = 0; // an empty board: incremental from the epoch on
    if (!full) return { changed, gone: [] };
    this.lastFullAt = startedAt;
    return { changed, gone: [...known.keys()].filter((id) => !seen.has(id)) };
  }

  /** `yyyy/MM/dd HH:mm` in the API user's time zone (asked once: JQL reads dates in it). */
  private async literal(ms: number): Promise<string> {
    if (!this.format) {
      const { timeZone } = await this.o.api.myself();
      this.format = new Intl.DateTimeFormat('en-CA', {
        timeZone,
        hourCycle: 'h23',
        year: 'numeric',
        month: '2-digit',
        day: '2-digit',
        hour: '2-digit',
        minute: '2-digit',
      });
    }
    const p = Object.fromEntries(
      this.format.formatToParts(new Date(Math.max(ms, 0))).map((x) => [x.type, x.value]),
    );
    return `${p.year}/${p.month}/${p.day} ${p.hour}:${p.minute}`;
  }
}
