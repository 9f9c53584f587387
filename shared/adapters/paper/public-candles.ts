// The paper market in the cloud: an exchange's public 1-minute candles (no key needed), read through
// the exchange gateway, in place of the replayed files the local run uses. The paper exchange asks
// its price source synchronously, so candles are loaded ahead: `refresh` fetches what is new since
// the last call, and a warm Lambda keeps a rolling window per symbol.
//
// Limitation: a resting paper order is checked against the bars in the window (about 16 hours of
// 1-minute bars) when it is next looked at; a move that happened before the window is not seen.
import type { Candle } from '../../core/paper/engine-types.js';
import { ExchangeError, type ExchangeGateway } from '../../ports/exchange-gateway.js';
import type { PaperPriceSource } from './paper-prices.js';

const MINUTE = 60_000;

export interface PublicCandleOptions {
  /** Bars kept per symbol (the exchanges serve up to 1000 per call). */
  readonly windowBars?: number;
  /** A symbol refreshed less than this long ago is not fetched again. */
  readonly minRefreshMs?: number;
}

interface Series {
  bars: Candle[];
  fetchedAt: number;
}

export class PublicCandleSource implements PaperPriceSource {
  private readonly series = new Map<string, Series>();
  private readonly windowBars: number;
  private readonly minRefreshMs: number;

  constructor(
    private readonly gateway: ExchangeGateway,
    private readonly universe: readonly string[],
    options: PublicCandleOptions = {},
  ) {
    this.windowBars = options.windowBars ?? 1000;
    this.minRefreshMs = options.minRefreshMs ?? 5_000;
  }

  hasSymbol(symbol: string): boolean {
    return this.universe.includes(symbol);
  }

  symbols(): string[] {
    return [...this.universe];
  }

  async refresh(symbol: string, now: Date): Promise<void> {
    if (!this.hasSymbol(symbol)) return;
    const known = this.series.get(symbol);
    if (known && now.getTime() - known.fetchedAt < this.minRefreshMs) return;
    const last = known?.bars.at(-1);
    // From the last bar we have (it may have been in progress), or a whole window back.
    const since = last ? last.openTime : now.getTime() - this.windowBars * MINUTE;
    const fresh = await this.gateway.fetchOhlcv(symbol, '1m', since, this.windowBars);
    const merged = [...(known?.bars.filter((b) => b.openTime < since) ?? []), ...fresh].slice(
      -this.windowBars,
    );
    this.series.set(symbol, { bars: merged, fetchedAt: now.getTime() });
  }

  candleAt(symbol: string, now: Date): Candle {
    const bars = this.series.get(symbol)?.bars ?? [];
    for (let i = bars.length - 1; i >= 0; i--) {
      const bar = bars[i];
      if (bar && bar.openTime <= now.getTime()) return bar;
    }
    throw new ExchangeError('exchange-unavailable', `no public price for ${symbol} yet`);
  }

  candlesBetween(symbol: string, from: Date, to: Date): Candle[] {
    const bars = this.series.get(symbol)?.bars ?? [];
    const start = from.getTime() - MINUTE;
    return bars.filter((b) => b.openTime > start && b.openTime <= to.getTime());
  }
}
