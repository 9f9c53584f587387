// Entry signals for the backtester, by name. Each source is streaming: it is fed every bar's close
// in order, O(1) per bar, and answers for that bar alone, so a decision at bar i can only depend on
// bars 0..i (no look-ahead by construction). Indicators are floats, as indicators may be.
import { Rsi, Sma } from '../indicators/index.js';

export const STRATEGY_NAMES = ['always', 'rsi-dip', 'sma-cross'] as const;
export type StrategyName = (typeof STRATEGY_NAMES)[number];

/**
 * Exits for one deal that replace the DCA parameters' take-profit and stop-loss: a signal that
 * carries its own target and stop (the house bots) trades them, not the bot-wide percentages.
 */
export interface DealExitOverride {
  /** Decimal string, % above the average entry (a long's take-profit). */
  readonly takeProfitPercent: string;
  /** Decimal string, % below the average entry (a long's stop-loss). */
  readonly stopLossPercent: string;
}

export interface SignalSource {
  /** A built-in strategy's name, or a house bot's. */
  readonly name: string;
  /**
   * Feeds the close of the next bar (every bar, also while a deal is open, so the indicators stay
   * current) and says whether the strategy wants a deal opened at this close. `bar` is that bar's
   * index in the replayed series (the loop always passes it), for a source that reads more of the
   * bar than its close; the close-only sources ignore it.
   */
  update(close: number, bar?: number): boolean;
  /**
   * The exits of the deal about to open, asked right after `update` answered true for a bar the
   * loop opens a deal at; absent or null: the DCA parameters' own.
   */
  exits?(): DealExitOverride | null;
}

/** The classic DCA bot: always ready; the loop opens a deal whenever none is open and the cooldown has passed. */
function always(): SignalSource {
  return { name: 'always', update: () => true };
}

/** RSI(14) crosses up through 30: the bar whose RSI is ≥ 30 right after one below 30. */
function rsiDip(period = 14, level = 30): SignalSource {
  const rsi = new Rsi(period);
  let previous = Number.NaN;
  return {
    name: 'rsi-dip',
    update(close) {
      const value = rsi.update(close);
      const crossed = previous < level && value >= level; // false while either is NaN
      previous = value;
      return crossed;
    },
  };
}

/** Fast SMA(20) crosses above slow SMA(50): fast > slow now, fast ≤ slow on the bar before. */
function smaCross(fastPeriod = 20, slowPeriod = 50): SignalSource {
  const fast = new Sma(fastPeriod);
  const slow = new Sma(slowPeriod);
  let previousFast = Number.NaN;
  let previousSlow = Number.NaN;
  return {
    name: 'sma-cross',
    update(close) {
      const f = fast.update(close);
      const s = slow.update(close);
      const crossed = previousFast <= previousSlow && f > s; // false while any is NaN
      previousFast = f;
      previousSlow = s;
      return crossed;
    },
  };
}

/** A fresh source (sources hold state: one per run). */
export function signalSource(name: StrategyName): SignalSource {
  switch (name) {
    case 'always':
      return always();
    case 'rsi-dip':
      return rsiDip();
    case 'sma-cross':
      return smaCross();
  }
}
