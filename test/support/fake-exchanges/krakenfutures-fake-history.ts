// Kraken Futures' account history of order events, GET /api/history/v2/orders, rebuilt from the
// ledger's orders. Shape per Kraken's "Get order events" reference: { accountUid, len, serverTime,
// elements: [{ uid, timestamp, event: { OrderPlaced | OrderUpdated | OrderCancelled: ... } }],
// continuationToken }; the order snapshot fields as documented there. Values follow ccxt's sample
// of a v2 reply (krakenfutures.parseOrder): numbers and timestamps as strings, `direction` "Buy" /
// "Sell", and an order that executed on arrival shown by OrderPlaced with its `filled` part and
// the rest as `quantity` (quantity "0", filled "0.1" for a filled IoC). Not modelled: rejections
// (OrderRejected; the ledger keeps no refused orders), edits and trigger orders.
import { dec, str } from '../../../shared/core/money/decimal.js';
import type { FakeLedger, FakeOrder } from './fake-ledger.js';
import type { FakeRequest, FakeResponse } from './fake-server.js';

const ACCOUNT_UID = '3c90c3cc-0d44-4b50-8888-8dd25736052a';
/** The "global limit" on `count` is not documented; 1000 stands in for it. */
const MAX_COUNT = 1000;
const DEFAULT_COUNT = 500;

interface OrderEvent {
  readonly uid: string;
  readonly timestamp: number;
  /** Orders events that share a timestamp the way they happened. */
  readonly seq: number;
  readonly event: Record<string, unknown>;
}

function snapshot(order: FakeOrder, filled: string, at: number): Record<string, unknown> {
  return {
    uid: order.orderId,
    accountUid: ACCOUNT_UID,
    tradeable: order.symbol,
    direction: order.side === 'buy' ? 'Buy' : 'Sell',
    quantity: str(dec(order.amount).minus(filled)),
    filled,
    timestamp: String(order.createdAt),
    limitPrice: order.price ?? order.fills[0]?.price ?? '0',
    // Kraken turns a market order into an IoC with a protection price (sendorder echoes "ioc").
    orderType: order.type === 'market' ? 'IoC' : 'Limit',
    clientId: order.clientOrderId ?? '',
    reduceOnly: order.reduceOnly,
    lastUpdateTimestamp: String(at),
    spotData: null,
  };
}

/** The events an order has produced so far: placed (with what executed on arrival), fills, a cancel. */
function eventsOf(order: FakeOrder, index: number): OrderEvent[] {
  const seq = (n: number) => index * 1000 + n;
  // The ledger fills as taker only on arrival; maker fills come later, from the book.
  const onArrival = order.fills.filter((f) => !f.maker).reduce((sum, f) => sum.plus(f.amount), dec(0));
  const events: OrderEvent[] = [
    {
      uid: `ev-${order.orderId}-placed`,
      timestamp: order.createdAt,
      seq: seq(0),
      event: {
        OrderPlaced: {
          order: snapshot(order, str(onArrival), order.createdAt),
          reason: 'new_user_order',
          reducedQuantity: '',
          algoId: '',
        },
      },
    },
  ];
  let filled = onArrival;
  for (const [i, fill] of order.fills.entries()) {
    if (!fill.maker) continue;
    const before = str(filled);
    filled = filled.plus(fill.amount);
    events.push({
      uid: `ev-${fill.tradeId}`,
      timestamp: fill.at,
      seq: seq(1 + i),
      event: {
        OrderUpdated: {
          oldOrder: snapshot(order, before, fill.at),
          newOrder: snapshot(order, str(filled), fill.at),
          reason: filled.gte(order.amount) ? 'full_fill' : 'partial_fill',
        },
      },
    });
  }
  if (order.status === 'cancelled') {
    events.push({
      uid: `ev-${order.orderId}-cancelled`,
      timestamp: order.updatedAt,
      seq: seq(999),
      event: {
        OrderCancelled: {
          order: snapshot(order, order.filled, order.updatedAt),
          reason: 'cancelled_by_user',
        },
      },
    });
  }
  return events;
}

const tokenOf = (e: OrderEvent) => Buffer.from(`${e.timestamp}:${e.seq}`).toString('base64');

function afterToken(token: string, desc: boolean): (e: OrderEvent) => boolean {
  const [t, s] = Buffer.from(token, 'base64').toString('utf8').split(':').map(Number);
  const key = { timestamp: t ?? 0, seq: s ?? 0 };
  const cmp = (e: OrderEvent) => e.timestamp - key.timestamp || e.seq - key.seq;
  return desc ? (e) => cmp(e) < 0 : (e) => cmp(e) > 0;
}

/** GET /api/history/v2/orders: since / before (ms), sort, count, tradeable, continuation_token. */
export function orderEvents(ledger: FakeLedger, now: number, request: FakeRequest): FakeResponse {
  const q = request.query;
  const since = q.has('since') ? Number(q.get('since')) : Number.NEGATIVE_INFINITY;
  const before = q.has('before') ? Number(q.get('before')) : Number.POSITIVE_INFINITY;
  const desc = (q.get('sort') ?? 'desc') !== 'asc';
  const count = Math.min(Number(q.get('count') ?? DEFAULT_COUNT) || DEFAULT_COUNT, MAX_COUNT);
  const tradeable = q.get('tradeable');
  const token = q.get('continuation_token');
  // ccxt's error map: "accountInactive" when the account has no order history yet.
  if (ledger.orders.length === 0) {
    return {
      status: 200,
      body: { result: 'error', serverTime: new Date(now).toISOString(), error: 'accountInactive' },
    };
  }
  const all = ledger.orders
    .flatMap(eventsOf)
    .filter((e) => e.timestamp >= since && e.timestamp < before)
    .filter((e) => {
      if (!tradeable) return true;
      const body = Object.values(e.event)[0] as {
        order?: { tradeable?: string };
        newOrder?: { tradeable?: string };
      };
      return (body.order ?? body.newOrder)?.tradeable === tradeable;
    })
    .sort((a, b) => (a.timestamp - b.timestamp || a.seq - b.seq) * (desc ? -1 : 1))
    .filter(token ? afterToken(token, desc) : () => true);
  const page = all.slice(0, count);
  const last = page.at(-1);
  const more = all.length > page.length && last !== undefined;
  return {
    status: 200,
    headers: more ? { 'Next-Continuation-Token': tokenOf(last) } : {},
    body: {
      accountUid: ACCOUNT_UID,
      len: page.length,
      serverTime: new Date(now).toISOString(),
      elements: page.map(({ uid, timestamp, event }) => ({ uid, timestamp: String(timestamp), event })),
      ...(more ? { continuationToken: tokenOf(last) } : {}),
    },
  };
}
