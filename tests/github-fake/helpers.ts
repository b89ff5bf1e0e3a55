/** Raw HTTP helpers for the fake's own tests (no Octokit, so nothing is retried or hidden). */

export interface Reply {
  status: number;
  headers: Headers;
  // biome-ignore lint/suspicious/noExplicitAny: JSON bodies are inspected freely in assertions.
  body: any;
}

export interface CallOptions {
  /** Token to send (`test-token` by default); null sends no Authorization header. */
  token?: string | null;
  body?: unknown;
  headers?: Record<string, string>;
}

/** Sends one request; `path` is relative to `base` or an absolute URL (e.g. from a Link header). */
export async function call(
  base: string,
  method: string,
  path: string,
  opts: CallOptions = {},
): Promise<Reply> {
  const headers: Record<string, string> = { accept: 'application/vnd.github+json', ...opts.headers };
  const token = opts.token === undefined ? 'test-token' : opts.token;
  if (token !== null) headers.authorization = `token ${token}`;
  if (opts.body !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(path.startsWith('http') ? path : `${base}${path}`, {
    method,
    headers,
    body: opts.body === undefined ? undefined : JSON.stringify(opts.body),
  });
  const text = await res.text();
  return { status: res.status, headers: res.headers, body: text ? JSON.parse(text) : undefined };
}

/** Parses a Link header into `{ rel: { url, page } }`. */
export function parseLink(header: string | null): Record<string, { url: string; page: number }> {
  const out: Record<string, { url: string; page: number }> = {};
  for (const part of (header ?? '').split(',')) {
    const m = /<([^>]+)>;\s*rel="(\w+)"/.exec(part.trim());
    if (m) out[m[2]!] = { url: m[1]!, page: Number(new URL(m[1]!).searchParams.get('page')) };
  }
  return out;
}

/** Counts of each status in a list of replies, e.g. `{ 201: 1, 422: 49 }`. */
export function statusCounts(replies: Reply[]): Record<number, number> {
  const counts: Record<number, number> = {};
  for (const r of replies) counts[r.status] = (counts[r.status] ?? 0) + 1;
  return counts;
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export const REPO = '/repos/acme/widgets';
