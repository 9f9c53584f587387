// Candle CSV text (`timestamp_ms,open,high,low,close,volume`, the shared data format) to a
// CandleSeries in one pass: the price strings stay as written for the engine's exact maths and
// their float shadows are filled in the same loop, so a replay never parses a price twice.
import { dec, str } from '../money/decimal.js';
import type { CandleSeries } from '../paper/candle-series.js';
import type { Candle } from '../paper/engine-types.js';

export interface CandleCsvRange {
  /** Keep candles whose open time is ≥ this (epoch ms). */
  readonly fromMs?: number;
  /** Keep candles whose open time is < this (epoch ms). */
  readonly toMs?: number;
}

export interface CandleCsvProblem {
  /** 1-based line of the text. */
  readonly line: number;
  readonly message: string;
}

export type CandleCsvResult =
  | { readonly ok: true; readonly series: CandleSeries }
  | { readonly ok: false; readonly problem: CandleCsvProblem };

const failure = (line: number, message: string): CandleCsvResult => ({
  ok: false,
  problem: { line, message },
});

const PLAIN = /^(?:0|[1-9]\d*)(?:\.\d+)?$/;
const SCIENTIFIC = /^\d+(?:\.\d+)?[eE][-+]?\d+$/;

/** A price as the engine wants it: plain decimal text; exponent notation is rewritten once. */
function decimalField(text: string): string | null {
  if (PLAIN.test(text)) return text;
  return SCIENTIFIC.test(text) ? str(dec(text)) : null;
}

/**
 * Parses the whole text; a header line (anything starting with a letter) and blank lines are
 * skipped. Candles must be strictly ascending with low ≤ open, close ≤ high: the replay and its
 * indicators assume it, so a malformed row is reported with its line instead of being skipped.
 */
export function parseCandleCsv(text: string, range: CandleCsvRange = {}): CandleCsvResult {
  const from = range.fromMs ?? Number.NEGATIVE_INFINITY;
  const to = range.toMs ?? Number.POSITIVE_INFINITY;
  const lines = text.split('\n');
  const candles: Candle[] = [];
  // Sized for the whole file, trimmed to the kept rows at the end (subarray: no copy).
  const cap = lines.length;
  const open = new Float64Array(cap);
  const high = new Float64Array(cap);
  const low = new Float64Array(cap);
  const close = new Float64Array(cap);
  const volume = new Float64Array(cap);
  let previous = Number.NEGATIVE_INFINITY;
  let n = 0;
  for (let l = 0; l < lines.length; l++) {
    let row = lines[l] ?? '';
    if (row.endsWith('\r')) row = row.slice(0, -1);
    if (row === '') continue;
    const first = row.charCodeAt(0);
    if (l === 0 && !(first >= 48 && first <= 57)) continue; // header
    const c1 = row.indexOf(',');
    const c2 = row.indexOf(',', c1 + 1);
    const c3 = row.indexOf(',', c2 + 1);
    const c4 = row.indexOf(',', c3 + 1);
    const c5 = row.indexOf(',', c4 + 1);
    if (c1 < 0 || c2 < 0 || c3 < 0 || c4 < 0 || c5 < 0 || row.indexOf(',', c5 + 1) >= 0) {
      return failure(l + 1, 'expected 6 fields: timestamp_ms,open,high,low,close,volume');
    }
    const time = Number(row.slice(0, c1));
    if (!Number.isSafeInteger(time)) return failure(l + 1, `bad timestamp "${row.slice(0, c1)}"`);
    if (time <= previous) return failure(l + 1, `timestamp ${time} is not after the previous one`);
    previous = time;
    if (time < from || time >= to) continue;
    const o = decimalField(row.slice(c1 + 1, c2));
    const h = decimalField(row.slice(c2 + 1, c3));
    const lo = decimalField(row.slice(c3 + 1, c4));
    const c = decimalField(row.slice(c4 + 1, c5));
    const v = decimalField(row.slice(c5 + 1));
    if (o === null || h === null || lo === null || c === null || v === null) {
      return failure(l + 1, 'prices and volume must be non-negative decimals');
    }
    const fo = +o;
    const fh = +h;
    const fl = +lo;
    const fc = +c;
    // Float order is exact here (parsing rounds monotonically), ties are allowed anyway.
    if (!(fl <= fo && fl <= fc && fh >= fo && fh >= fc && fl > 0)) {
      return failure(l + 1, 'expected 0 < low ≤ open, close ≤ high');
    }
    candles.push({ openTime: time, open: o, high: h, low: lo, close: c, volume: v });
    open[n] = fo;
    high[n] = fh;
    low[n] = fl;
    close[n] = fc;
    volume[n] = +v;
    n++;
  }
  return {
    ok: true,
    series: {
      candles,
      open: open.subarray(0, n),
      high: high.subarray(0, n),
      low: low.subarray(0, n),
      close: close.subarray(0, n),
      volume: volume.subarray(0, n),
    },
  };
}

/**
 * The bar length: the smallest step between the first few hundred candles (gaps only make steps
 * longer). A one-candle series has no step; `fallback` stands in.
 */
export function barDurationMs(series: CandleSeries, fallback = 60_000): number {
  const { candles } = series;
  let best = Number.POSITIVE_INFINITY;
  const last = Math.min(candles.length, 500);
  for (let i = 1; i < last; i++) {
    const step = (candles[i]?.openTime ?? 0) - (candles[i - 1]?.openTime ?? 0);
    if (step > 0 && step < best) best = step;
  }
  return Number.isFinite(best) ? best : fallback;
}
