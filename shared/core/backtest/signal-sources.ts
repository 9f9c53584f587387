// Entry signals for the backtester, by name. Each source is streaming: it is fed every bar's close
// in order, O(1) per bar, and answers for that bar alone, so a decision at bar i can only depend on
// bars 0..i (no look-ahead by construction). Indicators are floats, as indicators may be.

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

/**
 * Relative strength index with Wilder's smoothing: the first average gain/loss is the plain mean of
 * the first `period` changes, then avg ← (avg × (period − 1) + change) / period. NaN until
 * `period` changes have been seen.
 */
export class WilderRsi {
  private previousClose = Number.NaN;
  private gain = 0;
  private loss = 0;
  private seen = 0;

  constructor(readonly period = 14) {}

  update(close: number): number {
    const previous = this.previousClose;
    this.previousClose = close;
    if (Number.isNaN(previous)) return Number.NaN;
    const change = close - previous;
    const up = Math.max(change, 0);
    const down = Math.max(-change, 0);
    const p = this.period;
    this.seen++;
    if (this.seen <= p) {
      this.gain += up;
      this.loss += down;
      if (this.seen < p) return Number.NaN;
      this.gain /= p;
      this.loss /= p;
    } else {
      this.gain = (this.gain * (p - 1) + up) / p;
      this.loss = (this.loss * (p - 1) + down) / p;
    }
    if (this.loss === 0) return this.gain === 0 ? 50 : 100;
    return 100 - 100 / (1 + this.gain / this.loss);
  }
}

/** Simple moving average over a ring buffer with a running sum; NaN until `period` closes. */
export class StreamingSma {
  private readonly window: Float64Array;
  private sum = 0;
  private count = 0;

  constructor(readonly period: number) {
    this.window = new Float64Array(period);
  }

  update(value: number): number {
    const slot = this.count % this.period;
    this.sum += value - (this.count >= this.period ? (this.window[slot] ?? 0) : 0);
    this.window[slot] = value;
    this.count++;
    // A running sum drifts by rounding over many bars; re-add the window once per lap so the
    // error never builds up (O(period) every period bars: still O(1) amortized).
    if (slot === this.period - 1) {
      let exact = 0;
      for (let k = 0; k < this.period; k++) exact += this.window[k] ?? 0;
      this.sum = exact;
    }
    return this.count >= this.period ? this.sum / this.period : Number.NaN;
  }
}

/** RSI(14) crosses up through 30: the bar whose RSI is ≥ 30 right after one below 30. */
function rsiDip(period = 14, level = 30): SignalSource {
  const rsi = new WilderRsi(period);
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
  const fast = new StreamingSma(fastPeriod);
  const slow = new StreamingSma(slowPeriod);
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
