// Hand-made series for the conventions the reference libraries disagree on or never exercise: flat
// prices, zero volume, exact warm-up lengths, the rolling max/min deque, and a worked RSI example.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import * as I from '../../../../shared/core/indicators/index.js';
import { RollingExtreme } from '../../../../shared/core/indicators/index.js';

const N = 120;
const flat = new Float64Array(N).fill(100);
const rising = Float64Array.from({ length: N }, (_, i) => 100 + i);
const ones = new Float64Array(N).fill(1);
const zeros = new Float64Array(N);

function firstFinite(series: Float64Array): number {
  return series.findIndex(Number.isFinite);
}

function last(series: Float64Array): number {
  return series[series.length - 1] ?? Number.NaN;
}

describe('flat prices', () => {
  it('RSI reads 50 (no gain and no loss is neutral, where trading-signals says 100)', () => {
    expect(last(I.rsi(flat, 14))).toBe(50);
  });

  it('stochastic %K/%D read 50 and Williams %R −50 when the window has no range', () => {
    const s = I.stochastic(flat, flat, flat);
    expect(last(s.k)).toBe(50);
    expect(last(s.d)).toBe(50);
    expect(last(I.williamsR(flat, flat, flat))).toBe(-50);
    const sr = I.stochRsi(flat);
    expect(last(sr.k)).toBe(50);
  });

  it('CCI reads 0, ATR 0, ADX 0 with ±DI 0, Bollinger bands collapse onto the price', () => {
    expect(last(I.cci(flat, flat, flat))).toBe(0);
    expect(last(I.atr(flat, flat, flat))).toBe(0);
    const a = I.adx(flat, flat, flat);
    expect([last(a.adx), last(a.plusDi), last(a.minusDi)]).toEqual([0, 0, 0]);
    const b = I.bollinger(flat);
    expect([last(b.lower), last(b.middle), last(b.upper)]).toEqual([100, 100, 100]);
  });

  it('MFI reads 50 with no money flow either way, ROC and momentum 0', () => {
    expect(last(I.mfi(flat, flat, flat, ones))).toBe(50);
    expect(last(I.roc(flat))).toBe(0);
    expect(last(I.momentum(flat))).toBe(0);
  });
});

describe('one-way prices', () => {
  it('RSI reads 100 and MFI 100 when prices only rise', () => {
    expect(last(I.rsi(rising))).toBe(100);
    expect(last(I.mfi(rising, rising, rising, ones))).toBe(100);
  });

  it('SuperTrend turns up and its SAR stays below the lows in a steady rise', () => {
    const high = rising.map((x) => x + 0.5);
    const low = rising.map((x) => x - 0.5);
    expect(last(I.superTrend(high, low, rising).direction)).toBe(1);
    const sar = I.parabolicSar(high, low);
    for (let i = 1; i < N; i++) expect(sar[i]).toBeLessThan(low[i] ?? 0);
  });
});

describe('zero volume', () => {
  it('VWAP is NaN (no traded price), CMF 0 (no flow), MFI 50, OBV stays 0', () => {
    expect(Number.isNaN(last(I.vwap(rising, rising, rising, zeros, 10)))).toBe(true);
    expect(last(I.cmf(rising, rising, rising, zeros))).toBe(0);
    expect(last(I.mfi(rising, rising, rising, zeros))).toBe(50);
    expect(last(I.obv(rising, zeros))).toBe(0);
  });

  it('ROC is NaN when the price n bars ago was 0', () => {
    expect(Number.isNaN(I.roc(Float64Array.of(0, 1, 2), 2)[2] ?? 0)).toBe(true);
  });
});

