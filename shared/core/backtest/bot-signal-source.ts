// A house bot (BotStrategy) as the backtester's signal source: at each replayed bar the strategy is
// handed the closed bars it would have had live, as views (no copies), and an idea becomes a deal
// whose take-profit and stop are the idea's own, as percentages of the entry.
import {
  type BarSeries,
  type BotName,
  type BotSignalIdea,
  type BotStrategy,
  TIMEFRAME_MS,
} from '../bots/bot-types.js';
import type { CandleSeries } from '../paper/candle-series.js';
import type { DealExitOverride, SignalSource } from './signal-sources.js';

/** Pause per symbol after a bot's signal (the runtime's cooldown), used as the deal cooldown. */
export const BOT_COOLDOWN_SECONDS: Readonly<Record<BotName, number>> = {
  scalping: 15 * 60,
  trend: 2 * 60 * 60,
  qfl: 60 * 60,
  ai: 30 * 60,
};

/** Figures of one run of the source: how often the strategy was asked and what it answered. */
export interface BotSourceStats {
  /** Bars the strategy was asked about (replayed bars with enough history). */
  evaluations: number;
  /** Ideas it gave (every one, also those that came while a deal was open or cooling down). */
  ideas: number;
  /** Ideas the backtester cannot trade: a short, or a target/stop on the wrong side of the entry. */
  rejectedIdeas: number;
  /** Replayed bars skipped because fewer than `lookback` (or `higherLookback`) bars had closed. */
  warmingBars: number;
  /** The reason of the first idea, to show what fired. */
  firstReason: string | null;
  /** Ideas the loop took up (asked for their exits to open a deal), and their exits summed. */
  taken: number;
  takeProfitPercentSum: number;
  stopLossPercentSum: number;
}

export interface BotSignalSource extends SignalSource {
  readonly stats: BotSourceStats;
}

export interface BotSourceOptions {
  readonly strategy: BotStrategy;
  readonly symbol: string;
  /** The whole primary series, warm-up included. */
  readonly primary: BarSeries;
  /** The whole higher-timeframe series; required when the strategy declares a higher timeframe. */
  readonly higher?: BarSeries;
  /** Index in `primary` of the replay's bar 0 (the holdout start); bar b is primary bar offset + b. */
  readonly offset?: number;
}

/** `count` bars ending before `end` (exclusive), as views. */
function windowView(series: BarSeries, end: number, count: number): BarSeries {
  const start = end - count;
  return {
    length: count,
    openTime: series.openTime.subarray(start, end),
    open: series.open.subarray(start, end),
    high: series.high.subarray(start, end),
    low: series.low.subarray(start, end),
    close: series.close.subarray(start, end),
    volume: series.volume.subarray(start, end),
  };
}

/**
 * The idea's first target and stop as % of its entry, to 6 decimals; null when the backtester
 * (spot, long) cannot trade it.
 */
export function exitOverride(idea: BotSignalIdea): DealExitOverride | null {
  const target = idea.targets[0]?.price;
  const entry = idea.entryPrice;
  if (idea.side !== 'long' || target === undefined || !(entry > 0)) return null;
  const takeProfit = (target / entry - 1) * 100;
  const stopLoss = (1 - idea.stopLoss / entry) * 100;
  if (!(takeProfit >= 0.000001 && stopLoss >= 0.000001 && stopLoss < 100)) return null;
  return { takeProfitPercent: takeProfit.toFixed(6), stopLossPercent: stopLoss.toFixed(6) };
}

export function botSignalSource(options: BotSourceOptions): BotSignalSource {
  const { strategy, symbol, primary, higher } = options;
  const offset = options.offset ?? 0;
  const primaryMs = TIMEFRAME_MS[strategy.timeframe];
  const higherTimeframe = strategy.higherTimeframe;
  if (higherTimeframe !== undefined && higher === undefined) {
    throw new Error(`${strategy.name} confirms on ${higherTimeframe}: pass the higher-timeframe series`);
  }
  const higherMs = higherTimeframe === undefined ? 0 : TIMEFRAME_MS[higherTimeframe];
  // Without a declared higherLookback the strategy gets every higher bar closed so far.
  const higherLookback = strategy.higherLookback;
  const higherNeeded = Math.max(1, higherLookback ?? 1);
  const lookback = Math.max(1, strategy.lookback);
  const stats: BotSourceStats = {
    evaluations: 0,
    ideas: 0,
    rejectedIdeas: 0,
    warmingBars: 0,
    firstReason: null,
    taken: 0,
    takeProfitPercentSum: 0,
    stopLossPercentSum: 0,
  };
  let nextBar = 0;
  let higherClosed = 0; // higher bars closed by the current primary bar's close (only ever grows)
  let pending: DealExitOverride | null = null;
  return {
    name: strategy.name,
    stats,
    update(_close, bar) {
      const b = bar ?? nextBar;
      nextBar = b + 1;
      pending = null;
      const end = offset + b + 1; // primary bars 0..end-1 have closed
      if (end < lookback || end > primary.length) {
        stats.warmingBars++;
        return false;
      }
      const closeAt = (primary.openTime[end - 1] ?? 0) + primaryMs;
      let higherView: BarSeries | undefined;
      if (higher !== undefined && higherTimeframe !== undefined) {
        while (higherClosed < higher.length && (higher.openTime[higherClosed] ?? 0) + higherMs <= closeAt) {
          higherClosed++;
        }
        if (higherClosed < higherNeeded) {
          stats.warmingBars++;
          return false;
        }
        higherView = windowView(higher, higherClosed, higherLookback ?? higherClosed);
      }
      stats.evaluations++;
      const idea = strategy.evaluate({
        symbol,
        primary: windowView(primary, end, lookback),
        ...(higherView === undefined ? {} : { higher: higherView }),
      });
      if (idea === null) return false;
      stats.ideas++;
      stats.firstReason ??= idea.reason;
      pending = exitOverride(idea);
      if (pending === null) stats.rejectedIdeas++;
      return pending !== null;
    },
    exits() {
      if (pending !== null) {
        stats.taken++;
        stats.takeProfitPercentSum += Number(pending.takeProfitPercent);
        stats.stopLossPercentSum += Number(pending.stopLossPercent);
      }
      return pending;
    },
  };
}

/** A parsed candle file as a BarSeries: the float shadows as they are, open times once. */
export function barSeriesOfCandles(series: CandleSeries): BarSeries {
  const n = series.candles.length;
  const openTime = new Float64Array(n);
  for (let i = 0; i < n; i++) openTime[i] = series.candles[i]?.openTime ?? 0;
  return {
    length: n,
    openTime,
    open: series.open,
    high: series.high,
    low: series.low,
    close: series.close,
    volume: series.volume,
  };
}
