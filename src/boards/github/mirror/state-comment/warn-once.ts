import type { Logger } from '../../../../core/logger.js';

/** Remembers what it warned about, so a hostile or broken comment is reported once, not every cycle. */
export class WarnOnce {
  private readonly seen = new Set<string>();

  constructor(private readonly logger: Logger) {}

  warn(key: string, fields: object, message: string): void {
    if (this.seen.has(key)) return;
    // Bounded: a flood of hostile comments must not grow memory without end.
    if (this.seen.size >= 10_000) this.seen.clear();
    this.seen.add(key);
    this.logger.warn(fields, message);
  }
}
