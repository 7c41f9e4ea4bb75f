import { Clock } from '../../src/common/clock';

/** A clock that follows real time from an offset the test can move ("two weeks later"). */
export class FakeClock extends Clock {
  private offsetMs = 0;
  private frozen?: number;

  now(): Date {
    return new Date(this.frozen ?? Date.now() + this.offsetMs);
  }

  advance(ms: number): void {
    if (this.frozen !== undefined) this.frozen += ms;
    else this.offsetMs += ms;
  }

  advanceDays(days: number): void {
    this.advance(days * 24 * 3600 * 1000);
  }

  set(at: Date): void {
    this.offsetMs = at.getTime() - Date.now();
    this.frozen = undefined;
  }

  freeze(at: Date = this.now()): void {
    this.frozen = at.getTime();
  }
}
