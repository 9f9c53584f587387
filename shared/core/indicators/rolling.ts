// Rolling-window building blocks shared by the indicators: a drift-free rolling sum over a ring
// buffer, monotonic-deque max/min, and the helper that turns a streaming class into a batch function.

/** Throws unless `period` is a whole number ≥ `min`: a bad period is a programming error, not data. */
export function assertPeriod(period: number, name: string, min = 1): void {
  if (!Number.isInteger(period) || period < min) {
    throw new RangeError(`${name} must be an integer ≥ ${min}, got ${period}`);
  }
}

/** The last `period` values with their sum; the sum is re-added once per lap so rounding never builds up. */
export class RollingWindow {
  private readonly ring: Float64Array;
  private total = 0;
  private seen = 0;

  constructor(readonly period: number) {
    assertPeriod(period, 'period');
    this.ring = new Float64Array(period);
  }

  push(value: number): void {
    const slot = this.seen % this.period;
    this.total += value - (this.seen >= this.period ? (this.ring[slot] ?? 0) : 0);
    this.ring[slot] = value;
    this.seen++;
    // O(period) once every period bars keeps the sum exact to the last lap at O(1) amortized.
    if (slot === this.period - 1) {
      let exact = 0;
      for (let k = 0; k < this.period; k++) exact += this.ring[k] ?? 0;
      this.total = exact;
    }
  }

  get full(): boolean {
    return this.seen >= this.period;
  }

  /** How many values have been pushed so far (not capped at `period`). */
  get count(): number {
    return this.seen;
  }

  get sum(): number {
    return this.total;
  }

  /** The value pushed `back` pushes ago (0 = the newest); NaN if it is not in the window. */
  ago(back: number): number {
    if (back < 0 || back >= this.period || back >= this.seen) return Number.NaN;
    return this.ring[(this.seen - 1 - back) % this.period] ?? Number.NaN;
  }
}

/**
 * The max (or min) of the last `period` values by a monotonic deque: each value enters and leaves
 * once, so O(1) amortized per push. Min is the max of negated values, keeping one code path.
 */
export class RollingExtreme {
  private readonly indices: Float64Array;
  private readonly values: Float64Array;
  private readonly sign: number;
  private head = 0;
  private size = 0;
  private seen = 0;

  constructor(
    readonly period: number,
    kind: 'max' | 'min',
  ) {
    assertPeriod(period, 'period');
    // One slot more than the window: the new value is added before the expired one leaves.
    this.indices = new Float64Array(period + 1);
    this.values = new Float64Array(period + 1);
    this.sign = kind === 'max' ? 1 : -1;
  }

  /** Adds a value; returns the extreme of the last `period` values (of all so far while filling). */
  push(value: number): number {
    const capacity = this.period + 1;
    const v = this.sign * value;
    while (this.size > 0) {
      const back = (this.head + this.size - 1) % capacity;
      if ((this.values[back] ?? 0) > v) break;
      this.size--;
    }
    const slot = (this.head + this.size) % capacity;
    this.values[slot] = v;
    this.indices[slot] = this.seen;
    this.size++;
    this.seen++;
    const oldestAllowed = this.seen - this.period;
    while ((this.indices[this.head] ?? 0) < oldestAllowed) {
      this.head = (this.head + 1) % capacity;
      this.size--;
    }
    return this.sign * (this.values[this.head] ?? Number.NaN);
  }

  get full(): boolean {
    return this.seen >= this.period;
  }
}

/** A batch output array of `length`, pre-filled with NaN (the warm-up value). */
export function nanArray(length: number): Float64Array {
  return new Float64Array(length).fill(Number.NaN);
}

/** Drives a one-input streaming indicator over a series: the batch form can never disagree with it. */
export function runSeries(values: Float64Array, indicator: { update(value: number): number }): Float64Array {
  const out = new Float64Array(values.length);
  for (let i = 0; i < values.length; i++) out[i] = indicator.update(values[i] ?? Number.NaN);
  return out;
}

/** Throws unless all the parallel input series have the same length. */
export function assertSameLength(...series: Float64Array[]): number {
  const length = series[0]?.length ?? 0;
  for (const s of series) {
    if (s.length !== length) throw new RangeError('input series must have the same length');
  }
  return length;
}

/** Delays a stream by `lag` pushes: returns the value pushed `lag` pushes ago (NaN until there is one). */
export class Delay {
  private readonly ring: Float64Array;
  private seen = 0;

  constructor(readonly lag: number) {
    assertPeriod(lag, 'lag', 0);
    this.ring = new Float64Array(lag + 1);
  }

  push(value: number): number {
    const size = this.lag + 1;
    this.ring[this.seen % size] = value;
    this.seen++;
    if (this.seen <= this.lag) return Number.NaN;
    return this.ring[(this.seen - 1 - this.lag) % size] ?? Number.NaN;
  }
}
