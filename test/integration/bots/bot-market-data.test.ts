// The bots' market data on real engines: the shared candle cache on DynamoDB Local (one exchange
// fetch serves every bot and every warm Lambda; refreshed incrementally; the bar in progress never
// cached nor served), and the local replay (the same candles the paper exchange trades on, resampled
// to 15m/1h/4h on UTC boundaries, closed bars only).
import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoCandleStore } from '../../../shared/adapters/dynamodb/candle-store.js';
import { ExchangeMarketData } from '../../../shared/adapters/market-data/exchange-market-data.js';
import { ReplayMarketData } from '../../../shared/adapters/market-data/replay-market-data.js';
import { ReplayMarket } from '../../../shared/adapters/paper/replay-market.js';
import { TIMEFRAME_MS } from '../../../shared/core/bots/bot-types.js';
import type { ExchangeGateway, OhlcvBar } from '../../../shared/ports/exchange-gateway.js';
import { type LocalServices, startLocalServices } from '../../support/local-services.js';

let services: LocalServices;
beforeAll(async () => {
  services = await startLocalServices({ setProcessEnv: false });
}, 60_000);
afterAll(async () => {
  await services?.stop();
});

const M5 = TIMEFRAME_MS['5m'];
const H1 = TIMEFRAME_MS['1h'];

/** A public-OHLCV exchange whose bar k (5m) opens at k × 5m and closes at 1000 + k; counts its calls. */
function fakeExchange() {
  const calls: { symbol: string; timeframe: string; since: number | undefined; limit: number | undefined }[] =
    [];
  let now = 0;
  const gateway: Pick<ExchangeGateway, 'fetchOhlcv'> = {
    async fetchOhlcv(symbol: string, timeframe: string, since?: number, limit?: number): Promise<OhlcvBar[]> {
      calls.push({ symbol, timeframe, since, limit });
      const tf = TIMEFRAME_MS[timeframe as '5m'];
      const bars: OhlcvBar[] = [];
      // Like Binance: from `since`, up to `limit`, including the bar in progress.
      for (let t = since ?? 0; t <= now && bars.length < (limit ?? 500); t += tf) {
        const k = t / tf;
        bars.push({ openTime: t, open: '1', high: '2', low: '0.5', close: String(1000 + k), volume: '3' });
      }
      return bars;
    },
  };
  return { gateway, calls, setNow: (ms: number) => (now = ms) };
}

describe('exchange market data with the DynamoDB candle cache', () => {
  it('serves closed bars only, and a second Lambda reads them from the table instead of the exchange', async () => {
    const ex = fakeExchange();
    const now = Date.UTC(2026, 4, 1, 10, 2, 30); // 2.5 min into the 10:00 bar
    ex.setNow(now);
    const store = new DynamoCandleStore(services.db, services.tableName);
    const first = new ExchangeMarketData(ex.gateway, store, 'binance');
    const bars = await first.closedBars('BTC/USDT', '5m', 50, new Date(now));
    expect(bars.length).toBe(50);
    const last = bars.openTime[49] ?? 0;
    expect(last).toBe(Date.UTC(2026, 4, 1, 9, 55));
    expect(last + M5).toBeLessThanOrEqual(now);
    expect(ex.calls).toHaveLength(1);

    const second = new ExchangeMarketData(ex.gateway, store, 'binance');
    const again = await second.closedBars('BTC/USDT', '5m', 50, new Date(now + 10_000));
    expect([...again.close]).toEqual([...bars.close]);
    expect(ex.calls).toHaveLength(1);
    // The same Lambda again: from memory.
    await first.closedBars('BTC/USDT', '5m', 50, new Date(now + 20_000));
    expect(ex.calls).toHaveLength(1);
  });

  it('fetches only the bars after its last one once a new bar has closed', async () => {
    const ex = fakeExchange();
    const now = Date.UTC(2026, 4, 2, 10, 2, 30);
    ex.setNow(now);
    const md = new ExchangeMarketData(
      ex.gateway,
      new DynamoCandleStore(services.db, services.tableName),
      'binance',
    );
    await md.closedBars('ETH/USDT', '1h', 20, new Date(now));
    const later = now + H1;
    ex.setNow(later);
    const bars = await md.closedBars('ETH/USDT', '1h', 20, new Date(later));
    expect(ex.calls).toHaveLength(2);
    expect(ex.calls[1]?.since).toBe(Date.UTC(2026, 4, 2, 10));
    expect(bars.length).toBe(20);
    expect(bars.openTime[19]).toBe(Date.UTC(2026, 4, 2, 10));
    expect(bars.close[19]).toBe(1000 + Date.UTC(2026, 4, 2, 10) / H1);
  });

  it('ignores an expired cache item and never lets an older copy replace a newer one', async () => {
    const store = new DynamoCandleStore(services.db, services.tableName);
    const now = new Date(Date.UTC(2026, 4, 3));
    const candles = (last: number) => ({
      openTime: [last - M5, last],
      open: [1, 1],
      high: [1, 1],
      low: [1, 1],
      close: [1, 2],
      volume: [1, 1],
    });
    await store.put('binance', 'SOL/USDT', '5m', candles(10 * M5), now);
    await store.put('binance', 'SOL/USDT', '5m', candles(5 * M5), now);
    expect((await store.get('binance', 'SOL/USDT', '5m', now))?.openTime.at(-1)).toBe(10 * M5);
    expect(await store.get('binance', 'SOL/USDT', '5m', new Date(now.getTime() + 7 * H1))).toBeNull();
  });
});

