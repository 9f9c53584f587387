// Indicator throughput: bars per second through each batch indicator function, over 50 symbols ×
// 500 bars (a bot scan: many short series) and over one series of 100,000 bars (a backtest), on
// synthetic OHLCV from the seeded random walk, so every run measures the same data. Each figure is
// the median of `runs` timed runs after one untimed warm-up run. Print with printIndicators().
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import * as I from '../shared/core/indicators/index.js';
import { mulberry32 } from './seeded-random.js';

interface Series {
  high: Float64Array;
  low: Float64Array;
  close: Float64Array;
  volume: Float64Array;
}

/** A random walk of `count` bars: ~0.1 % moves, intrabar range around the close, volume 1..41. */
export function syntheticSeries(count: number, seed: number, startPrice = 30_000): Series {
  const random = mulberry32(seed);
  const out: Series = {
    high: new Float64Array(count),
    low: new Float64Array(count),
    close: new Float64Array(count),
    volume: new Float64Array(count),
  };
  let price = startPrice;
  for (let i = 0; i < count; i++) {
    price *= 1 + (random() - 0.5) * 0.002;
    out.close[i] = price;
    out.high[i] = price * (1 + random() * 0.001);
    out.low[i] = price * (1 - random() * 0.001);
    out.volume[i] = 1 + random() * 40;
  }
  return out;
}

/** Each indicator at its default settings (14 for those that take only a period). */
const INDICATORS: Record<string, (s: Series) => unknown> = {
  sma: (s) => I.sma(s.close, 20),
  ema: (s) => I.ema(s.close, 20),
  wma: (s) => I.wma(s.close, 20),
  dema: (s) => I.dema(s.close, 20),
  tema: (s) => I.tema(s.close, 20),
  hma: (s) => I.hma(s.close, 20),
  vwap: (s) => I.vwap(s.high, s.low, s.close, s.volume, 20),
  rsi: (s) => I.rsi(s.close),
  stochastic: (s) => I.stochastic(s.high, s.low, s.close),
  stochRsi: (s) => I.stochRsi(s.close),
  macd: (s) => I.macd(s.close),
  bollinger: (s) => I.bollinger(s.close),
  keltner: (s) => I.keltner(s.high, s.low, s.close),
  donchian: (s) => I.donchian(s.high, s.low),
  atr: (s) => I.atr(s.high, s.low, s.close),
  adx: (s) => I.adx(s.high, s.low, s.close),
  cci: (s) => I.cci(s.high, s.low, s.close),
  mfi: (s) => I.mfi(s.high, s.low, s.close, s.volume),
  obv: (s) => I.obv(s.close, s.volume),
  cmf: (s) => I.cmf(s.high, s.low, s.close, s.volume),
  williamsR: (s) => I.williamsR(s.high, s.low, s.close),
  roc: (s) => I.roc(s.close),
  momentum: (s) => I.momentum(s.close),
  superTrend: (s) => I.superTrend(s.high, s.low, s.close),
  parabolicSar: (s) => I.parabolicSar(s.high, s.low),
  ichimoku: (s) => I.ichimoku(s.high, s.low, s.close),
};

export interface IndicatorBenchFigure {
  /** Bars per second over 50 symbols × 500 bars (each symbol a fresh batch call). */
  readonly manySymbolsBarsPerSecond: number;
  /** Bars per second over one series of 100,000 bars. */
  readonly longSeriesBarsPerSecond: number;
}

function medianBarsPerSecond(run: () => void, bars: number, runs: number): number {
  run(); // warm-up: let the JIT settle before timing
  const rates: number[] = [];
  for (let r = 0; r < runs; r++) {
    const started = performance.now();
    run();
    rates.push(bars / ((performance.now() - started) / 1000));
  }
  rates.sort((a, b) => a - b);
  return Math.round(rates[Math.floor(rates.length / 2)] ?? 0);
}

/** name → bars per second for both shapes of workload. */
export function benchIndicators(
  options: { symbols?: number; barsPerSymbol?: number; longBars?: number; runs?: number } = {},
): Record<string, IndicatorBenchFigure> {
  const { symbols = 50, barsPerSymbol = 500, longBars = 100_000, runs = 5 } = options;
  const many = Array.from({ length: symbols }, (_, k) => syntheticSeries(barsPerSymbol, 1000 + k));
  const long = syntheticSeries(longBars, 7);
  const figures: Record<string, IndicatorBenchFigure> = {};
  for (const [name, indicator] of Object.entries(INDICATORS)) {
    figures[name] = {
      manySymbolsBarsPerSecond: medianBarsPerSecond(
        () => {
          for (const series of many) indicator(series);
        },
        symbols * barsPerSymbol,
        runs,
      ),
      longSeriesBarsPerSecond: medianBarsPerSecond(() => indicator(long), longBars, runs),
    };
  }
  return figures;
}

export function printIndicators(figures = benchIndicators()): void {
  console.log('indicator        50×500 bars   100k bars   (M bars/s, median of 5 after a warm-up)');
  for (const [name, f] of Object.entries(figures)) {
    const many = (f.manySymbolsBarsPerSecond / 1e6).toFixed(1);
    const long = (f.longSeriesBarsPerSecond / 1e6).toFixed(1);
    console.log(`${name.padEnd(16)} ${many.padStart(11)} ${long.padStart(11)}`);
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) printIndicators();
