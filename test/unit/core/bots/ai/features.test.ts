// The AI bot's features: exact values on a crafted ramp, the live path equal to the batch path at
// the last bar, and no look-ahead (appending bars never changes an earlier row).
import { describe, expect, it } from 'vitest';
import {
  FEATURE_COUNT,
  FEATURE_NAMES,
  FEATURE_WINDOW,
  type FeatureName,
  featureMatrix,
  liveFeatures,
  rowIsComplete,
} from '../../../../../shared/core/bots/ai/features.js';
import { barsUpTo } from '../../../../../shared/core/bots/bot-types.js';
import { barsFromCloses, btcSeries } from './ai-fixture.js';

const column = (name: FeatureName) => FEATURE_NAMES.indexOf(name);

describe('AI features', () => {
  it('has at least 15 distinct, named features', () => {
    expect(FEATURE_COUNT).toBeGreaterThanOrEqual(15);
    expect(new Set(FEATURE_NAMES).size).toBe(FEATURE_COUNT);
  });

  it('reads a steady 0.1 % per bar climb exactly: returns, RSI 100, %K at the top, full money flow', () => {
    const step = 1.001;
    const closes = Array.from({ length: 300 }, (_, i) => 100 * step ** i);
    const m = featureMatrix(barsFromCloses(closes)); // each bar: open = previous close, high = close, low = open
    const last = m.rows - 1;
    const at = (name: FeatureName) => m.values[last * m.width + column(name)] ?? Number.NaN;
    expect(rowIsComplete(m, last)).toBe(true);
    const r = Math.log(step);
    expect(at('ret1')).toBeCloseTo(r, 12);
    expect(at('ret3')).toBeCloseTo(3 * r, 12);
    expect(at('ret6')).toBeCloseTo(6 * r, 12);
    expect(at('ret12')).toBeCloseTo(12 * r, 12);
    expect(at('ret24')).toBeCloseTo(24 * r, 12);
    expect(at('roc96')).toBeCloseTo(step ** 96 - 1, 10);
    expect(at('rsi14')).toBeCloseTo(1, 12);
    expect(at('stochK')).toBeCloseTo(1, 12);
    expect(at('stochKMinusD')).toBeCloseTo(0, 12);
    expect(at('williamsR14')).toBeCloseTo(0, 12);
    expect(at('mfi14')).toBeCloseTo(1, 12);
    expect(at('cmf20')).toBeCloseTo(1, 12);
    expect(at('adx14')).toBeCloseTo(1, 9);
    expect(at('diSpread')).toBeGreaterThan(0.5);
    expect(at('volumeZ20')).toBe(0); // constant volume: exactly average
    expect(at('body')).toBeCloseTo(1, 12);
    expect(at('upperWick')).toBeCloseTo(0, 12);
    expect(at('lowerWick')).toBeCloseTo(0, 12);
    // True range = 0.1 % of the previous close, growing 0.1 % a bar; Wilder's average of that
    // geometric series is TR / (14 − 13 / 1.001).
    expect(at('atrPct')).toBeCloseTo(0.001 / step / (14 - 13 / step), 12);
    expect(at('emaDist20')).toBeGreaterThan(0);
    expect(at('emaDist50')).toBeGreaterThan(at('emaDist20'));
    expect(at('macdHistPct')).toBeGreaterThan(0); // the MACD line grows with price: its signal lags below
    expect(at('bbPercentB')).toBeGreaterThan(0.8);
  });

  it('mirrors on a steady decline: RSI 0, %K at the bottom, negative returns and DI spread', () => {
    const closes = Array.from({ length: 300 }, (_, i) => 100 * 0.999 ** i);
    const m = featureMatrix(barsFromCloses(closes, 0.0002));
    const row = (name: FeatureName) => m.values[(m.rows - 1) * m.width + column(name)] ?? Number.NaN;
    expect(row('ret12')).toBeCloseTo(12 * Math.log(0.999), 12);
    expect(row('rsi14')).toBeCloseTo(0, 12);
    expect(row('stochK')).toBeLessThan(0.1);
    expect(row('williamsR14')).toBeLessThan(-0.9);
    expect(row('diSpread')).toBeLessThan(-0.5);
    expect(row('emaDist20')).toBeLessThan(0);
    expect(row('body')).toBeLessThan(0);
  });

  it('gives the live features of the last bar equal to the batch row over the whole history', () => {
    const s = btcSeries();
    const batch = featureMatrix(s);
    for (const end of [300, FEATURE_WINDOW, 700, 1234, s.length]) {
      const live = liveFeatures(barsUpTo(s, end));
      expect(live, `bar ${end - 1}`).not.toBeNull();
      const row = batch.values.subarray((end - 1) * batch.width, end * batch.width);
      live?.values.forEach((v, j) => {
        // Shorter than the window: the very same computation. Longer: the EMA seeds have decayed.
        if (end <= FEATURE_WINDOW) expect(v, `${FEATURE_NAMES[j]} at ${end - 1}`).toBe(row[j]);
        else expect(Math.abs(v - (row[j] ?? 0)), `${FEATURE_NAMES[j]} at ${end - 1}`).toBeLessThan(1e-9);
      });
      expect(live?.atr).toBeCloseTo(batch.atr[end - 1] ?? 0, 6);
      expect(live?.close).toBe(s.close[end - 1]);
    }
  });

  it('never looks ahead: the rows of a prefix are those of the full series, bit for bit', () => {
    const s = btcSeries();
    const full = featureMatrix(s);
    for (const end of [50, 400, 1500]) {
      const prefix = featureMatrix(barsUpTo(s, end));
      expect(Array.from(prefix.values)).toEqual(Array.from(full.values.subarray(0, end * full.width)));
    }
  });

  it('is warmed up well within the live window, and says null before', () => {
    const s = btcSeries();
    const m = featureMatrix(s);
    let first = 0;
    while (!rowIsComplete(m, first)) first++;
    expect(first).toBeGreaterThan(50); // ROC over 96 bars needs 97 closes
    expect(first).toBeLessThan(FEATURE_WINDOW / 4);
    expect(liveFeatures(barsUpTo(s, first))).toBeNull();
    expect(liveFeatures(barsUpTo(s, first + 1))).not.toBeNull();
    expect(liveFeatures(barsUpTo(s, 0))).toBeNull();
  });
});
