import type { GitHubClient } from './client.js';
import type { ResponseHeaders } from './rate-limit.js';

/** The `rel="next"` URL of a Link header. */
export function nextLink(link: unknown): string | undefined {
  return typeof link === 'string' ? /<([^<>]+)>;\s*rel="next"/.exec(link)?.[1] : undefined;
}

/**
 * Every page of a GET list, following `Link: rel="next"`. Unlike `octokit.paginate` it passes
 * the abort signal to every page, and it counts the requests made. `fresh` reads past the ETag cache.
 * `headers` are the first page's (after a 304, the fresh ones: `date`, `x-poll-interval`).
 */
export async function fetchAllPages<T>(
  client: GitHubClient,
  route: string,
  params: Record<string, unknown>,
  signal?: AbortSignal,
  options: { fresh?: boolean } = {},
): Promise<{ items: T[]; requests: number; headers: ResponseHeaders }> {
  const request = { ...(signal ? { signal } : {}), ...(options.fresh ? { fresh: true } : {}) };
  const items: T[] = [];
  let response = await client.request(route, { ...params, request });
  const headers = response.headers as ResponseHeaders;
  for (let requests = 1; ; requests++) {
    items.push(...(response.data as T[]));
    const next = nextLink(response.headers.link);
    if (!next) return { items, requests, headers };
    signal?.throwIfAborted();
    response = await client.request(`GET ${next}`, { request });
  }
}
