// Shared inputs and checks for the indicator reference tests: 1,000 real BTC/USDT 5-minute bars from
// the market fixture, and helpers to line reference libraries' outputs up with ours bar by bar.
import { readFileSync } from 'node:fs';
import { expect } from 'vitest';

export interface Bars {
  open: Float64Array;
  high: Float64Array;
  low: Float64Array;
  close: Float64Array;
  volume: Float64Array;
  length: number;
}

/** Bars `start` .. `start + count − 1` of the BTC/USDT 5m fixture (a header line, if any, is skipped). */
export function loadBtcBars(start = 500, count = 1000): Bars {
  const rows = readFileSync('test/fixtures/market/BTC_USDT-5m.csv', 'utf8')
    .split('\n')
    .map((line) => line.trim().split(',').map(Number))
    .filter((cells) => cells.length === 6 && cells.every(Number.isFinite))
    .slice(start, start + count);
  if (rows.length !== count) throw new Error(`fixture has only ${rows.length} usable bars from ${start}`);
  const column = (k: number) => Float64Array.from(rows, (cells) => cells[k] ?? Number.NaN);
  return {
    open: column(1),
    high: column(2),
    low: column(3),
    close: column(4),
    volume: column(5),
    length: count,
  };
}

export const btc = loadBtcBars();

export interface Candle {
  open: number;
  high: number;
  low: number;
  close: number;
  volume: number;
}

export function candles(bars: Bars): Candle[] {
  return Array.from({ length: bars.length }, (_, i) => ({
    open: bars.open[i] ?? Number.NaN,
    high: bars.high[i] ?? Number.NaN,
    low: bars.low[i] ?? Number.NaN,
    close: bars.close[i] ?? Number.NaN,
    volume: bars.volume[i] ?? Number.NaN,
  }));
}

/** technicalindicators drops the warm-up bars: pad its output at the front with NaN to our length. */
export function alignEnd(values: ArrayLike<number | undefined>, length: number): Float64Array {
  const out = new Float64Array(length).fill(Number.NaN);
  const offset = length - values.length;
  for (let i = 0; i < values.length; i++) out[offset + i] = values[i] ?? Number.NaN;
  return out;
}

/** A trading-signals indicator: results are only read once it reports itself stable. */
interface Streaming<I, R> {
  add(input: I): unknown;
  readonly isStable: boolean;
  getResult(): R | null | undefined;
}

/** Feeds a trading-signals indicator bar by bar; `pick` reads one output (NaN while not stable). */
export function drive<I, R>(
  indicator: Streaming<I, R>,
  inputs: readonly I[],
  pick: (result: R) => number,
): Float64Array {
  return Float64Array.from(inputs, (input) => {
    indicator.add(input);
    const result = indicator.getResult();
    return indicator.isStable && result !== null && result !== undefined ? pick(result) : Number.NaN;
  });
}

export interface Tolerance {
  /** First index compared (after the warm-up, or after a differently-seeded warm-up washed out). */
  from: number;
  /** Allowed |actual − expected| / max(|expected|, 1) — relative, but absolute near zero. */
  rel: number;
  /** An absolute allowance on top, for a reference that rounds its output. */
  abs?: number;
}

/** Every bar from `from` on must have both values finite and agree within the tolerance. */
export function expectClose(actual: Float64Array, expected: Float64Array, tolerance: Tolerance): void {
  expect(actual.length).toBe(expected.length);
  expect(expected.length - tolerance.from, 'bars left to compare').toBeGreaterThan(100);
  for (let i = tolerance.from; i < actual.length; i++) {
    const a = actual[i] ?? Number.NaN;
    const e = expected[i] ?? Number.NaN;
    if (!Number.isFinite(a) || !Number.isFinite(e)) {
      expect.fail(`bar ${i}: actual ${a}, expected ${e} (both must be finite)`);
    }
    const allowed = (tolerance.abs ?? 0) + tolerance.rel * Math.max(Math.abs(e), 1);
    if (Math.abs(a - e) > allowed) {
      expect.fail(`bar ${i}: actual ${a}, expected ${e}, off by ${Math.abs(a - e)} > ${allowed}`);
    }
  }
}

/** The output is NaN exactly on bars 0 .. warmUp − 1 and finite from `warmUp` on. */
export function expectWarmUp(actual: Float64Array, warmUp: number): void {
  const firstFinite = actual.findIndex(Number.isFinite);
  expect(firstFinite, 'first finite bar').toBe(warmUp);
  for (let i = warmUp; i < actual.length; i++) {
    if (!Number.isFinite(actual[i] ?? Number.NaN)) expect.fail(`bar ${i} is not finite after the warm-up`);
  }
}
