// Volatility and trend-strength indicators against reference libraries on 1,000 real BTC/USDT 5m
// bars: ATR, Bollinger, Keltner, Donchian, MACD and ADX, each with its warm-up and tolerance.
import * as ti from 'technicalindicators';
import * as ts from 'trading-signals';
import { describe, it } from 'vitest';
import { adx, atr, bollinger, donchian, keltner, macd } from '../../../../shared/core/indicators/index.js';
import { alignEnd, btc, candles, drive, expectClose, expectWarmUp } from './fixture.js';

const { high, low, close } = btc;
const n = btc.length;
const closes = Array.from(close);
const bars = candles(btc);
const hlc = { high: Array.from(high), low: Array.from(low), close: closes };

describe.each([5, 14, 20])('period %i', (period) => {
  // technicalindicators (as TA-Lib) has no true range on the first bar, like ours: exact match.
  it('ATR matches technicalindicators to 1e-12 from the first value', () => {
    const ours = atr(high, low, close, period);
    expectWarmUp(ours, period);
    expectClose(ours, alignEnd(ti.ATR.calculate({ ...hlc, period }), n), { from: period, rel: 1e-12 });
  });

  // trading-signals counts the first bar's high − low as a true range (Wilder's book), so its ATR
  // starts a bar earlier; the difference decays as ((n − 1)/n)^k, below 1e-12 by bar 500.
  it('ATR matches trading-signals (first bar counted) to 1e-9 once that has washed out', () => {
    expectClose(atr(high, low, close, period), drive(new ts.ATR(period), bars, Number), {
      from: 500,
      rel: 1e-9,
    });
  });

  it('Bollinger (population σ) matches trading-signals and technicalindicators to 1e-10', () => {
    for (const multiplier of [1, 2, 2.5]) {
      const ours = bollinger(close, period, multiplier);
      expectWarmUp(ours.middle, period - 1);
      const reference = () => new ts.BollingerBands(period, multiplier);
      for (const band of ['middle', 'upper', 'lower'] as const) {
        expectWarmUp(ours[band], period - 1);
        expectClose(
          ours[band],
          drive(reference(), closes, (r) => r[band]),
          { from: period - 1, rel: 1e-10 },
        );
        const tiBands = ti.BollingerBands.calculate({ period, stdDev: multiplier, values: closes });
        expectClose(
          ours[band],
          alignEnd(
            tiBands.map((r) => r[band]),
            n,
          ),
          { from: period - 1, rel: 1e-10 },
        );
      }
    }
  });

  it('Donchian matches trading-signals DonchianChannels exactly', () => {
    const ours = donchian(high, low, period);
    for (const band of ['upper', 'middle', 'lower'] as const) {
      expectWarmUp(ours[band], period - 1);
      expectClose(
        ours[band],
        drive(new ts.DonchianChannels(period), bars, (r) => r[band]),
        {
          from: period - 1,
          rel: 0,
        },
      );
    }
  });

  it('ADX, +DI and −DI match technicalindicators ADX to 1e-9 from the first values', () => {
    const ours = adx(high, low, close, period);
    expectWarmUp(ours.plusDi, period);
    expectWarmUp(ours.minusDi, period);
    expectWarmUp(ours.adx, 2 * period - 1);
    const expected = ti.ADX.calculate({ ...hlc, period });
    expectClose(
      ours.adx,
      alignEnd(
        expected.map((r) => r.adx),
        n,
      ),
      { from: 2 * period - 1, rel: 1e-9 },
    );
    expectClose(
      ours.plusDi,
      alignEnd(
        expected.map((r) => r.pdi),
        n,
      ),
      { from: 2 * period - 1, rel: 1e-9 },
    );
    expectClose(
      ours.minusDi,
      alignEnd(
        expected.map((r) => r.mdi),
        n,
      ),
      { from: 2 * period - 1, rel: 1e-9 },
    );
  });

  // trading-signals' DI divides by its ATR (first bar's high − low counted, a 0 DM on that bar), and
  // reports ±DI as fractions: ×100, compared after the seed has washed out.
  it('ADX matches trading-signals ADX to 1e-9 once its different seed has washed out', () => {
    const ours = adx(high, low, close, period);
    const reference = new ts.ADX(period);
    const plusDi = new Float64Array(n).fill(Number.NaN);
    const expected = Float64Array.from(bars, (bar, i) => {
      reference.add(bar);
      plusDi[i] = 100 * (reference.pdi ?? Number.NaN);
      return reference.isStable ? (reference.getResult() ?? Number.NaN) : Number.NaN;
    });
    expectClose(ours.adx, expected, { from: 700, rel: 1e-9 });
    expectClose(ours.plusDi, plusDi, { from: 700, rel: 1e-9 });
  });
});

describe.each([
  [20, 10, 2],
  [10, 14, 1.5],
])('Keltner %i/%i/%s', (emaPeriod, atrPeriod, multiplier) => {
  const warmUp = Math.max(emaPeriod - 1, atrPeriod);

  it('matches technicalindicators KeltnerChannels (EMA, SMA seed) to 1e-12', () => {
    const ours = keltner(high, low, close, emaPeriod, atrPeriod, multiplier);
    const expected = ti.KeltnerChannels.calculate({
      ...hlc,
      maPeriod: emaPeriod,
      atrPeriod,
      useSMA: false,
      multiplier,
    });
    for (const band of ['middle', 'upper', 'lower'] as const) {
      expectWarmUp(ours[band], warmUp);
      expectClose(
        ours[band],
        alignEnd(
          expected.map((r) => r[band]),
          n,
        ),
        { from: warmUp, rel: 1e-12 },
      );
    }
  });

  it('matches trading-signals KeltnerChannels to 1e-9 once its first-price EMA seed washed out', () => {
    const ours = keltner(high, low, close, emaPeriod, atrPeriod, multiplier);
    const reference = () =>
      new ts.KeltnerChannels({ atrInterval: atrPeriod, emaInterval: emaPeriod, multiplier });
    for (const band of ['middle', 'upper', 'lower'] as const) {
      expectClose(
        ours[band],
        drive(reference(), bars, (r) => r[band]),
        { from: 500, rel: 1e-9 },
      );
    }
  });
});

describe.each([
  [12, 26, 9],
  [5, 35, 5],
])('MACD %i/%i/%i', (fast, slow, signal) => {
  it('matches technicalindicators MACD (EMA lines, SMA seeds) to 1e-9 from the first values', () => {
    const ours = macd(close, fast, slow, signal);
    expectWarmUp(ours.macd, slow - 1);
    expectWarmUp(ours.signal, slow + signal - 2);
    expectWarmUp(ours.histogram, slow + signal - 2);
    const expected = ti.MACD.calculate({
      values: closes,
      fastPeriod: fast,
      slowPeriod: slow,
      signalPeriod: signal,
      SimpleMAOscillator: false,
      SimpleMASignal: false,
    });
    // MACD is a small difference of two large EMAs: 1e-9 of max(|value|, 1) in price units.
    const tolerance = { from: slow + signal - 2, rel: 1e-9 };
    expectClose(
      ours.macd,
      alignEnd(
        expected.map((r) => r.MACD),
        n,
      ),
      { ...tolerance, from: slow - 1 },
    );
    expectClose(
      ours.signal,
      alignEnd(
        expected.map((r) => r.signal),
        n,
      ),
      tolerance,
    );
    expectClose(
      ours.histogram,
      alignEnd(
        expected.map((r) => r.histogram),
        n,
      ),
      tolerance,
    );
  });

  it('matches trading-signals MACD (first-price EMA seeds) to 1e-6 once the seeds washed out', () => {
    const ours = macd(close, fast, slow, signal);
    const reference = () => new ts.MACD(new ts.EMA(fast), new ts.EMA(slow), new ts.EMA(signal));
    for (const line of ['macd', 'signal', 'histogram'] as const) {
      expectClose(
        ours[line],
        drive(reference(), closes, (r) => r[line]),
        { from: 600, rel: 1e-6 },
      );
    }
  });
});
