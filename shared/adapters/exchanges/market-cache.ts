// Market metadata (precision, limits, fees) per exchange and environment, kept for a TTL so a warm
// Lambda serving many accounts loads each exchange's markets once, not once per account.
import type { CcxtExchange } from './ccxt.js';

interface Entry {
  readonly loadedAt: number;
  readonly markets: CcxtExchange['markets'];
  /** Kept with the markets: some exchanges read a currency's scale from them (Phemex balances). */
  readonly currencies: CcxtExchange['currencies'];
}

export const DEFAULT_MARKET_TTL_MS = 60 * 60_000;

export class MarketCache {
  private readonly entries = new Map<string, Entry>();
  private readonly loading = new Map<string, Promise<Entry>>();

  constructor(
    private readonly ttlMs: number = DEFAULT_MARKET_TTL_MS,
    private readonly now: () => number = Date.now,
  ) {}

  /** Gives `client` the cached markets for `key`, loading them through it when absent or stale. */
  async attach(key: string, client: CcxtExchange): Promise<void> {
    const entry = await this.entry(key, client);
    // ccxt declares the second parameter as `undefined` although setMarkets reads it: hence the cast.
    if (client.markets !== entry.markets) client.setMarkets(entry.markets, entry.currencies as never);
  }

  invalidate(key: string): void {
    this.entries.delete(key);
  }

  private async entry(key: string, client: CcxtExchange): Promise<Entry> {
    const cached = this.entries.get(key);
    if (cached && this.now() - cached.loadedAt < this.ttlMs) return cached;
    const pending = this.loading.get(key);
    if (pending) return pending;
    const load = (async () => {
      const markets = await client.loadMarkets(true);
      const entry: Entry = { loadedAt: this.now(), markets, currencies: client.currencies };
      this.entries.set(key, entry);
      return entry;
    })();
    this.loading.set(key, load);
    try {
      return await load;
    } finally {
      this.loading.delete(key);
    }
  }
}

/** One per process: a warm Lambda shares it across the accounts it serves. */
export const sharedMarketCache = new MarketCache();
