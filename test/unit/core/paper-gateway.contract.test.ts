// The paper engine's gateway against the shared ExchangeGateway contract, plus what the contract
// leaves to each venue: its bars, its refusal of futures, its key and a fill report by time.
import { describe, expect, it } from 'vitest';
import { PaperEngine } from '../../../shared/core/paper/engine.js';
import type { PaperMarket } from '../../../shared/core/paper/engine-types.js';
import { PaperGateway } from '../../../shared/core/paper/paper-gateway.js';
import { ExchangeError } from '../../../shared/ports/exchange-gateway.js';
import { type ContractSubject, describeGatewayContract } from '../../support/gateway-contract.js';

const BTC: PaperMarket = {
  symbol: 'BTC/USDT',
  base: 'BTC',
  quote: 'USDT',
  rules: { amountStep: '0.00001', minAmount: '0.00001', minNotional: '5' },
  priceTick: '0.01',
};
const FIVE_MINUTES = 300_000;
const START = Date.UTC(2026, 0, 1);

/** A funded engine at 60000 whose market moves one 5m bar per setPrice. */
function paperSubject(): ContractSubject & { engine: PaperEngine; gateway: PaperGateway } {
  const engine = new PaperEngine({
    markets: [BTC],
    fees: { takerFeeRate: '0.001', makerFeeRate: '0.0008', slippageBps: 5 },
    balances: { USDT: '100000' },
    keepCandles: 100,
  });
  const bar = (symbol: string, price: number) => {
    const last = Number(engine.lastPrice(symbol) ?? price);
    const openTime = engine.lastPrice(symbol) === null ? START : engine.time(symbol) + FIVE_MINUTES;
    const [low, high] = [Math.min(last, price), Math.max(last, price)];
    engine.onCandle(symbol, {
      openTime,
      open: String(last),
      high: String(high),
      low: String(low),
      close: String(price),
      volume: '1000',
    });
  };
  bar('BTC/USDT', 60_000);
  const gateway = new PaperGateway(engine, (kind, message) => new ExchangeError(kind, message), {
    timeframe: '5m',
  });
  return {
    engine,
    gateway,
    spot: { symbol: 'BTC/USDT', price: 60_000, amount: '0.01' },
    quote: 'USDT',
    setPrice: async (symbol, price) => bar(symbol, price),
    orderCount: async () => engine.orderCount(),
    close: async () => undefined,
    now: () => engine.time('BTC/USDT'),
  };
}

describeGatewayContract('paper engine', async () => paperSubject());

