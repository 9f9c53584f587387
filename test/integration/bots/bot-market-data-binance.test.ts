// The bots' cloud market data on the real wire: ExchangeMarketData over the ccxt Binance gateway
// (keyless, as RunBot builds it) against the loopback fake Binance, whose klines include the bar in
// progress as Binance's do, with the shared candle cache on DynamoDB Local. The fake-gateway suite
// (bot-market-data.test.ts) pins the caching rules; this one shows they hold over HTTP and ccxt.
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DynamoCandleStore } from '../../../shared/adapters/dynamodb/candle-store.js';
import { EgressGate } from '../../../shared/adapters/exchanges/egress-gate.js';
import { createExchangeGateway } from '../../../shared/adapters/exchanges/gateway-factory.js';
import { MarketCache } from '../../../shared/adapters/exchanges/market-cache.js';
import { ExchangeMarketData } from '../../../shared/adapters/market-data/exchange-market-data.js';
import { TIMEFRAME_MS } from '../../../shared/core/bots/bot-types.js';
import { type BinanceFake, startBinanceFake } from '../../support/fake-exchanges/binance-fake.js';
import { type LocalServices, startLocalServices } from '../../support/local-services.js';

let services: LocalServices;
let fake: BinanceFake;
/** The exchange's clock and ours, moved together. */
let skew = 0;
const now = () => new Date(Date.now() + skew);

beforeAll(async () => {
  services = await startLocalServices({ setProcessEnv: false });
}, 60_000);
afterAll(async () => {
  await services?.stop();
});
beforeEach(async () => {
  fake = await startBinanceFake();
  skew = 0;
});
afterEach(async () => {
  await fake.close();
});

/** A Lambda's market data: its own gateway and memory, the shared table. */
function lambdaMarketData(): ExchangeMarketData {
  const gateway = createExchangeGateway(
    { exchange: 'binance', mode: 'live', baseUrl: fake.baseUrl },
    { marketCache: new MarketCache(), egressGate: new EgressGate(), timeoutMs: 2_000 },
  );
  return new ExchangeMarketData(gateway, new DynamoCandleStore(services.db, services.tableName), 'binance');
}

const klineRequests = () => fake.server.requests.filter((r) => r.path === '/api/v3/klines');
const M15 = TIMEFRAME_MS['15m'];

describe('bot market data over ccxt and the fake Binance', () => {
  it('serves closed 15m bars only, without a key, and a second Lambda reads them from the table', async () => {
    fake.setPrice('BTC/USDT', '61234.5');
    const at = now();
    const bars = await lambdaMarketData().closedBars('BTC/USDT', '15m', 40, at);
    expect(bars.length).toBe(40);
    const last = bars.openTime[39] ?? 0;
    // The exchange served the bar in progress too; it is not among them.
    expect(last + M15).toBeLessThanOrEqual(at.getTime());
    expect(last + 2 * M15).toBeGreaterThan(at.getTime());
    expect(bars.close[39]).toBe(61234.5);
    expect(klineRequests()).toHaveLength(1);
    expect(klineRequests()[0]?.query.get('interval')).toBe('15m');
    expect(klineRequests().every((r) => r.headers['x-mbx-apikey'] === undefined)).toBe(true);

    const again = await lambdaMarketData().closedBars('BTC/USDT', '15m', 40, now());
    expect([...again.openTime]).toEqual([...bars.openTime]);
    expect(klineRequests()).toHaveLength(1);
  });

  it('after a bar closes, asks the exchange only for the bars since its last one', async () => {
    const md = lambdaMarketData();
    const before = await md.closedBars('ETH/USDT', '15m', 20, now());
    const lastBefore = before.openTime[19] ?? 0;
    skew += M15;
    fake.setClockSkew(skew);
    fake.setPrice('ETH/USDT', '2500');
    const after = await md.closedBars('ETH/USDT', '15m', 20, now());
    expect(klineRequests()).toHaveLength(2);
    expect(Number(klineRequests()[1]?.query.get('startTime'))).toBe(lastBefore + M15);
    expect(after.openTime[19]).toBe(lastBefore + M15);
    expect(after.close[19]).toBe(2500);
    expect(after.openTime[18]).toBe(lastBefore);
  });
});