describe('replay market data', () => {
  const dir = resolve('test/fixtures/market');
  const replay = new ReplayMarket(dir, 60);
  const md = new ReplayMarketData(replay, 60);

  it('serves the replay symbols', () => {
    expect(md.fixedSymbols()).toEqual(['BTC/USDT', 'ETH/USDT', 'SOL/USDT']);
  });

  it('ends with the bar just before the candle the paper exchange is trading now, never that one', async () => {
    for (const offsetMs of [0, 1, 2_499, 2_500, 4_999, 123_456]) {
      const now = new Date(Date.UTC(2026, 11, 7, 5, 0, 0) + offsetMs);
      const bars = await md.closedBars('BTC/USDT', '5m', 30, now);
      expect(bars.length).toBe(30);
      // One 5m bar lasts 5 s of wall time at speed 60: the previous one is what closed.
      const previous = replay.candleAt('BTC/USDT', new Date(now.getTime() - 5_000));
      const inProgress = replay.candleAt('BTC/USDT', now);
      expect(bars.close[29]).toBe(Number(previous.close));
      expect(bars.close[29] === Number(inProgress.close) && previous.openTime !== inProgress.openTime).toBe(
        false,
      );
      const last = bars.openTime[29] ?? 0;
      expect(md.lastClosedOpenTime('BTC/USDT', '5m', now)).toBe(last);
      expect(md.closeTimeOf('BTC/USDT', '5m', last).getTime()).toBeLessThanOrEqual(now.getTime());
    }
  });

  it('resamples to 1h and 4h bars on UTC boundaries, each from its twelve or forty-eight 5m bars', async () => {
    const now = new Date(Date.UTC(2026, 11, 7, 5, 31, 7));
    const five = await md.closedBars('ETH/USDT', '5m', 600, now);
    for (const tf of ['15m', '1h', '4h'] as const) {
      const ms = TIMEFRAME_MS[tf];
      const bars = await md.closedBars('ETH/USDT', tf, 10, now);
      expect(bars.length).toBe(10);
      for (let i = 0; i < bars.length; i++) expect((bars.openTime[i] ?? 1) % ms).toBe(0);
      const lastOpen = bars.openTime[9] ?? 0;
      // Closed in market time: its last 5m bar is among the closed ones.
      expect(lastOpen + ms).toBeLessThanOrEqual((five.openTime[599] ?? 0) + M5);
      const members = [...five.openTime].flatMap((t, i) => (t >= lastOpen && t < lastOpen + ms ? [i] : []));
      expect(members).toHaveLength(ms / M5);
      expect(bars.close[9]).toBe(five.close[members.at(-1) ?? 0]);
      expect(bars.high[9]).toBe(Math.max(...members.map((i) => five.high[i] ?? 0)));
    }
  });

  it('keeps open times increasing across the replay loop, so bar ids never repeat', async () => {
    // 2,016 bars at 5 s each: the replay loops every 2.8 hours of wall time.
    const now = new Date(Date.UTC(2026, 11, 7, 5, 0, 0));
    const bars = await md.closedBars('SOL/USDT', '5m', 4000, now);
    for (let i = 1; i < bars.length; i++)
      expect((bars.openTime[i] ?? 0) - (bars.openTime[i - 1] ?? 0)).toBe(M5);
  });
});
