// Oscillators against reference libraries on 1,000 real BTC/USDT 5m bars: RSI, slow stochastic,
// stochastic RSI, Williams %R, CCI, ROC and momentum, each with its warm-up and a stated tolerance.
import * as ti from 'technicalindicators';
import * as ts from 'trading-signals';
import { describe, it } from 'vitest';
import {
  cci,
  momentum,
  roc,
  rsi,
  stochastic,
  stochRsi,
  williamsR,
} from '../../../../shared/core/indicators/index.js';
import { alignEnd, btc, candles, drive, expectClose, expectWarmUp } from './fixture.js';

const { high, low, close } = btc;
const n = btc.length;
const closes = Array.from(close);
const bars = candles(btc);
const hlc = { high: Array.from(high), low: Array.from(low), close: closes };

describe.each([2, 6, 14, 21])('RSI, period %i', (period) => {
  // Both use Wilder's smoothing seeded with the plain mean of the first `period` changes.
  it('matches trading-signals RSI (WSMA) to 1e-10 relative from the first value', () => {
    const ours = rsi(close, period);
    expectWarmUp(ours, period);
    expectClose(ours, drive(new ts.RSI(period), closes, Number), { from: period, rel: 1e-10 });
  });

  // technicalindicators rounds each RSI to 2 decimals: within 0.005 RSI points.
  it('matches technicalindicators RSI to its 2-decimal rounding', () => {
    const expected = alignEnd(ti.RSI.calculate({ period, values: closes }), n);
    expectClose(rsi(close, period), expected, { from: period, rel: 1e-12, abs: 0.005 + 1e-9 });
  });
});

describe.each([
  [14, 3, 3],
  [5, 3, 3],
  [9, 1, 3],
])('stochastic %i/%i/%i', (kPeriod, kSmoothing, dPeriod) => {
  const kWarmUp = kPeriod - 1 + kSmoothing - 1;
  const dWarmUp = kWarmUp + dPeriod - 1;

  it('matches trading-signals StochasticOscillator (%K and %D) to 1e-12', () => {
    const ours = stochastic(high, low, close, kPeriod, kSmoothing, dPeriod);
    expectWarmUp(ours.k, kWarmUp);
    expectWarmUp(ours.d, dWarmUp);
    const reference = () => new ts.StochasticOscillator({ kPeriod, kSlowingPeriod: kSmoothing, dPeriod });
    expectClose(
      ours.k,
      drive(reference(), bars, (r) => r.stochK),
      { from: dWarmUp, rel: 1e-12 },
    );
    expectClose(
      ours.d,
      drive(reference(), bars, (r) => r.stochD),
      { from: dWarmUp, rel: 1e-12 },
    );
  });

  // technicalindicators' Stochastic is the fast one (raw %K, %D = SMA of it): ours with kSmoothing 1.
  it('with kSmoothing 1 matches technicalindicators fast Stochastic to 1e-12', () => {
    const ours = stochastic(high, low, close, kPeriod, 1, dPeriod);
    const expected = ti.Stochastic.calculate({ ...hlc, period: kPeriod, signalPeriod: dPeriod });
    expectClose(
      ours.k,
      alignEnd(
        expected.map((r) => r.k),
        n,
      ),
      { from: kPeriod - 1, rel: 1e-12 },
    );
    expectClose(
      ours.d,
      alignEnd(
        expected.map((r) => r.d),
        n,
      ),
      { from: kPeriod + dPeriod - 2, rel: 1e-12 },
    );
  });
});

describe.each([
  [14, 14, 3, 3],
  [7, 10, 3, 5],
])('stochastic RSI %i/%i/%i/%i', (rsiPeriod, stochPeriod, kSmoothing, dPeriod) => {
  // trading-signals' StochasticRSI gives the raw value on 0..1 (its own k/d smoothing skips a k of
  // exactly 0), so the reference is its raw value × 100 smoothed by trading-signals SMAs.
  it('matches trading-signals StochasticRSI ×100, SMA-smoothed, to 1e-10', () => {
    const raw = drive(new ts.StochasticRSI(rsiPeriod), closes, (r) => 100 * r);
    const kRef = drive(new ts.SMA(kSmoothing), Array.from(raw.filter(Number.isFinite)), Number);
    const k = alignEnd(kRef, n);
    const dRef = drive(new ts.SMA(dPeriod), Array.from(kRef.filter(Number.isFinite)), Number);
    const d = alignEnd(dRef, n);
    // The reference takes its own stochastic window from the RSI period; ours is separate.
    const ours = stochRsi(close, rsiPeriod, rsiPeriod, kSmoothing, dPeriod);
    const kWarmUp = rsiPeriod + rsiPeriod - 1 + kSmoothing - 1;
    expectWarmUp(ours.k, kWarmUp);
    expectWarmUp(ours.d, kWarmUp + dPeriod - 1);
    expectClose(ours.k, k, { from: kWarmUp, rel: 1e-10 });
    expectClose(ours.d, d, { from: kWarmUp + dPeriod - 1, rel: 1e-10 });
    const separate = stochRsi(close, rsiPeriod, stochPeriod, kSmoothing, dPeriod);
    expectWarmUp(separate.k, rsiPeriod + stochPeriod - 1 + kSmoothing - 1);
  });
});

describe.each([5, 14, 20])('period %i', (period) => {
  it('Williams %R matches trading-signals and technicalindicators to 1e-12', () => {
    const ours = williamsR(high, low, close, period);
    expectWarmUp(ours, period - 1);
    expectClose(ours, drive(new ts.WilliamsR(period), bars, Number), { from: period - 1, rel: 1e-12 });
    const expected = alignEnd(ti.WilliamsR.calculate({ ...hlc, period }), n);
    expectClose(ours, expected, { from: period - 1, rel: 1e-12 });
  });

  it('CCI matches trading-signals and technicalindicators to 1e-9', () => {
    const ours = cci(high, low, close, period);
    expectWarmUp(ours, period - 1);
    expectClose(ours, drive(new ts.CCI(period), bars, Number), { from: period - 1, rel: 1e-9 });
    expectClose(ours, alignEnd(ti.CCI.calculate({ ...hlc, period }), n), { from: period - 1, rel: 1e-9 });
  });

  it('ROC (percent) matches trading-signals ROC × 100 and technicalindicators ROC to 1e-12', () => {
    const ours = roc(close, period);
    expectWarmUp(ours, period);
    expectClose(
      ours,
      drive(new ts.ROC(period), closes, (r) => 100 * r),
      { from: period, rel: 1e-12 },
    );
    expectClose(ours, alignEnd(ti.ROC.calculate({ period, values: closes }), n), {
      from: period,
      rel: 1e-12,
    });
  });

  it('momentum matches trading-signals MOM exactly', () => {
    const ours = momentum(close, period);
    expectWarmUp(ours, period);
    expectClose(ours, drive(new ts.MOM(period), closes, Number), { from: period, rel: 0 });
  });
});