describe('warm-up lengths (index of the first value), as documented', () => {
  const p = 10;
  const cases: [string, Float64Array, number][] = [
    ['sma', I.sma(rising, p), p - 1],
    ['ema', I.ema(rising, p), p - 1],
    ['wma', I.wma(rising, p), p - 1],
    ['dema', I.dema(rising, p), 2 * (p - 1)],
    ['tema', I.tema(rising, p), 3 * (p - 1)],
    ['hma', I.hma(rising, 16), 15 + 3],
    ['vwap', I.vwap(rising, rising, rising, ones, p), p - 1],
    ['rsi', I.rsi(rising, p), p],
    ['stochastic k', I.stochastic(rising, rising, rising, 14, 3, 3).k, 13 + 2],
    ['stochastic d', I.stochastic(rising, rising, rising, 14, 3, 3).d, 13 + 2 + 2],
    ['stochRsi k', I.stochRsi(rising, 14, 14, 3, 3).k, 14 + 13 + 2],
    ['stochRsi d', I.stochRsi(rising, 14, 14, 3, 3).d, 14 + 13 + 2 + 2],
    ['macd', I.macd(rising).macd, 25],
    ['macd signal', I.macd(rising).signal, 25 + 8],
    ['bollinger', I.bollinger(rising).middle, 19],
    ['keltner', I.keltner(rising, rising, rising).middle, 19],
    ['donchian', I.donchian(rising, rising).upper, 19],
    ['atr', I.atr(rising, rising, rising), 14],
    ['adx', I.adx(rising, rising, rising).adx, 27],
    ['plusDi', I.adx(rising, rising, rising).plusDi, 14],
    ['cci', I.cci(rising, rising, rising), 19],
    ['mfi', I.mfi(rising, rising, rising, ones), 14],
    ['obv', I.obv(rising, ones), 0],
    ['cmf', I.cmf(rising, rising, rising, ones), 19],
    ['williamsR', I.williamsR(rising, rising, rising), 13],
    ['roc', I.roc(rising), 12],
    ['momentum', I.momentum(rising), 10],
    ['superTrend', I.superTrend(rising, rising, rising).value, 10],
    ['parabolicSar', I.parabolicSar(rising, rising), 1],
    ['ichimoku conversion', I.ichimoku(rising, rising, rising).conversion, 8],
    ['ichimoku base', I.ichimoku(rising, rising, rising).base, 25],
    ['ichimoku spanA', I.ichimoku(rising, rising, rising).spanA, 25 + 26],
    ['ichimoku spanB', I.ichimoku(rising, rising, rising).spanB, 51 + 26],
  ];
  it.each(cases)('%s', (_name, series, warmUp) => {
    expect(firstFinite(series)).toBe(warmUp);
    expect(series.length).toBe(N);
  });

  it('an empty input gives empty outputs', () => {
    const empty = new Float64Array(0);
    expect(I.sma(empty, 3).length).toBe(0);
    expect(I.ichimoku(empty, empty, empty).spanB.length).toBe(0);
  });

  it('mismatched input lengths are rejected', () => {
    expect(() => I.atr(rising, rising, flat.subarray(1))).toThrow(RangeError);
  });
});

describe('Ichimoku spans at bar i are the values computed displacement bars before', () => {
  it('spanA[i] = (conversion[i − d] + base[i − d]) / 2', () => {
    const high = Float64Array.from({ length: N }, (_, i) => 100 + Math.sin(i / 5) * 10 + 1);
    const low = high.map((x) => x - 2);
    const v = I.ichimoku(high, low, high, 9, 26, 52, 26);
    for (let i = 51; i < N; i++) {
      expect(v.spanA[i]).toBe(((v.conversion[i - 26] ?? 0) + (v.base[i - 26] ?? 0)) / 2);
    }
  });
});

// Wilder's RSI on StockCharts' ChartSchool worked example (closes from its RSI table). Its sheet
// rounds the averages, publishing 70.53, 66.32, 66.55, 69.41, 66.36, 57.97; exact arithmetic gives
// first averages 3.34/14 and 1.40/14 (RS 2.3857, RSI 70.464), so the table is met to within 0.08.
describe('worked example', () => {
  it('RSI(14) of the ChartSchool series', () => {
    const closes = Float64Array.of(
      44.34,
      44.09,
      44.15,
      43.61,
      44.33,
      44.83,
      45.1,
      45.42,
      45.84,
      46.08,
      45.89,
      46.03,
      45.61,
      46.28,
      46.28,
      46.0,
      46.03,
      46.41,
      46.22,
      45.64,
    );
    const out = I.rsi(closes, 14);
    expect(out[13]).toBeNaN();
    expect(out[14]).toBeCloseTo(100 - 100 / (1 + 3.34 / 1.4), 9);
    const published = [70.53, 66.32, 66.55, 69.41, 66.36, 57.97];
    published.forEach((value, k) => {
      expect(Math.abs((out[14 + k] ?? 0) - value)).toBeLessThan(0.08);
    });
  });
});

describe('rolling max/min deque', () => {
  it('matches a naive max and min of the last `period` values', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: -5, max: 5 }), { maxLength: 200 }),
        fc.integer({ min: 1, max: 12 }),
        (values, period) => {
          const max = new RollingExtreme(period, 'max');
          const min = new RollingExtreme(period, 'min');
          values.forEach((v, i) => {
            const window = values.slice(Math.max(0, i - period + 1), i + 1);
            expect(max.push(v)).toBe(Math.max(...window));
            expect(min.push(v)).toBe(Math.min(...window));
          });
        },
      ),
    );
  });
});
