// The DynamoDB paper exchange against the shared ExchangeGateway contract (on a market the test
// can move), then what the contract leaves to each venue, on the replayed fixture market: resting
// orders filled lazily once the market reaches them (and booked once), bars, keys, spot only.
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { keys } from '../../../shared/adapters/dynamodb/keys.js';
import {
  fundPaperAccount,
  PaperExchange,
  type PaperPriceSource,
} from '../../../shared/adapters/paper/paper-exchange.js';
import { dec } from '../../../shared/core/money/decimal.js';
import type { Candle } from '../../../shared/core/paper/engine-types.js';
import { describeGatewayContract } from '../../support/gateway-contract.js';
import { type LocalServices, startLocalServices } from '../../support/local-services.js';
import { market } from '../../support/pipeline-fixture.js';

let services: LocalServices;
beforeAll(async () => {
  services = await startLocalServices();
});
afterAll(async () => {
  await services?.stop();
});

/** A market that stays where it was last put: one single-price bar per move, on the test's clock. */
class MovablePrices implements PaperPriceSource {
  private readonly moves = new Map<string, { at: number; price: string }[]>();
  constructor(
    private readonly clock: { now(): Date },
    start: Readonly<Record<string, number>>,
  ) {
    for (const [symbol, price] of Object.entries(start))
      this.moves.set(symbol, [{ at: 0, price: String(price) }]);
  }
  move(symbol: string, price: number): void {
    this.series(symbol).push({ at: this.clock.now().getTime(), price: String(price) });
  }
  hasSymbol(symbol: string): boolean {
    return this.moves.has(symbol);
  }
  symbols(): string[] {
    return [...this.moves.keys()];
  }
  candleAt(symbol: string, now: Date): Candle {
    const inForce = this.series(symbol).filter((m) => m.at <= now.getTime());
    const move = inForce[inForce.length - 1] ?? this.series(symbol)[0];
    if (!move) throw new Error(`no price for ${symbol}`);
    return bar(move);
  }
  candlesBetween(symbol: string, from: Date, to: Date): Candle[] {
    const later = this.series(symbol).filter((m) => m.at > from.getTime() && m.at <= to.getTime());
    return [this.candleAt(symbol, from), ...later.map(bar)];
  }
  private series(symbol: string) {
    const series = this.moves.get(symbol);
    if (!series) throw new Error(`no market ${symbol}`);
    return series;
  }
}

const bar = ({ at, price }: { at: number; price: string }): Candle => ({
  openTime: at,
  open: price,
  high: price,
  low: price,
  close: price,
  volume: '1',
});

async function orderItems(userId: string, accountId: string): Promise<number> {
  const out = await services.db.send(
    new QueryCommand({
      TableName: services.tableName,
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :orders)',
      ExpressionAttributeValues: { ':pk': keys.paperBalances(userId, accountId).pk, ':orders': 'ORDER#' },
      Select: 'COUNT',
      ConsistentRead: true,
    }),
  );
  return out.Count ?? 0;
}

describeGatewayContract('DynamoDB paper exchange', async () => {
  let time = Date.UTC(2026, 5, 1);
  const clock = { now: () => new Date(time) };
  const prices = new MovablePrices(clock, { 'BTC/USDT': 60_000 });
  const account = { userId: 'u-contract', accountId: 'acc-contract' };
  await fundPaperAccount(services.db, services.tableName, account, { USDT: '100000' });
  return {
    gateway: new PaperExchange(
      { db: services.db, tableName: services.tableName, market: prices, clock },
      account,
    ),
    spot: { symbol: 'BTC/USDT', price: 60_000, amount: '0.01' },
    quote: 'USDT',
    setPrice: async (symbol, price) => {
      time += 1000; // the move comes after whatever was placed before it
      prices.move(symbol, price);
    },
    orderCount: () => orderItems(account.userId, account.accountId),
    close: async () => undefined,
    now: () => time,
  };
});

