// The contract every house bot's strategy keeps. A strategy is pure: it is handed closed bars only
// (the runtime and the backtester both cut off any bar still in progress) and answers with an idea
// for a signal or null. Cooldowns, "one open signal per symbol", ids, rounding to decimal strings
// and delivery into ingest are the runtime's job (shared/app/bots), the same for all four bots.

export type BotName = 'scalping' | 'trend' | 'qfl' | 'ai';

/** Timeframes a bot may use: each is derivable from the 5-minute data the local run replays. */
export type BotTimeframe = '5m' | '15m' | '1h' | '4h';

export const TIMEFRAME_MS: Readonly<Record<BotTimeframe, number>> = {
  '5m': 5 * 60_000,
  '15m': 15 * 60_000,
  '1h': 60 * 60_000,
  '4h': 4 * 60 * 60_000,
};

/**
 * Closed bars of one symbol and timeframe, oldest first, as parallel float arrays (indicators are
 * floats). `openTime` is epoch ms of each bar's open. Every bar here has closed.
 */
export interface BarSeries {
  readonly length: number;
  readonly openTime: Float64Array;
  readonly open: Float64Array;
  readonly high: Float64Array;
  readonly low: Float64Array;
  readonly close: Float64Array;
  readonly volume: Float64Array;
}

export interface BotContext {
  readonly symbol: string;
  /** Closed bars of the strategy's primary timeframe; at least `lookback` of them when it is asked. */
  readonly primary: BarSeries;
  /** Closed bars of the confirmation timeframe, when the strategy declares one. */
  readonly higher?: BarSeries;
}

/** What a strategy proposes; prices are floats here, the runtime rounds and writes them as strings. */
export interface BotSignalIdea {
  readonly side: 'long' | 'short';
  /** The reference entry: the last closed bar's close (signals are market entries). */
  readonly entryPrice: number;
  /** Take-profit targets in the order they are reached (above the entry for a long). */
  readonly targets: readonly { readonly price: number; readonly weight?: number }[];
  /** Below the entry for a long. */
  readonly stopLoss: number;
  /** 0..1: how strongly the rule fired. */
  readonly confidence: number;
  /** For people: what fired, with the numbers, e.g. "RSI 24.1 < 30, %K 18 crossed %D up, low touched EMA50". */
  readonly reason: string;
}

export interface BotStrategy {
  readonly name: BotName;
  readonly timeframe: BotTimeframe;
  readonly higherTimeframe?: BotTimeframe;
  /** Closed primary bars the strategy needs before it can decide (warm-up included). */
  readonly lookback: number;
  /** Closed higher-timeframe bars it needs, when it declares a higher timeframe. */
  readonly higherLookback?: number;
  /** Decides on the last closed bar of `ctx.primary`; must not read anything past it. */
  evaluate(ctx: BotContext): BotSignalIdea | null;
}

/**
 * The share of each historical series kept out of any tuning or training: the backtest reports in
 * docs/bots.md are run on this last part only, and the ML bot is trained and validated on the part
 * before it.
 */
export const HOLDOUT_FRACTION = 0.3;

/** A BarSeries over plain arrays (tests, fixtures). */
export function barSeries(
  bars: readonly {
    readonly openTime: number;
    readonly open: number;
    readonly high: number;
    readonly low: number;
    readonly close: number;
    readonly volume: number;
  }[],
): BarSeries {
  const n = bars.length;
  const s = {
    length: n,
    openTime: new Float64Array(n),
    open: new Float64Array(n),
    high: new Float64Array(n),
    low: new Float64Array(n),
    close: new Float64Array(n),
    volume: new Float64Array(n),
  };
  bars.forEach((b, i) => {
    s.openTime[i] = b.openTime;
    s.open[i] = b.open;
    s.high[i] = b.high;
    s.low[i] = b.low;
    s.close[i] = b.close;
    s.volume[i] = b.volume;
  });
  return s;
}

/** The first `length` bars of a series (views, no copy): what a strategy saw at an earlier close. */
export function barsUpTo(series: BarSeries, length: number): BarSeries {
  const n = Math.max(0, Math.min(length, series.length));
  return {
    length: n,
    openTime: series.openTime.subarray(0, n),
    open: series.open.subarray(0, n),
    high: series.high.subarray(0, n),
    low: series.low.subarray(0, n),
    close: series.close.subarray(0, n),
    volume: series.volume.subarray(0, n),
  };
}
