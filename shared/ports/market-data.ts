// What the bot runtime reads and keeps: closed bars of a market (the replayed paper market locally,
// an exchange's public candles in the cloud) and each bot's state per symbol.
import type { BarSeries, BotName, BotTimeframe } from '../core/bots/bot-types.js';
import type { Signal } from '../core/signals/signal.js';

export interface MarketData {
  /** The symbols this market serves, when it is a fixed set (a replay); null when it serves any. */
  fixedSymbols(): readonly string[] | null;
  /**
   * Up to `count` closed bars of `symbol`, oldest first, ending with the last bar closed at `now`
   * (wall clock). A bar still in progress is never included: THE guarantee that bots see no open
   * candle. Fewer bars when the market has fewer.
   */
  closedBars(symbol: string, timeframe: BotTimeframe, count: number, now: Date): Promise<BarSeries>;
  /** The open time (in the series' own time) of the last bar of `timeframe` closed at `now`. */
  lastClosedOpenTime(symbol: string, timeframe: BotTimeframe, now: Date): number;
  /**
   * The wall-clock instant a bar of `timeframe` opening at `openTime` closed: openTime + timeframe
   * for a live market, earlier for a replay that runs faster than the clock.
   */
  closeTimeOf(symbol: string, timeframe: BotTimeframe, openTime: number): Date;
}

/** A signal a bot has emitted on a symbol, kept until its first target or its stop is reached. */
export interface OpenBotSignal {
  readonly signalKey: string;
  /** Open time of the bar it was decided on (series time). */
  readonly barOpenTime: number;
  readonly side: 'long' | 'short';
  readonly firstTarget: string;
  readonly stopLoss: string;
  /** Wall clock, ISO. */
  readonly openedAt: string;
  /** False until ingest has accepted it; a later tick delivers it again (ingest is idempotent). */
  readonly delivered: boolean;
  readonly signal: Signal;
}

export interface BotSymbolState {
  readonly bot: BotName;
  readonly symbol: string;
  /** Open time of the last primary bar evaluated (series time). */
  readonly lastEvaluatedBar?: number;
  /** Wall clock, ISO: when the bot last emitted a signal on this symbol (the cooldown's start). */
  readonly lastSignalAt?: string;
  readonly openSignal?: OpenBotSignal;
}

export interface BotStateRepository {
  /** Every symbol's state of one bot. */
  listForBot(bot: BotName): Promise<ReadonlyMap<string, BotSymbolState>>;
  /**
   * Records that `bar` was evaluated, with the open signal that stands after it (a new one, the one
   * still open, or none), unless this bar or a later one was already claimed. False when another
   * tick got there first: that tick, not this one, emits for the bar.
   */
  claimBar(
    bot: BotName,
    symbol: string,
    bar: number,
    openSignal: OpenBotSignal | null,
    at: Date,
  ): Promise<boolean>;
  /** Marks the open signal with this key as accepted by ingest. */
  markDelivered(bot: BotName, symbol: string, signalKey: string): Promise<void>;
}
