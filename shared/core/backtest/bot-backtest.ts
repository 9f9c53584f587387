// One house bot over one symbol's series, on the held-out last part only: the replay (deals, equity,
// metrics, buy-and-hold) starts at the holdout's first bar, while the strategy's warm-up may read
// the bars just before it. Each deal is a base order alone with the idea's own take-profit and stop.
import {
  type BarSeries,
  type BotName,
  type BotStrategy,
  HOLDOUT_FRACTION,
  TIMEFRAME_MS,
} from '../bots/bot-types.js';
import { type DcaParameters, dcaParametersSchema } from '../dca/params.js';
import type { DcaMarketRules } from '../dca/plan.js';
import type { DecimalString } from '../money/decimal.js';
import type { CandleSeries } from '../paper/candle-series.js';
import type { PaperFeeModel } from '../paper/matching.js';
import {
  BOT_COOLDOWN_SECONDS,
  type BotSourceStats,
  barSeriesOfCandles,
  botSignalSource,
} from './bot-signal-source.js';
import { type BacktestResult, runBacktest } from './run-backtest.js';

/** First bar of the held-out part: the last ⌊length × fraction⌋ bars are the holdout. */
export function holdoutStartIndex(length: number, fraction = HOLDOUT_FRACTION): number {
  return length - Math.floor(length * fraction);
}

/** Bars from `start` on, as views (the candle objects are shared, not copied). */
export function candlesFrom(series: CandleSeries, start: number): CandleSeries {
  return {
    candles: series.candles.slice(start),
    open: series.open.subarray(start),
    high: series.high.subarray(start),
    low: series.low.subarray(start),
    close: series.close.subarray(start),
    volume: series.volume.subarray(start),
  };
}

/**
 * A bot's deal: the base order only (a signal is one entry, not a ladder), the bot's cooldown
 * between deals; take-profit and stop are placeholders every deal replaces with its idea's.
 */
export function botDealParams(bot: BotName, baseOrderQuote: DecimalString): DcaParameters {
  return dcaParametersSchema.parse({
    side: 'long',
    baseOrderQuote,
    maxSafetyOrders: 0,
    takeProfitPercent: '1',
    stopLossPercent: '1',
    cooldownSeconds: BOT_COOLDOWN_SECONDS[bot],
  });
}

export interface BotBacktestOptions {
  readonly strategy: BotStrategy;
  /** "BASE/QUOTE". */
  readonly symbol: string;
  /** The whole primary series (the strategy's timeframe). */
  readonly series: CandleSeries;
  /** The whole higher-timeframe series, when the strategy declares one. */
  readonly higher?: BarSeries;
  readonly rules: DcaMarketRules;
  readonly fees: PaperFeeModel;
  readonly initialQuote: DecimalString;
  /** What each deal buys, in quote. */
  readonly baseOrderQuote: DecimalString;
  readonly holdoutFraction?: number;
  readonly participationRate?: DecimalString | null;
  readonly onProgress?: (barsDone: number, bars: number) => void;
}

export interface BotBacktestResult {
  readonly result: BacktestResult;
  readonly stats: BotSourceStats;
  readonly holdout: {
    readonly startIndex: number;
    readonly bars: number;
    /** Open time of the first held-out bar (epoch ms). */
    readonly fromMs: number;
    /** Close time of the last bar (epoch ms). */
    readonly toMs: number;
  };
}

export function runBotBacktest(options: BotBacktestOptions): BotBacktestResult {
  const { strategy, series } = options;
  const n = series.candles.length;
  const startIndex = holdoutStartIndex(n, options.holdoutFraction);
  const barMs = TIMEFRAME_MS[strategy.timeframe];
  const source = botSignalSource({
    strategy,
    symbol: options.symbol,
    primary: barSeriesOfCandles(series),
    ...(options.higher === undefined ? {} : { higher: options.higher }),
    offset: startIndex,
  });
  const result = runBacktest({
    symbol: options.symbol,
    series: candlesFrom(series, startIndex),
    signal: source,
    params: botDealParams(strategy.name, options.baseOrderQuote),
    rules: options.rules,
    fees: options.fees,
    initialQuote: options.initialQuote,
    barMs,
    ...(options.participationRate === undefined ? {} : { participationRate: options.participationRate }),
    ...(options.onProgress === undefined ? {} : { onProgress: options.onProgress }),
  });
  return {
    result,
    stats: source.stats,
    holdout: {
      startIndex,
      bars: n - startIndex,
      fromMs: series.candles[startIndex]?.openTime ?? 0,
      toMs: (series.candles[n - 1]?.openTime ?? 0) + barMs,
    },
  };
}
