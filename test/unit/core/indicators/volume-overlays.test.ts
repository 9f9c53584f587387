// Volume indicators and trend overlays against reference libraries on 1,000 real BTC/USDT 5m bars:
// OBV, CMF, MFI, SuperTrend, parabolic SAR and Ichimoku, each with its warm-up and tolerance.
import * as ti from 'technicalindicators';
import * as ts from 'trading-signals';
import { describe, expect, it } from 'vitest';
import {
  cmf,
  ichimoku,
  mfi,
  obv,
  parabolicSar,
  superTrend,
} from '../../../../shared/core/indicators/index.js';
import { alignEnd, btc, candles, drive, expectClose, expectWarmUp } from './fixture.js';

const { high, low, close, volume } = btc;
const n = btc.length;
const closes = Array.from(close);
const bars = candles(btc);

describe('OBV', () => {
  // Ours starts at 0 on bar 0; both references start their running total on bar 1.
  it('matches trading-signals OBV and technicalindicators OBV to 1e-12 from bar 1', () => {
    const ours = obv(close, volume);
    expect(ours[0]).toBe(0);
    expectWarmUp(ours, 0);
    expectClose(ours, drive(new ts.OBV(2), bars, Number), { from: 1, rel: 1e-12 });
    const expected = ti.OBV.calculate({ close: closes, volume: Array.from(volume) });
    expectClose(ours, alignEnd(expected, n), { from: 1, rel: 1e-12 });
  });
});

describe.each([5, 14, 20])('period %i', (period) => {
  // CMF is on −1..1: running sums (ours) against re-summed windows (theirs), 1e-10 absolute.
  it('CMF matches trading-signals CMF to 1e-10', () => {
    const ours = cmf(high, low, close, volume, period);
    expectWarmUp(ours, period - 1);
    expectClose(ours, drive(new ts.CMF(period), bars, Number), { from: period - 1, rel: 1e-10 });
  });

  // Both count a bar whose typical price is unchanged as neither positive nor negative flow.
  it('MFI matches trading-signals MFI to 1e-9', () => {
    const ours = mfi(high, low, close, volume, period);
    expectWarmUp(ours, period);
    expectClose(ours, drive(new ts.MFI(period), bars, Number), { from: period, rel: 1e-9 });
  });
});

describe.each([
  [10, 3],
  [7, 2],
  [14, 1.5],
])('SuperTrend %i × %s', (period, multiplier) => {
  // Same bands and flip rules as trading-signals; its ATR counts the first bar's high − low, so the
  // band levels agree once that seed has decayed and the trend has flipped (re-anchoring the bands).
  it('matches trading-signals SuperTrend (value and direction) to 1e-9 after the ATR seed washed out', () => {
    const ours = superTrend(high, low, close, period, multiplier);
    expectWarmUp(ours.value, period);
    expectWarmUp(ours.direction, period);
    const reference = () => new ts.SuperTrend({ interval: period, multiplier });
    expectClose(
      ours.value,
      drive(reference(), bars, (r) => r.supertrend),
      { from: 500, rel: 1e-9 },
    );
    const direction = drive(reference(), bars, (r) => (r.trend === ts.TradingSignal.BULLISH ? 1 : -1));
    expectClose(ours.direction, direction, { from: 500, rel: 0 });
  });

  it('has direction ±1, the value below the close in an up trend and above it in a down trend', () => {
    const ours = superTrend(high, low, close, period, multiplier);
    for (let i = period; i < n; i++) {
      const direction = ours.direction[i] ?? 0;
      expect(Math.abs(direction)).toBe(1);
      if (direction === 1) expect(ours.value[i]).toBeLessThanOrEqual(close[i] ?? 0);
      else expect(ours.value[i]).toBeGreaterThanOrEqual(close[i] ?? 0);
    }
  });
});

describe.each([
  [0.02, 0.2],
  [0.01, 0.1],
  [0.04, 0.4],
])('parabolic SAR %s / %s', (step, maxStep) => {
  // technicalindicators also starts in an up trend from bar 0; it reports bar 0's low as a SAR for
  // bar 0, which ours leaves as the one-bar warm-up (NaN).
  it('matches technicalindicators PSAR to 1e-12 from bar 1', () => {
    const ours = parabolicSar(high, low, step, maxStep);
    expectWarmUp(ours, 1);
    const expected = ti.PSAR.calculate({ high: Array.from(high), low: Array.from(low), step, max: maxStep });
    expectClose(ours, alignEnd(expected, n), { from: 1, rel: 1e-12 });
  });
});

describe.each([
  [9, 26, 52, 26],
  [7, 22, 44, 22],
  [9, 26, 52, 0],
])('Ichimoku %i/%i/%i, displacement %i', (conversion, base, spanB, displacement) => {
  // trading-signals' IchimokuCloud reports undisplaced spans (and only once the longest window is
  // full): its span at bar i − displacement is ours at bar i.
  it('matches trading-signals IchimokuCloud, spans shifted by the displacement, exactly', () => {
    const ours = ichimoku(high, low, close, conversion, base, spanB, displacement);
    expectWarmUp(ours.conversion, conversion - 1);
    expectWarmUp(ours.base, base - 1);
    expectWarmUp(ours.spanA, base - 1 + displacement);
    expectWarmUp(ours.spanB, spanB - 1 + displacement);
    const reference = () =>
      new ts.IchimokuCloud({ baseInterval: base, conversionInterval: conversion, spanBInterval: spanB });
    const shift = (values: Float64Array) => alignEnd(values.subarray(0, n - displacement), n);
    const longest = Math.max(conversion, base, spanB) - 1;
    expectClose(
      ours.conversion,
      drive(reference(), bars, (r) => r.conversion),
      { from: longest, rel: 0 },
    );
    expectClose(
      ours.base,
      drive(reference(), bars, (r) => r.base),
      { from: longest, rel: 0 },
    );
    expectClose(ours.spanA, shift(drive(reference(), bars, (r) => r.spanA)), {
      from: longest + displacement,
      rel: 0,
    });
    expectClose(ours.spanB, shift(drive(reference(), bars, (r) => r.spanB)), {
      from: longest + displacement,
      rel: 0,
    });
  });
});
