import { abortableSleep, type Clock } from '../../src/core/clock.js';

/** The real clock, moved forward by the test (wall and monotonic alike): time passing, no waiting. */
export class MovedClock implements Clock {
  private offset = 0;
  now = () => Date.now() + this.offset;
  monotonic = () => performance.now() + this.offset;
  sleep = abortableSleep;
  advance(ms: number): void {
    this.offset += ms;
  }
}
