/** Injected latency, 5xx answers and lost responses, drawn from a seedable RNG. */

import { defaultKnobs, type FaultKnobs } from '../types.js';
import { createRng } from './rng.js';

export class Faults {
  knobs: FaultKnobs = defaultKnobs();
  readonly #random: () => number;

  constructor(rngSeed: number) {
    this.#random = createRng(rngSeed);
  }

  /** Validates and merges knobs; throws on nonsense so a typo in a test fails loudly. */
  set(update: Partial<FaultKnobs>): FaultKnobs {
    const next = { ...this.knobs };
    for (const [key, value] of Object.entries(update) as Array<[keyof FaultKnobs, unknown]>) {
      if (!(key in next)) throw new Error(`unknown fake GitHub knob ${key}`);
      if (typeof value !== 'number' || !Number.isFinite(value))
        throw new Error(`knob ${key} must be a number`);
      const isRate = key === 'errorRate' || key === 'lostResponseRate';
      if (isRate && (value < 0 || value > 1)) throw new Error(`knob ${key} must be in [0, 1]`);
      if (key === 'rateLimitStatus' && value !== 403 && value !== 429)
        throw new Error('rateLimitStatus is 403 or 429');
      if (key !== 'clockOffsetMs' && value < 0) throw new Error(`knob ${key} must be >= 0`);
      (next as Record<string, number>)[key] = value;
    }
    this.knobs = next;
    return next;
  }

  /** Total latency of one request: fixed part plus uniform jitter. */
  latency(): number {
    const { latencyMs, latencyJitterMs } = this.knobs;
    return latencyMs + (latencyJitterMs > 0 ? this.#random() * latencyJitterMs : 0);
  }

  /** 502 or 503 when this request should fail before doing anything. */
  injectedError(): 502 | 503 | undefined {
    if (this.knobs.errorRate <= 0 || this.#random() >= this.knobs.errorRate) return undefined;
    return this.#random() < 0.5 ? 502 : 503;
  }

  /** Whether the response of a committed write should be lost (consumes `lostResponseNext`). */
  loseResponse(): boolean {
    if (this.knobs.lostResponseNext > 0) {
      this.knobs = { ...this.knobs, lostResponseNext: this.knobs.lostResponseNext - 1 };
      return true;
    }
    return this.knobs.lostResponseRate > 0 && this.#random() < this.knobs.lostResponseRate;
  }
}

export function sleep(ms: number): Promise<void> {
  return ms > 0 ? new Promise((resolve) => setTimeout(resolve, ms)) : Promise.resolve();
}
