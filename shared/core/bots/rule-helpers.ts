// Small pure helpers the three rule bots share: a fixed-size window of the last closed bars, safe
// reads from float arrays, clamping and number formatting for the human-readable reasons.

// Every rule bot decides on exactly its lookback window (lastBars: views, no copy), so its answer
// depends on the same bars whether the caller hands it 400 or 4,000 of them, and a backtest over
// every prefix costs O(lookback) per bar, not O(prefix).
export { lastBars } from '../market/resample.js';

/** a[i], or NaN outside the array: every comparison with NaN is false, so a missing value never fires a rule. */
export function at(a: Float64Array, i: number): number {
  return a[i] ?? Number.NaN;
}

export function clamp01(x: number): number {
  if (Number.isNaN(x)) return 0;
  return Math.min(1, Math.max(0, x));
}

/** The confidence formula every rule bot uses: a fired rule is worth at least `floor`, the rest by strength. */
export function confidenceFrom(strengths: readonly number[], floor = 0.4): number {
  if (strengths.length === 0) return floor;
  const mean = strengths.reduce((sum, s) => sum + clamp01(s), 0) / strengths.length;
  return floor + (1 - floor) * mean;
}

/** A price or indicator value for a reason string: `digits` decimals, more below 100 so 4 significant digits show. */
export function fmt(x: number, digits = 2): string {
  return x.toFixed(
    Math.abs(x) >= 100 ? digits : Math.max(digits, 4 - Math.floor(Math.log10(Math.abs(x) || 1))),
  );
}

export function pct(fraction: number, digits = 2): string {
  return `${(fraction * 100).toFixed(digits)} %`;
}