describe('paper engine gateway beyond the contract', () => {
  it('lists its spot market with the tick as price step and the engine fees', async () => {
    expect(await paperSubject().gateway.loadMarkets()).toEqual([
      {
        symbol: 'BTC/USDT',
        kind: 'spot',
        base: 'BTC',
        quote: 'USDT',
        amountStep: '0.00001',
        minAmount: '0.00001',
        minNotional: '5',
        priceStep: '0.01',
        makerFeeRate: '0.0008',
        takerFeeRate: '0.001',
      },
    ]);
  });

  it('refuses leverage (spot only) and reports a key that can trade but never withdraw', async () => {
    const { gateway } = paperSubject();
    await expect(gateway.setLeverage('BTC/USDT', 3, 'isolated')).rejects.toMatchObject({
      kind: 'invalid-order',
      message: 'paper accounts trade spot only',
    });
    expect(await gateway.keyPermissions()).toEqual({
      canRead: true,
      canTrade: true,
      canWithdraw: false,
      canTransfer: false,
      ipRestricted: 'unknown',
      ips: [],
    });
  });

  it('serves the fed 5m bars, since and limit as ccxt does, and 15m bars made of them', async () => {
    const s = paperSubject();
    for (const price of [60_100, 60_050, 59_900, 60_200, 60_300]) await s.setPrice('BTC/USDT', price);
    const bars = await s.gateway.fetchOhlcv('BTC/USDT', '5m');
    expect(bars.map((b) => b.close)).toEqual(['60000', '60100', '60050', '59900', '60200', '60300']);
    expect((await s.gateway.fetchOhlcv('BTC/USDT', '5m', undefined, 2)).map((b) => b.close)).toEqual([
      '60200',
      '60300',
    ]);
    const since = START + 2 * FIVE_MINUTES;
    expect((await s.gateway.fetchOhlcv('BTC/USDT', '5m', since, 2)).map((b) => b.openTime)).toEqual([
      since,
      since + FIVE_MINUTES,
    ]);
    // 00:00-00:15 and 00:15-00:30 (START is midnight UTC).
    expect(await s.gateway.fetchOhlcv('BTC/USDT', '15m')).toEqual([
      { openTime: START, open: '60000', high: '60100', low: '60000', close: '60050', volume: '3000' },
      {
        openTime: START + 3 * FIVE_MINUTES,
        open: '60050',
        high: '60300',
        low: '59900',
        close: '60300',
        volume: '3000',
      },
    ]);
    await expect(s.gateway.fetchOhlcv('BTC/USDT', '1m')).rejects.toMatchObject({ kind: 'invalid-order' });
    await expect(s.gateway.fetchOhlcv('BTC/USDT', '7m')).rejects.toMatchObject({ kind: 'invalid-order' });
  });

  it('serves no bars when it was not told the feed timeframe', async () => {
    const engine = new PaperEngine({
      markets: [BTC],
      fees: { takerFeeRate: '0', makerFeeRate: '0', slippageBps: 0 },
    });
    const gateway = new PaperGateway(engine, (kind, message) => new ExchangeError(kind, message));
    await expect(gateway.fetchOhlcv('BTC/USDT', '5m')).rejects.toMatchObject({ kind: 'invalid-order' });
  });

  it('finds and cancels by exchange id, keeps a filled order as it is, and says null on another symbol', async () => {
    const s = paperSubject();
    const resting = await s.gateway.createOrder({
      symbol: 'BTC/USDT',
      side: 'buy',
      type: 'limit',
      clientOrderId: 'r1',
      amount: '0.01',
      price: '50000',
    });
    expect(await s.gateway.fetchOrder('BTC/USDT', { orderId: resting.orderId })).toEqual(resting);
    expect(await s.gateway.fetchOrder('ETH/USDT', { orderId: resting.orderId })).toBeNull();
    expect(await s.gateway.cancelOrder('BTC/USDT', { orderId: resting.orderId })).toMatchObject({
      status: 'cancelled',
    });
    const filled = await s.gateway.createOrder({
      symbol: 'BTC/USDT',
      side: 'buy',
      type: 'market',
      clientOrderId: 'm1',
      amount: '0.01',
    });
    expect(await s.gateway.cancelOrder('BTC/USDT', { clientOrderId: 'm1' })).toEqual(filled);
    expect(await s.gateway.cancelOrder('BTC/USDT', { orderId: 'paper-999' })).toBeNull();
  });

  it('reports fills oldest first, from `since` on the feed clock, with their orders', async () => {
    const s = paperSubject();
    await s.gateway.createOrder({
      symbol: 'BTC/USDT',
      side: 'buy',
      type: 'market',
      clientOrderId: 'a',
      amount: '0.01',
    });
    const afterFirst = s.now?.() ?? 0;
    await s.setPrice('BTC/USDT', 60_500);
    await s.gateway.createOrder({
      symbol: 'BTC/USDT',
      side: 'sell',
      type: 'market',
      clientOrderId: 'b',
      amount: '0.01',
    });
    const all = await s.gateway.fetchFillsSince('BTC/USDT', 0);
    expect(all.map((f) => [f.clientOrderId, f.side, f.symbol])).toEqual([
      ['a', 'buy', 'BTC/USDT'],
      ['b', 'sell', 'BTC/USDT'],
    ]);
    expect(Object.keys(all[0] ?? {}).sort()).toEqual(
      [
        'amount',
        'at',
        'clientOrderId',
        'cost',
        'fee',
        'feeCurrency',
        'orderId',
        'price',
        'side',
        'symbol',
        'tradeId',
      ].sort(),
    );
    expect((await s.gateway.fetchFillsSince('BTC/USDT', afterFirst + 1)).map((f) => f.clientOrderId)).toEqual(
      ['b'],
    );
  });
});
