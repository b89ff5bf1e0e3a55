/**
 * GitHub's rate limits, per token:
 * - primary: `limit` requests per hour window, the window starting at the first request after
 *   the previous one reset (as GitHub's `x-ratelimit-reset` does); a 304 is refunded;
 * - secondary (content creation): at most `perMinute` content-creating requests in any sliding
 *   minute and `perHour` in any sliding hour; the excess is refused with `retry-after`.
 * Windows follow the server clock, so moving `clockOffsetMs` past the reset renews the budget.
 */
import type { ServerClock } from '../clock.js';
import type { TokenProfile } from '../types.js';

export interface LimitOptions {
  primaryLimit: number;
  secondaryPerMinute: number;
  secondaryPerHour: number;
}

export interface Budget {
  limit: number;
  used: number;
  /** Epoch seconds at which the window resets. */
  reset: number;
}

const HOUR = 3_600_000;

/** Budgets are per token, except an installation's, which all its tokens share. */
const bucketOf = (profile: TokenProfile): string => profile.bucket ?? profile.token;
const MINUTE = 60_000;

export class Limits {
  readonly options: LimitOptions;
  readonly #clock: ServerClock;
  readonly #primary = new Map<string, Budget>();
  readonly #creations = new Map<string, number[]>();

  constructor(options: LimitOptions, clock: ServerClock) {
    this.options = options;
    this.#clock = clock;
  }

  /** The token's current window, opening a new one if the previous has reset. */
  budget(profile: TokenProfile): Budget {
    const now = this.#clock.now();
    let budget = this.#primary.get(bucketOf(profile));
    if (!budget || now >= budget.reset * 1000) {
      budget = {
        limit: profile.primaryLimit ?? this.options.primaryLimit,
        used: 0,
        reset: Math.floor((now + HOUR) / 1000),
      };
      this.#primary.set(bucketOf(profile), budget);
    }
    return budget;
  }

  /** Takes one request from the budget; false when it is exhausted. */
  reservePrimary(profile: TokenProfile): boolean {
    const budget = this.budget(profile);
    if (budget.used >= budget.limit) return false;
    budget.used++;
    return true;
  }

  /** Gives back a reserved request (a 304 costs nothing on GitHub). */
  refundPrimary(profile: TokenProfile): void {
    const budget = this.budget(profile);
    budget.used = Math.max(0, budget.used - 1);
  }

  /**
   * Records a content-creating request, or returns the seconds to wait when either sliding
   * window is full (refused requests are not recorded).
   */
  takeSecondary(profile: TokenProfile): number | undefined {
    const now = this.#clock.now();
    const times = (this.#creations.get(bucketOf(profile)) ?? []).filter((t) => t > now - HOUR);
    this.#creations.set(bucketOf(profile), times);
    const lastMinute = times.filter((t) => t > now - MINUTE);
    let waitMs = 0;
    if (lastMinute.length >= this.options.secondaryPerMinute && lastMinute[0] !== undefined) {
      waitMs = lastMinute[lastMinute.length - this.options.secondaryPerMinute]! + MINUTE - now;
    }
    if (times.length >= this.options.secondaryPerHour && times[0] !== undefined) {
      waitMs = Math.max(waitMs, times[times.length - this.options.secondaryPerHour]! + HOUR - now);
    }
    if (waitMs > 0) return Math.max(1, Math.ceil(waitMs / 1000));
    times.push(now);
    return undefined;
  }

  headers(profile: TokenProfile): Record<string, string> {
    const b = this.budget(profile);
    return {
      'x-ratelimit-limit': String(b.limit),
      'x-ratelimit-remaining': String(Math.max(0, b.limit - b.used)),
      'x-ratelimit-reset': String(b.reset),
      'x-ratelimit-used': String(b.used),
      'x-ratelimit-resource': 'core',
    };
  }

  reset(): void {
    this.#primary.clear();
    this.#creations.clear();
  }
}
