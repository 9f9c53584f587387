// The paper exchange against DynamoDB Local: fills, balances, and idempotency by client order id.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fundPaperAccount, PaperExchange } from '../../shared/adapters/paper/paper-exchange.js';
import { dec } from '../../shared/core/money/decimal.js';
import { ExchangeError } from '../../shared/ports/exchange-gateway.js';
import { type LocalServices, startLocalServices } from '../support/local-services.js';
import { clock, market } from '../support/pipeline-fixture.js';

let services: LocalServices;

beforeAll(async () => {
  services = await startLocalServices();
});
afterAll(async () => {
  await services?.stop();
});

const owned = (accountId: string) => ({ userId: 'u-paper', accountId });

function exchange(accountId: string) {
  return new PaperExchange(
    { db: services.db, tableName: services.tableName, market, clock },
    owned(accountId),
  );
}

const balanceOf = async (ex: PaperExchange, currency: string) =>
  (await ex.fetchBalances()).find((b) => b.currency === currency) ?? { currency, free: '0', used: '0' };

describe('paper exchange', () => {
  it('fills a market buy at the replayed price and moves the balances by cost plus fee', async () => {
    await fundPaperAccount(services.db, services.tableName, owned('acc-buy'), { USDT: '1000' });
    const ex = exchange('acc-buy');
    const ticker = await ex.fetchTicker('BTC/USDT');
    expect(ticker.last).toBe(market.candleAt('BTC/USDT', clock.now()).close);
    const order = await ex.createOrder({
      symbol: 'BTC/USDT',
      side: 'buy',
      type: 'market',
      clientOrderId: 'c1',
      quoteAmount: '100',
    });
    expect(order.status).toBe('filled');
    const trade = order.trades[0];
    if (!trade) throw new Error('no trade');
    expect((await balanceOf(ex, 'BTC')).free).toBe(order.filled);
    const spent = dec(trade.cost).plus(trade.fee);
    expect((await balanceOf(ex, 'USDT')).free).toBe(dec(1000).minus(spent).toFixed());
  });

  it('returns the first order when the same client order id is sent again, and charges once', async () => {
    await fundPaperAccount(services.db, services.tableName, owned('acc-idem'), { USDT: '1000' });
    const ex = exchange('acc-idem');
    const request = {
      symbol: 'ETH/USDT',
      side: 'buy',
      type: 'market',
      clientOrderId: 'same',
      quoteAmount: '50',
    } as const;
    const [a, b] = await Promise.all([ex.createOrder(request), ex.createOrder(request)]);
    const c = await ex.createOrder(request);
    expect(b).toEqual(a);
    expect(c).toEqual(a);
    const usdt = dec((await balanceOf(ex, 'USDT')).free);
    expect(usdt.gt(940)).toBe(true); // one purchase of ~50, not two
  });

  it('refuses a buy it cannot pay for, as insufficient funds, and changes nothing', async () => {
    await fundPaperAccount(services.db, services.tableName, owned('acc-poor'), { USDT: '10' });
    const ex = exchange('acc-poor');
    const error = await ex
      .createOrder({
        symbol: 'BTC/USDT',
        side: 'buy',
        type: 'market',
        clientOrderId: 'x',
        quoteAmount: '100',
      })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ExchangeError);
    expect((error as ExchangeError).kind).toBe('insufficient-funds');
    expect((error as ExchangeError).retryable).toBe(false);
    expect(await ex.fetchOrderByClientId('BTC/USDT', 'x')).toBeNull();
    expect((await balanceOf(ex, 'USDT')).free).toBe('10');
  });

  it('reserves the base amount of a resting sell limit order', async () => {
    await fundPaperAccount(services.db, services.tableName, owned('acc-limit'), { USDT: '0', SOL: '2' });
    const ex = exchange('acc-limit');
    const order = await ex.createOrder({
      symbol: 'SOL/USDT',
      side: 'sell',
      type: 'limit',
      clientOrderId: 'tp',
      amount: '1.5',
      price: '999',
    });
    expect(order.status).toBe('open');
    expect(await balanceOf(ex, 'SOL')).toEqual({ currency: 'SOL', free: '0.5', used: '1.5' });
  });

  it("keeps two users' accounts apart even when their account ids are the same", async () => {
    const deps = { db: services.db, tableName: services.tableName, market, clock };
    const a = { userId: 'u-one', accountId: 'acc-same' };
    const b = { userId: 'u-two', accountId: 'acc-same' };
    await fundPaperAccount(services.db, services.tableName, a, { USDT: '500' });
    await fundPaperAccount(services.db, services.tableName, b, { USDT: '70' });
    const exA = new PaperExchange(deps, a);
    const exB = new PaperExchange(deps, b);
    await exA.createOrder({
      symbol: 'BTC/USDT',
      side: 'buy',
      type: 'market',
      clientOrderId: 'same-id',
      quoteAmount: '50',
    });
    expect(await exB.fetchOrderByClientId('BTC/USDT', 'same-id')).toBeNull();
    expect((await exB.fetchBalances()).find((x) => x.currency === 'USDT')?.free).toBe('70');
  });

  it('keeps the balances a funded account already has when it is funded again', async () => {
    await fundPaperAccount(services.db, services.tableName, owned('acc-refund'), { USDT: '100' });
    const ex = exchange('acc-refund');
    await ex.createOrder({
      symbol: 'BTC/USDT',
      side: 'buy',
      type: 'market',
      clientOrderId: 'b',
      quoteAmount: '50',
    });
    await fundPaperAccount(services.db, services.tableName, owned('acc-refund'), { USDT: '100' });
    expect(dec((await balanceOf(ex, 'USDT')).free).lt(51)).toBe(true);
  });
});
