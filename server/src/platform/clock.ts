/** Time comes from here, so tests can move it (deadlines, code expiry) without waiting. */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

/** A clock tests set by hand. */
export class ManualClock implements Clock {
  constructor(private current: Date) {}
  now() { return new Date(this.current); }
  set(to: Date | string) { this.current = new Date(to); }
  advance(ms: number) { this.current = new Date(this.current.getTime() + ms); }
}

/** A clock that starts at a chosen instant and runs in real time from there (demos of past or future dates). */
export function startedClock(start: Date): Clock {
  const offset = start.getTime() - Date.now();
  return { now: () => new Date(Date.now() + offset) };
}
