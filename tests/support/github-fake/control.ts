/**
 * Reserved `/_fake/*` endpoints for tests and benchmarks running the fake in another process.
 * They need no token and are neither counted nor rate limited.
 */
import type { ApiResult } from './http.js';
import type { SeedData } from './model/seed.js';
import type { FakeStats, FaultKnobs } from './types.js';

export interface Controls {
  stats(): FakeStats;
  resetStats(): void;
  knobs(): FaultKnobs;
  setKnobs(k: Partial<FaultKnobs>): FaultKnobs;
  seed(data: SeedData): void;
  resetLimits(): void;
  snapshot(): unknown;
}

export const CONTROL_PREFIX = '/_fake/';

export function handleControl(c: Controls, method: string, path: string, bodyText: string): ApiResult {
  const key = `${method} ${path.replace(/\/+$/, '')}`;
  try {
    const body = () => (bodyText.trim() === '' ? {} : (JSON.parse(bodyText) as unknown));
    switch (key) {
      case 'GET /_fake/stats':
        return { status: 200, body: c.stats() };
      case 'POST /_fake/stats/reset':
        c.resetStats();
        return { status: 204 };
      case 'GET /_fake/knobs':
        return { status: 200, body: c.knobs() };
      case 'POST /_fake/knobs':
      case 'PATCH /_fake/knobs':
        return { status: 200, body: c.setKnobs(body() as Partial<FaultKnobs>) };
      case 'POST /_fake/seed':
        c.seed(body() as SeedData);
        return { status: 204 };
      case 'POST /_fake/limits/reset':
        c.resetLimits();
        return { status: 204 };
      case 'GET /_fake/state':
        return { status: 200, body: c.snapshot() };
      default:
        return { status: 404, body: { message: `No fake control endpoint ${key}` } };
    }
  } catch (error) {
    return { status: 400, body: { message: error instanceof Error ? error.message : String(error) } };
  }
}
