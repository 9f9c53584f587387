// The bots' market in the cloud: an exchange's public OHLCV through the exchange gateway (no key),
// cached twice so four bots ticking on the same symbols do not fetch the same candles four times:
// in memory for the life of a warm Lambda, and in DynamoDB (one short-lived item per symbol and
// timeframe) for the other Lambdas. The cache is refreshed incrementally, from its last bar, only
// when it lacks the last bar closed by now.
import type { BarSeries, BotTimeframe } from '../../core/bots/bot-types.js';
import { TIMEFRAME_MS } from '../../core/bots/bot-types.js';
import { closedOnly, lastBars, lastClosedOpenTime, seriesFromArrays } from '../../core/market/resample.js';
import type { ExchangeGateway, OhlcvBar } from '../../ports/exchange-gateway.js';
import type { MarketData } from '../../ports/market-data.js';

/** Closed bars of one symbol and timeframe as plain parallel arrays: what is cached and stored. */
export interface CachedCandles {
  readonly openTime: readonly number[];
  readonly open: readonly number[];
  readonly high: readonly number[];
  readonly low: readonly number[];
  readonly close: readonly number[];
  readonly volume: readonly number[];
}

/** Where the shared copy of the candles lives (DynamoDB in the cloud). */
export interface CandleStore {
  get(exchange: string, symbol: string, timeframe: BotTimeframe, now: Date): Promise<CachedCandles | null>;
  put(
    exchange: string,
    symbol: string,
    timeframe: BotTimeframe,
    candles: CachedCandles,
    now: Date,
  ): Promise<void>;
}

export interface ExchangeMarketDataOptions {
  /** Bars kept per symbol and timeframe (one exchange call serves up to 1000). */
  readonly keepBars?: number;
  /** The symbols the bots trade; the cloud's are the liquid USDT pairs of the bot configuration. */
  readonly symbols?: readonly string[] | null;
}

const MAX_PER_CALL = 1000;
const EMPTY: CachedCandles = { openTime: [], open: [], high: [], low: [], close: [], volume: [] };

function lastOpen(c: CachedCandles | null | undefined): number {
  return c?.openTime.at(-1) ?? Number.NEGATIVE_INFINITY;
}

function covers(c: CachedCandles | null | undefined, lastClosed: number, count: number, tf: number): boolean {
  if (!c) return false;
  const first = c.openTime[0] ?? Number.POSITIVE_INFINITY;
  return lastOpen(c) >= lastClosed && first <= lastClosed - (count - 1) * tf;
}

function merge(
  known: CachedCandles | null,
  fresh: readonly OhlcvBar[],
  tf: number,
  now: number,
  keep: number,
): CachedCandles {
  const byOpen = new Map<number, [number, number, number, number, number]>();
  known?.openTime.forEach((t, i) => {
    byOpen.set(t, [
      known.open[i] ?? 0,
      known.high[i] ?? 0,
      known.low[i] ?? 0,
      known.close[i] ?? 0,
      known.volume[i] ?? 0,
    ]);
  });
  for (const bar of fresh) {
    // The bar in progress is dropped here, before anything is cached.
    if (bar.openTime + tf > now) continue;
    byOpen.set(bar.openTime, [
      Number(bar.open),
      Number(bar.high),
      Number(bar.low),
      Number(bar.close),
      Number(bar.volume),
    ]);
  }
  const times = [...byOpen.keys()].sort((a, b) => a - b).slice(-keep);
  const pick = (k: number) => times.map((t) => byOpen.get(t)?.[k] ?? 0);
  return { openTime: times, open: pick(0), high: pick(1), low: pick(2), close: pick(3), volume: pick(4) };
}

export class ExchangeMarketData implements MarketData {
  private readonly memory = new Map<string, CachedCandles>();
  private readonly keepBars: number;
  private readonly symbols: readonly string[] | null;

  constructor(
    /** Only the public candles are read: no key, no other call. */
    private readonly gateway: Pick<ExchangeGateway, 'fetchOhlcv'>,
    private readonly store: CandleStore | null,
    private readonly exchange: string,
    options: ExchangeMarketDataOptions = {},
  ) {
    this.keepBars = Math.min(options.keepBars ?? MAX_PER_CALL, MAX_PER_CALL);
    this.symbols = options.symbols ?? null;
  }

  fixedSymbols(): readonly string[] | null {
    return this.symbols;
  }

  lastClosedOpenTime(_symbol: string, timeframe: BotTimeframe, now: Date): number {
    return lastClosedOpenTime(TIMEFRAME_MS[timeframe], now.getTime());
  }

  closeTimeOf(_symbol: string, timeframe: BotTimeframe, openTime: number): Date {
    return new Date(openTime + TIMEFRAME_MS[timeframe]);
  }

  async closedBars(symbol: string, timeframe: BotTimeframe, count: number, now: Date): Promise<BarSeries> {
    const tf = TIMEFRAME_MS[timeframe];
    const wanted = Math.min(count, this.keepBars);
    const lastClosed = lastClosedOpenTime(tf, now.getTime());
    const key = `${symbol}|${timeframe}`;
    let candles = this.memory.get(key) ?? null;
    if (!covers(candles, lastClosed, wanted, tf) && this.store) {
      const stored = await this.store.get(this.exchange, symbol, timeframe, now);
      if (stored && lastOpen(stored) >= lastOpen(candles)) candles = stored;
    }
    if (!covers(candles, lastClosed, wanted, tf)) {
      const firstWanted = lastClosed - (wanted - 1) * tf;
      const knownFirst = candles?.openTime[0] ?? Number.POSITIVE_INFINITY;
      // Incremental when what is cached reaches back far enough: only the bars after its last one.
      const since = candles && knownFirst <= firstWanted ? lastOpen(candles) + tf : firstWanted;
      const limit = Math.min(MAX_PER_CALL, Math.floor((lastClosed - since) / tf) + 2);
      const fresh = await this.gateway.fetchOhlcv(symbol, timeframe, since, limit);
      const keep = Math.max(wanted, candles?.openTime.length ?? 0);
      candles = merge(
        since === firstWanted ? null : candles,
        fresh,
        tf,
        now.getTime(),
        Math.min(keep, this.keepBars),
      );
      if (this.store && candles.openTime.length > 0) {
        await this.store.put(this.exchange, symbol, timeframe, candles, now);
      }
    }
    if (!candles) return seriesFromArrays(EMPTY);
    this.memory.set(key, candles);
    return lastBars(closedOnly(seriesFromArrays(candles), tf, now.getTime()), wanted);
  }
}
