/** Request statistics for benchmarks (`GET /_fake/stats`). */
import type { FakeStats } from '../types.js';

const empty = (): FakeStats => ({
  requests: 0,
  byRoute: {},
  byStatus: {},
  notModified: 0,
  writes: 0,
  contentCreating: 0,
  primaryLimitHits: 0,
  secondaryLimitHits: 0,
  injected5xx: 0,
  lostResponses: 0,
});

export class Stats {
  #s = empty();

  request(routeKey: string, method: string, contentCreating: boolean): void {
    this.#s.requests++;
    this.#s.byRoute[routeKey] = (this.#s.byRoute[routeKey] ?? 0) + 1;
    if (method !== 'GET' && method !== 'HEAD') this.#s.writes++;
    if (contentCreating) this.#s.contentCreating++;
  }

  status(status: number): void {
    this.#s.byStatus[status] = (this.#s.byStatus[status] ?? 0) + 1;
    if (status === 304) this.#s.notModified++;
  }

  bump(key: 'primaryLimitHits' | 'secondaryLimitHits' | 'injected5xx' | 'lostResponses'): void {
    this.#s[key]++;
  }

  snapshot(): FakeStats {
    return structuredClone(this.#s);
  }

  reset(): void {
    this.#s = empty();
  }
}
