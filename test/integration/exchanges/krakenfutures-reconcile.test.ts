// Kraken Futures forgets a finished order in orders/status after five seconds, and GET /fills
// answers 100 fills a page. These tests put the order a lookup must find behind that window and
// behind a full page of other fills, on a fake whose clock the test moves: the order is found (so
// never placed twice), its state is reported as it is, and a lookup that cannot read far enough
// back says so instead of answering "absent".
import { afterEach, describe, expect, it } from 'vitest';
import { ExchangeError, type ExchangeGateway } from '../../../shared/ports/exchange-gateway.js';
import { fakeGateway } from '../../support/exchange-test-kit.js';
import {
  type KrakenFuturesFake,
  startKrakenFuturesFake,
} from '../../support/fake-exchanges/krakenfutures-fake.js';

const BTC = 'BTC/USD:USD';
const SEND = '/derivatives/api/v3/sendorder';
const FILLS = '/derivatives/api/v3/fills';
const HISTORY = '/api/history/v2/orders';
const MINUTE = 60_000;

let fakes: KrakenFuturesFake[] = [];
let sequence = 0;
let others = 0;
const clientId = (step: string) => `kfr-${Date.now().toString(36)}-${++sequence}-${step}`;

afterEach(async () => {
  await Promise.all(fakes.map((f) => f.close()));
  fakes = [];
});

/** A fake whose clock only moves when the test moves it. */
async function clockedFake(): Promise<{
  f: KrakenFuturesFake;
  advance: (ms: number) => void;
  now: () => number;
}> {
  let t = Date.now();
  const f = await startKrakenFuturesFake({ now: () => t });
  fakes.push(f);
  return { f, advance: (ms) => (t += ms), now: () => t };
}

const gatewayFor = (f: KrakenFuturesFake): ExchangeGateway => fakeGateway('krakenfutures', f);

const marketBuy = (id: string, amount = '0.01') =>
  ({ symbol: BTC, side: 'buy', type: 'market', clientOrderId: id, amount }) as const;
const limitBuy = (id: string, price = '50000', amount = '0.05') =>
  ({ symbol: BTC, side: 'buy', type: 'limit', clientOrderId: id, amount, price }) as const;

/** Other bots trading on the same account: one fill every `stepMs` (a second), ETH and BTC, both sides. */
function otherFills(f: KrakenFuturesFake, advance: (ms: number) => void, count: number, stepMs = 1000): void {
  for (let i = 0; i < count; i++) {
    advance(stepMs);
    const placed = f.ledger.place({
      symbol: i % 5 === 0 ? 'PF_XBTUSD' : 'PF_ETHUSD',
      side: i % 2 === 0 ? 'sell' : 'buy',
      type: 'market',
      amount: i % 5 === 0 ? '0.001' : '0.01',
      clientOrderId: `other-${++others}`,
    });
    if (!placed.ok) throw new Error(`fake: other fill ${i} refused: ${placed.message}`);
  }
}

const sends = (f: KrakenFuturesFake) => f.server.requestsTo('POST', SEND).length;
const pagedFills = (f: KrakenFuturesFake) =>
  f.server.requestsTo('GET', FILLS).filter((r) => new URLSearchParams(r.rawQuery).has('lastFillTime'));

