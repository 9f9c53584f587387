// Demo accounts where no replay data ships (the cloud): the DynamoDB paper exchange priced from an
// exchange's public 1-minute candles through the gateway, here the fake Binance's klines. Prices
// follow the exchange, resting orders fill once a later bar trades through them, and candles are
// fetched incrementally, not on every question.
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { EgressGate } from '../../../shared/adapters/exchanges/egress-gate.js';
import { createExchangeGateway } from '../../../shared/adapters/exchanges/gateway-factory.js';
import { MarketCache } from '../../../shared/adapters/exchanges/market-cache.js';
import { fundPaperAccount, PaperExchange } from '../../../shared/adapters/paper/paper-exchange.js';
import { PublicCandleSource } from '../../../shared/adapters/paper/public-candles.js';
import { ExchangeError } from '../../../shared/ports/exchange-gateway.js';
import { type BinanceFake, startBinanceFake } from '../../support/fake-exchanges/binance-fake.js';
import { type LocalServices, startLocalServices } from '../../support/local-services.js';

let services: LocalServices;
let fake: BinanceFake;
/** The exchange's and the paper venue's clock, moved together. */
let skew = 0;
const clock = { now: () => new Date(Date.now() + skew) };

beforeAll(async () => {
  services = await startLocalServices();
});
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

function publicCandles(minRefreshMs = 5_000): PublicCandleSource {
  const gateway = createExchangeGateway(
    { exchange: 'binance', mode: 'live', baseUrl: fake.baseUrl },
    { marketCache: new MarketCache(), egressGate: new EgressGate(), timeoutMs: 1_500 },
  );
  return new PublicCandleSource(gateway, ['BTC/USDT', 'ETH/USDT'], { minRefreshMs });
}

const klineCalls = () => fake.server.requests.filter((r) => r.path === '/api/v3/klines').length;

function advance(ms: number) {
  skew += ms;
  fake.setClockSkew(skew);
}

describe('PublicCandleSource', () => {
  it('has no price before it is refreshed, then the exchange’s, without any API key', async () => {
    const prices = publicCandles();
    expect(() => prices.candleAt('BTC/USDT', clock.now())).toThrow(ExchangeError);
    fake.setPrice('BTC/USDT', '61234.5');
    await prices.refresh('BTC/USDT', clock.now());
    expect(prices.candleAt('BTC/USDT', clock.now()).close).toBe('61234.5');
    const calls = fake.server.requests.filter((r) => r.path === '/api/v3/klines');
    expect(calls.every((r) => r.headers['x-mbx-apikey'] === undefined)).toBe(true);
    expect(prices.hasSymbol('DOGE/USDT')).toBe(false);
  });

  it('fetches again only after the refresh interval, and only what is new', async () => {
    const prices = publicCandles(5_000);
    await prices.refresh('BTC/USDT', clock.now());
    await prices.refresh('BTC/USDT', clock.now());
    expect(klineCalls()).toBe(1);
    advance(120_000);
    fake.setPrice('BTC/USDT', '59000');
    await prices.refresh('BTC/USDT', clock.now());
    expect(klineCalls()).toBe(2);
    const last = fake.server.requests.filter((r) => r.path === '/api/v3/klines').at(-1);
    expect(Number(last?.query.get('startTime'))).toBeGreaterThan(Date.now() + skew - 5 * 60_000);
    expect(prices.candleAt('BTC/USDT', clock.now()).close).toBe('59000');
  });
});

describe('the DynamoDB paper exchange on public candles', () => {
  it('buys at the exchange’s price and fills a resting buy once the market has traded through it', async () => {
    const prices = publicCandles(0);
    const account = { userId: 'u-public', accountId: 'acc-public' };
    await fundPaperAccount(services.db, services.tableName, account, { USDT: '10000' });
    const exchange = new PaperExchange(
      { db: services.db, tableName: services.tableName, market: prices, clock },
      account,
    );

    fake.setPrice('BTC/USDT', '60000');
    const bought = await exchange.createOrder({
      symbol: 'BTC/USDT',
      side: 'buy',
      type: 'market',
      clientOrderId: 'pub-mb-1',
      amount: '0.01',
    });
    expect(bought.status).toBe('filled');
    expect(Number(bought.trades[0]?.price)).toBeCloseTo(60_000, -2);

    const resting = await exchange.createOrder({
      symbol: 'BTC/USDT',
      side: 'buy',
      type: 'limit',
      clientOrderId: 'pub-lb-1',
      amount: '0.01',
      price: '58000',
    });
    expect(resting.status).toBe('open');

    advance(3 * 60_000);
    fake.setPrice('BTC/USDT', '57900');
    const later = await exchange.fetchOrderByClientId('BTC/USDT', 'pub-lb-1');
    expect(later?.status).toBe('filled');
    expect(later?.trades[0]?.price).toBe('58000');
  });
});
