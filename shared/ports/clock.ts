// Time and identity are injected so that the core, the tests and the backtester are exact.
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };
