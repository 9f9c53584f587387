// Every indicator in one table for the property tests: how to run its batch function and how to
// drive its streaming class bar by bar, both returning the same list of output series.
import * as I from '../../../../shared/core/indicators/index.js';
import type { Bars } from './fixture.js';

export interface Bar {
  high: number;
  low: number;
  close: number;
  volume: number;
}

export interface IndicatorCase {
  name: string;
  batch(bars: Bars, p: number): Float64Array[];
  /** A fresh streaming instance as a function of one bar → its outputs. */
  stream(p: number): (bar: Bar) => number[];
}

const hlc = (b: Bars): [Float64Array, Float64Array, Float64Array] => [b.high, b.low, b.close];
const bands = (v: { middle: number; upper: number; lower: number }) => [v.middle, v.upper, v.lower];
const bandsSeries = (v: { middle: Float64Array; upper: Float64Array; lower: Float64Array }) => [
  v.middle,
  v.upper,
  v.lower,
];

/** `p` is a small base period (2..20); indicators with several periods derive theirs from it. */
export const INDICATORS: IndicatorCase[] = [
  { name: 'sma', batch: (b, p) => [I.sma(b.close, p)], stream: (p) => single(new I.Sma(p)) },
  { name: 'ema', batch: (b, p) => [I.ema(b.close, p)], stream: (p) => single(new I.Ema(p)) },
  { name: 'wma', batch: (b, p) => [I.wma(b.close, p)], stream: (p) => single(new I.Wma(p)) },
  { name: 'dema', batch: (b, p) => [I.dema(b.close, p)], stream: (p) => single(new I.Dema(p)) },
  { name: 'tema', batch: (b, p) => [I.tema(b.close, p)], stream: (p) => single(new I.Tema(p)) },
  { name: 'hma', batch: (b, p) => [I.hma(b.close, p)], stream: (p) => single(new I.Hma(p)) },
  {
    name: 'vwap',
    batch: (b, p) => [I.vwap(b.high, b.low, b.close, b.volume, p)],
    stream: (p) => {
      const s = new I.Vwap(p);
      return (x) => [s.update(x.high, x.low, x.close, x.volume)];
    },
  },
  { name: 'rsi', batch: (b, p) => [I.rsi(b.close, p)], stream: (p) => single(new I.Rsi(p)) },
  {
    name: 'stochastic',
    batch: (b, p) => {
      const v = I.stochastic(...hlc(b), p, 3, 3);
      return [v.k, v.d];
    },
    stream: (p) => {
      const s = new I.Stochastic(p, 3, 3);
      return (x) => {
        const v = s.update(x.high, x.low, x.close);
        return [v.k, v.d];
      };
    },
  },
  {
    name: 'stochRsi',
    batch: (b, p) => {
      const v = I.stochRsi(b.close, p, p + 1, 3, 2);
      return [v.k, v.d];
    },
    stream: (p) => {
      const s = new I.StochRsi(p, p + 1, 3, 2);
      return (x) => {
        const v = s.update(x.close);
        return [v.k, v.d];
      };
    },
  },
  {
    name: 'macd',
    batch: (b, p) => {
      const v = I.macd(b.close, p, 2 * p, 3);
      return [v.macd, v.signal, v.histogram];
    },
    stream: (p) => {
      const s = new I.Macd(p, 2 * p, 3);
      return (x) => {
        const v = s.update(x.close);
        return [v.macd, v.signal, v.histogram];
      };
    },
  },
  {
    name: 'bollinger',
    batch: (b, p) => bandsSeries(I.bollinger(b.close, p, 2)),
    stream: (p) => {
      const s = new I.Bollinger(p, 2);
      return (x) => bands(s.update(x.close));
    },
  },
  {
    name: 'keltner',
    batch: (b, p) => bandsSeries(I.keltner(...hlc(b), p, p + 2, 2)),
    stream: (p) => {
      const s = new I.Keltner(p, p + 2, 2);
      return (x) => bands(s.update(x.high, x.low, x.close));
    },
  },
  {
    name: 'donchian',
    batch: (b, p) => bandsSeries(I.donchian(b.high, b.low, p)),
    stream: (p) => {
      const s = new I.Donchian(p);
      return (x) => bands(s.update(x.high, x.low));
    },
  },
  { name: 'atr', batch: (b, p) => [I.atr(...hlc(b), p)], stream: (p) => triple(new I.Atr(p)) },
  {
    name: 'adx',
    batch: (b, p) => {
      const v = I.adx(...hlc(b), p);
      return [v.adx, v.plusDi, v.minusDi];
    },
    stream: (p) => {
      const s = new I.Adx(p);
      return (x) => {
        const v = s.update(x.high, x.low, x.close);
        return [v.adx, v.plusDi, v.minusDi];
      };
    },
  },
  { name: 'cci', batch: (b, p) => [I.cci(...hlc(b), p)], stream: (p) => triple(new I.Cci(p)) },
  {
    name: 'mfi',
    batch: (b, p) => [I.mfi(b.high, b.low, b.close, b.volume, p)],
    stream: (p) => {
      const s = new I.Mfi(p);
      return (x) => [s.update(x.high, x.low, x.close, x.volume)];
    },
  },
  {
    name: 'obv',
    batch: (b) => [I.obv(b.close, b.volume)],
    stream: () => {
      const s = new I.Obv();
      return (x) => [s.update(x.close, x.volume)];
    },
  },
  {
    name: 'cmf',
    batch: (b, p) => [I.cmf(b.high, b.low, b.close, b.volume, p)],
    stream: (p) => {
      const s = new I.Cmf(p);
      return (x) => [s.update(x.high, x.low, x.close, x.volume)];
    },
  },
  {
    name: 'williamsR',
    batch: (b, p) => [I.williamsR(...hlc(b), p)],
    stream: (p) => triple(new I.WilliamsR(p)),
  },
  { name: 'roc', batch: (b, p) => [I.roc(b.close, p)], stream: (p) => single(new I.Roc(p)) },
  { name: 'momentum', batch: (b, p) => [I.momentum(b.close, p)], stream: (p) => single(new I.Momentum(p)) },
  {
    name: 'superTrend',
    batch: (b, p) => {
      const v = I.superTrend(...hlc(b), p, 3);
      return [v.value, v.direction];
    },
    stream: (p) => {
      const s = new I.SuperTrend(p, 3);
      return (x) => {
        const v = s.update(x.high, x.low, x.close);
        return [v.value, v.direction];
      };
    },
  },
  {
    name: 'parabolicSar',
    batch: (b) => [I.parabolicSar(b.high, b.low)],
    stream: () => {
      const s = new I.ParabolicSar();
      return (x) => [s.update(x.high, x.low)];
    },
  },
  {
    name: 'ichimoku',
    batch: (b, p) => {
      const v = I.ichimoku(...hlc(b), p, 2 * p, 3 * p, p);
      return [v.conversion, v.base, v.spanA, v.spanB];
    },
    stream: (p) => {
      const s = new I.Ichimoku(p, 2 * p, 3 * p, p);
      return (x) => {
        const v = s.update(x.high, x.low);
        return [v.conversion, v.base, v.spanA, v.spanB];
      };
    },
  },
];

function single(s: { update(value: number): number }): (bar: Bar) => number[] {
  return (x) => [s.update(x.close)];
}

function triple(s: { update(high: number, low: number, close: number): number }): (bar: Bar) => number[] {
  return (x) => [s.update(x.high, x.low, x.close)];
}