describe('DynamoDB paper exchange on the replayed market', () => {
  const T0 = new Date('2026-11-25T10:00:00Z').getTime();
  function replayed(accountId: string) {
    let time = T0;
    const clock = { now: () => new Date(time) };
    const exchange = new PaperExchange(
      { db: services.db, tableName: services.tableName, market, clock },
      { userId: 'u-replay', accountId },
    );
    return {
      exchange,
      at: (ms: number) => (time = ms),
      fund: (balances: Record<string, string>) =>
        fundPaperAccount(services.db, services.tableName, { userId: 'u-replay', accountId }, balances),
    };
  }
  const usdt = async (ex: PaperExchange) => (await ex.fetchBalances()).find((b) => b.currency === 'USDT');

  it('fills a resting sell once a later bar trades through it, at its limit with the maker fee, booked once', async () => {
    const { exchange, at, fund } = replayed('acc-tp');
    await fund({ USDT: '0', BTC: '0.01' });
    const last = dec(market.candleAt('BTC/USDT', new Date(T0)).close);
    // The first moment (a bar is 5 s of wall time at speed 60) after which the market has traded above now.
    let fillAt = T0;
    let top = last;
    while (!top.gt(last)) {
      fillAt += 5_000;
      const later = market.candlesBetween('BTC/USDT', new Date(T0), new Date(fillAt)).slice(1);
      top = later.reduce((m, c) => (dec(c.high).gt(m) ? dec(c.high) : m), last);
    }
    const tp = await exchange.createOrder({
      symbol: 'BTC/USDT',
      side: 'sell',
      type: 'limit',
      clientOrderId: 'tp',
      amount: '0.01',
      price: top.toFixed(),
    });
    expect(tp.status).toBe('open');
    expect(await exchange.fetchOpenOrders('BTC/USDT')).toEqual([tp]);
    at(fillAt - 1);
    expect(await exchange.fetchOrder('BTC/USDT', { clientOrderId: 'tp' })).toEqual(tp); // not yet
    at(fillAt);
    // Two readers notice the fill at once: it is booked once.
    const [seen, balances] = await Promise.all([
      exchange.fetchOrder('BTC/USDT', { orderId: tp.orderId }),
      exchange.fetchBalances(),
    ]);
    expect(seen).toMatchObject({ status: 'filled', filled: '0.01', price: top.toFixed() });
    const cost = top.times('0.01');
    const proceeds = cost.minus(cost.times('0.001'));
    expect(balances.find((b) => b.currency === 'BTC')).toEqual({ currency: 'BTC', free: '0', used: '0' });
    expect((await usdt(exchange))?.free).toBe(proceeds.toFixed());
    expect(await exchange.fetchOpenOrders('BTC/USDT')).toEqual([]);
    const fills = await exchange.fetchFillsSince('BTC/USDT', T0);
    expect(fills).toEqual([
      expect.objectContaining({
        orderId: tp.orderId,
        clientOrderId: 'tp',
        side: 'sell',
        at: new Date(fillAt).toISOString(),
      }),
    ]);
    expect(await exchange.cancelOrder('BTC/USDT', { clientOrderId: 'tp' })).toEqual(seen);
  });

  it('fills a marketable limit at once as a taker, never beyond its limit', async () => {
    const { exchange, fund } = replayed('acc-taker');
    await fund({ USDT: '1000' });
    const last = dec(market.candleAt('BTC/USDT', new Date(T0)).close);
    const capped = await exchange.createOrder({
      symbol: 'BTC/USDT',
      side: 'buy',
      type: 'limit',
      clientOrderId: 'at-last',
      amount: '0.001',
      price: last.toFixed(),
    });
    // Slippage would take it above the last price; its limit holds it there.
    expect(capped).toMatchObject({ status: 'filled', filled: '0.001' });
    expect(capped.trades[0]?.price).toBe(last.toFixed());
    expect(capped.trades[0]?.fee).toBe(last.times('0.001').times('0.001').toFixed());
  });

  it('cancels a resting buy by exchange id and gives back what it set aside, fee included', async () => {
    const { exchange, fund } = replayed('acc-cancel');
    await fund({ USDT: '1000' });
    const order = await exchange.createOrder({
      symbol: 'ETH/USDT',
      side: 'buy',
      type: 'limit',
      clientOrderId: 'low',
      amount: '0.1',
      price: '1000.004',
    });
    expect(order.price).toBe('1000'); // to the 0.01 tick
    expect(await usdt(exchange)).toEqual({ currency: 'USDT', free: '899.9', used: '100.1' });
    expect(await exchange.cancelOrder('BTC/USDT', { orderId: order.orderId })).toBeNull(); // another market
    expect(await exchange.cancelOrder('ETH/USDT', { orderId: order.orderId })).toMatchObject({
      status: 'cancelled',
    });
    expect(await usdt(exchange)).toEqual({ currency: 'USDT', free: '1000', used: '0' });
    expect(await exchange.cancelOrder('ETH/USDT', { orderId: 'not-ours' })).toBeNull();
  });

  it('lists spot markets only, refuses leverage and reports a key that cannot move money', async () => {
    const { exchange } = replayed('acc-meta');
    const markets = await exchange.loadMarkets();
    expect(markets.map((m) => [m.symbol, m.kind, m.amountStep, m.priceStep])).toEqual([
      ['BTC/USDT', 'spot', '0.00001', '0.01'],
      ['ETH/USDT', 'spot', '0.0001', '0.01'],
      ['SOL/USDT', 'spot', '0.001', '0.01'],
    ]);
    await expect(exchange.setLeverage('BTC/USDT', 2, 'cross')).rejects.toMatchObject({
      kind: 'invalid-order',
    });
    await expect(
      exchange.createOrder({
        symbol: 'BTC/USDT:USDT',
        side: 'buy',
        type: 'market',
        clientOrderId: 'f',
        amount: '1',
      }),
    ).rejects.toMatchObject({ kind: 'invalid-order' });
    expect(await exchange.keyPermissions()).toMatchObject({
      canTrade: true,
      canWithdraw: false,
      canTransfer: false,
    });
  });

  it('serves the replayed 5m bars up to the one in progress, times rising, and 1h bars made of them', async () => {
    const { exchange } = replayed('acc-bars');
    const current = market.candleAt('BTC/USDT', new Date(T0));
    const bars = await exchange.fetchOhlcv('BTC/USDT', '5m', undefined, 300);
    expect(bars).toHaveLength(300);
    expect(bars[bars.length - 1]).toEqual(current);
    for (let i = 1; i < bars.length; i++)
      expect((bars[i]?.openTime ?? 0) - (bars[i - 1]?.openTime ?? 0)).toBe(300_000);
    const since = bars[290]?.openTime ?? 0;
    expect(await exchange.fetchOhlcv('BTC/USDT', '5m', since)).toEqual(bars.slice(290));
    const hours = await exchange.fetchOhlcv('BTC/USDT', '1h', undefined, 3);
    expect(hours.map((h) => h.openTime % 3_600_000)).toEqual([0, 0, 0]);
    expect(hours[2]?.close).toBe(current.close);
    await expect(exchange.fetchOhlcv('BTC/USDT', '1m')).rejects.toMatchObject({ kind: 'invalid-order' });
  });
});
