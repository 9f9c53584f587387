// Where the DynamoDB paper exchange gets its market: the replayed candles (ReplayMarket) in the
// pipeline, or any source with the same shape (the contract tests inject one they can move). Also
// the two questions the exchange asks of it: did the market reach a resting order since it was
// placed, and which bars has it traded so far (fetchOhlcv).
import { dec } from '../../core/money/decimal.js';
import type { Candle } from '../../core/paper/engine-types.js';
import type { ExchangeOrder } from '../../ports/exchange-gateway.js';

/** What ReplayMarket offers; times are the venue's clock (the exchange's `clock`). */
export interface PaperPriceSource {
  hasSymbol(symbol: string): boolean;
  symbols(): string[];
  /** The bar in progress at `now`; its close is the last trade. */
  candleAt(symbol: string, now: Date): Candle;
  /** Bars traded from `from` to `to` inclusive, oldest first: the first is the one in progress at `from`. */
  candlesBetween(symbol: string, from: Date, to: Date): Candle[];
  /**
   * Sources fed over the network (PublicCandleSource) load ahead: the exchange calls this before it
   * asks about `symbol`, since the questions above are synchronous. A replay has everything loaded.
   */
  refresh?(symbol: string, now: Date): Promise<void>;
}

/**
 * True when a bar after the one in progress at the order's placement traded through its limit
 * (buy: low ≤ price; sell: high ≥ price). The bar in progress at placement is left out: its close
 * was the market the order was placed against, so it had already traded when the order arrived.
 */
export function limitReached(prices: PaperPriceSource, order: ExchangeOrder, now: Date): boolean {
  if (order.type !== 'limit' || order.price === undefined || !prices.hasSymbol(order.symbol)) return false;
  const placedAt = new Date(order.createdAt);
  if (now.getTime() <= placedAt.getTime()) return false;
  const limit = dec(order.price);
  return prices
    .candlesBetween(order.symbol, placedAt, now)
    .slice(1)
    .some((bar) => (order.side === 'buy' ? dec(bar.low).lte(limit) : dec(bar.high).gte(limit)));
}

/**
 * Every bar the source has traded up to `now`, oldest first, ending with the one in progress, and
 * the native bar interval. A replay loops over its data: its bars keep the data's own times, and
 * those from before the loop point move back by one loop so that times keep rising.
 */
export function tradedBars(
  prices: PaperPriceSource,
  symbol: string,
  now: Date,
): { readonly bars: Candle[]; readonly intervalMs: number | null } {
  const current = prices.candleAt(symbol, now);
  // From the epoch: a window that long covers the whole loop (a replay returns each bar once).
  const all = prices.candlesBetween(symbol, new Date(0), now);
  let end = all.length - 1;
  while (end >= 0 && all[end]?.openTime !== current.openTime) end--;
  const ordered = end < 0 ? all : [...all.slice(end + 1), ...all.slice(0, end + 1)];
  let intervalMs: number | null = null;
  let first = Number.POSITIVE_INFINITY;
  let last = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < ordered.length; i++) {
    const t = ordered[i]?.openTime ?? 0;
    first = Math.min(first, t);
    last = Math.max(last, t);
    const gap = t - (ordered[i - 1]?.openTime ?? Number.POSITIVE_INFINITY);
    if (gap > 0 && (intervalMs === null || gap < intervalMs)) intervalMs = gap;
  }
  const loop = last - first + (intervalMs ?? 0);
  const bars = ordered.slice();
  let shift = 0;
  for (let i = bars.length - 2; i >= 0; i--) {
    const bar = bars[i];
    const next = bars[i + 1];
    if (bar === undefined || next === undefined) continue;
    if (bar.openTime - shift >= next.openTime) shift += loop;
    if (shift > 0) bars[i] = { ...bar, openTime: bar.openTime - shift };
  }
  return { bars, intervalMs };
}