describe('Kraken Futures: finding an order orders/status has forgotten', () => {
  it('finds a filled order behind 150 newer fills and does not place it again', async () => {
    const { f, advance } = await clockedFake();
    const gateway = gatewayFor(f);
    const id = clientId('deep');
    const placed = await gateway.createOrder(marketBuy(id));
    expect(placed.status).toBe('filled');
    otherFills(f, advance, 150);
    // The Lambda died after sendorder; SQS redelivers five minutes later.
    advance(5 * MINUTE);

    const found = await gateway.fetchOrderByClientId(BTC, id);
    expect(found).toMatchObject({
      orderId: placed.orderId,
      clientOrderId: id,
      status: 'filled',
      filled: '0.01',
    });
    expect(found?.trades.map((t) => t.price)).toEqual(['60000']);
    // The latest 100 fills do not reach it: the lookup paged back with lastFillTime.
    expect(pagedFills(f).length).toBeGreaterThan(0);

    const again = await gateway.createOrder(marketBuy(id));
    expect(again.orderId).toBe(placed.orderId);
    expect(sends(f)).toBe(1);
    expect(f.ledger.orders.filter((o) => o.clientOrderId === id)).toHaveLength(1);
  });

  it('pages past a page boundary that falls among fills sharing one instant', async () => {
    const { f, advance } = await clockedFake();
    const gateway = gatewayFor(f);
    const id = clientId('tie');
    const placed = await gateway.createOrder(marketBuy(id));
    // 30 more fills in the same millisecond as the order's, then 90 later ones: the first page
    // ends inside that millisecond, and the order's fill is on the second.
    otherFills(f, advance, 30, 0);
    otherFills(f, advance, 90);
    advance(5 * MINUTE);
    const found = await gateway.fetchOrderByClientId(BTC, id);
    expect(found).toMatchObject({ orderId: placed.orderId, status: 'filled' });
    // Its fill was read (the order events alone carry no trades).
    expect(found?.trades.map((t) => t.amount)).toEqual(['0.01']);
    expect(pagedFills(f)).toHaveLength(1);
  });

  it('finds a limit order cancelled unfilled (it has no fills) in the order history', async () => {
    const { f, advance } = await clockedFake();
    const gateway = gatewayFor(f);
    const id = clientId('gone');
    const placed = await gateway.createOrder(limitBuy(id));
    await gateway.cancelOrder(BTC, { clientOrderId: id });
    advance(5 * MINUTE);

    expect(await gateway.fetchOrderByClientId(BTC, id)).toMatchObject({
      orderId: placed.orderId,
      status: 'cancelled',
      filled: '0',
      amount: '0.05',
      price: '50000',
    });
    expect((await gateway.createOrder(limitBuy(id))).orderId).toBe(placed.orderId);
    expect(sends(f)).toBe(1);
    expect(f.server.requestsTo('GET', HISTORY).length).toBeGreaterThan(0);
  });

  it('reports a partly filled order cancelled later as cancelled with its filled part, not as filled', async () => {
    const { f, advance } = await clockedFake();
    const gateway = gatewayFor(f);
    const id = clientId('part');
    const placed = await gateway.createOrder(limitBuy(id));
    advance(1000);
    f.fillPart(placed.orderId, '0.02', '50000', true);
    advance(1000);
    await gateway.cancelOrder(BTC, { clientOrderId: id });
    advance(5 * MINUTE);

    const found = await gateway.fetchOrderByClientId(BTC, id);
    expect(found).toMatchObject({ status: 'cancelled', filled: '0.02', amount: '0.05', price: '50000' });
    expect(found?.trades.map((t) => [t.amount, t.price])).toEqual([['0.02', '50000']]);
    expect(await gateway.fetchOrder(BTC, { orderId: placed.orderId })).toMatchObject({
      clientOrderId: id,
      status: 'cancelled',
      filled: '0.02',
    });
  });

  it('keeps the limit price of an open, partly filled limit order; the fills carry what was paid', async () => {
    const { f, advance } = await clockedFake();
    const gateway = gatewayFor(f);
    const id = clientId('open-part');
    const placed = await gateway.createOrder(limitBuy(id));
    advance(1000);
    // Part of it crossed the book on arrival, below the limit.
    f.fillPart(placed.orderId, '0.02', '49990', false);

    const found = await gateway.fetchOrderByClientId(BTC, id);
    expect(found).toMatchObject({ status: 'open', type: 'limit', price: '50000', filled: '0.02' });
    expect(found?.trades.map((t) => t.price)).toEqual(['49990']);
  });

  it('refuses to call an order absent when 20 full pages of fills still do not reach back 7 days', {
    timeout: 30_000,
  }, async () => {
    const { f, advance } = await clockedFake();
    const gateway = gatewayFor(f);
    await gateway.loadMarkets();
    otherFills(f, advance, 2100);
    const error = await gateway.createOrder(marketBuy(clientId('busy'))).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ExchangeError);
    expect((error as ExchangeError).retryable).toBe(true);
    expect(sends(f)).toBe(0);
    expect(f.server.requestsTo('GET', FILLS)).toHaveLength(20);
  });

  it('given when its position was created, reads back only that far: a busy account still places new orders', async () => {
    const { f, advance, now } = await clockedFake();
    const gateway = gatewayFor(f);
    await gateway.loadMarkets();
    otherFills(f, advance, 2100);
    // The position was created 30 s (30 other fills) ago: no order of it can be older.
    const order = await gateway.createOrder({ ...marketBuy(clientId('recent')), notBefore: now() - 30_000 });
    expect(order.status).toBe('filled');
    expect(sends(f)).toBe(1);
    expect(f.server.requestsTo('GET', FILLS).length).toBeLessThanOrEqual(3);
  });

  it('refuses to call an order absent when 10 pages of order events do not reach back 7 days', async () => {
    const { f, advance } = await clockedFake();
    const gateway = gatewayFor(f);
    // 2,600 limit orders placed and cancelled unfilled: no fills, 5,200 events.
    for (let i = 0; i < 2600; i++) {
      advance(1000);
      const placed = f.ledger.place({
        symbol: 'PF_XBTUSD',
        side: 'buy',
        type: 'limit',
        amount: '0.001',
        price: '40000',
        clientOrderId: `other-${++others}`,
      });
      if (!placed.ok) throw new Error(placed.message);
      f.ledger.cancel(placed.order);
    }
    const error = await gateway.createOrder(marketBuy(clientId('churn'))).catch((e: unknown) => e);
    expect(error).toMatchObject({ kind: 'exchange-unavailable', retryable: true });
    expect(sends(f)).toBe(0);
    expect(f.server.requestsTo('GET', HISTORY)).toHaveLength(10);
  });

  it('calls an order absent once the fills reach back past 7 days, and places it', async () => {
    const { f, advance } = await clockedFake();
    const gateway = gatewayFor(f);
    otherFills(f, advance, 150);
    advance(8 * 24 * 60 * MINUTE);
    const order = await gateway.createOrder(marketBuy(clientId('quiet')));
    expect(order.status).toBe('filled');
    expect(sends(f)).toBe(1);
    // The first page (the newest 100 fills) is already older than the horizon.
    expect(pagedFills(f)).toHaveLength(0);
  });
});
