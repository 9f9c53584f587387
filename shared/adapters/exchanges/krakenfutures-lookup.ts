// Finding a Kraken Futures order. orders/status knows open orders and orders that finished in the
// last five seconds. Older ones are found in two places that reach back further: GET /fills (an
// order that traded; 100 fills a page, account-wide, paged back with lastFillTime) and the history
// API's order events (every order, traded or not: one cancelled before it filled has no fills).
// "Absent" is only ever answered when both were read back to the lookback horizon: the gateway
// sends an order a lookup reports absent, so a lookup that could not read far enough back fails,
// retryably, instead (see lookupIncomplete).
import { z } from 'zod';
import { ExchangeError } from '../../ports/exchange-gateway.js';
import { type CcxtExchange, type CcxtMarket, type CcxtOrder, type CcxtTrade, ccxtErrors } from './ccxt.js';

type Market = NonNullable<CcxtMarket>;

/**
 * How far back a lookup reads: longer than a command can wait for redelivery. A client order id
 * used before this is taken as unused.
 */
const LOOKBACK_MS = 7 * 24 * 60 * 60 * 1000;
const NOT_BEFORE_SLACK_MS = 60_000;
/** GET /fills answers 100 fills a page (Kraken's docs). */
const FILLS_PER_PAGE = 100;
/** 2,000 fills; at 25 cost units a page after the first, about one 10-second budget. */
const MAX_FILL_PAGES = 20;
/** Order events a history page asks for; the history API allows 100 requests per 10 minutes. */
const EVENTS_PER_PAGE = 500;
const MAX_EVENT_PAGES = 10;
/** Fill sizes are floats: sums may fall a hair short of the order's filled size. */
const SIZE_TOLERANCE = 1e-9;

/** What a lookup failed to establish: thrown as retryable, so the caller looks again later. */
function lookupIncomplete(what: string): ExchangeError {
  return new ExchangeError(
    'exchange-unavailable',
    `krakenfutures: ${what}; the order may exist, so it is not reported absent (try again later)`,
  );
}

const fillsPageSchema = z.object({
  serverTime: z.string().optional(),
  fills: z.array(
    z.looseObject({
      fill_id: z.string(),
      symbol: z.string(),
      order_id: z.string(),
      cliOrdId: z.string().nullable().optional(),
      fillTime: z.string(),
    }),
  ),
});
type RawFill = z.infer<typeof fillsPageSchema>['fills'][number];

interface FillScan {
  readonly fills: CcxtTrade[];
  /** True when the account's fills were read back to the horizon or to their start. */
  readonly complete: boolean;
  /** Server time minus LOOKBACK_MS. */
  readonly horizon: number;
}

const sizeOf = (trades: readonly CcxtTrade[]) => trades.reduce((sum, t) => sum + (t.amount ?? 0), 0);
const covers = (trades: readonly CcxtTrade[], filled: number) =>
  sizeOf(trades) >= filled * (1 - SIZE_TOLERANCE);

/**
 * Reads the account's fills newest first, a page of 100 at a time, keeping those of `market` that
 * `belongs` accepts, until `enough` is satisfied, a page is short (the account's first fills) or
 * reaches past the horizon. Each next page asks for the fills before the oldest one seen plus 1 ms:
 * fills sharing that instant that the page cut off come next (the ones already read are skipped).
 */
async function scanFills(
  client: CcxtExchange,
  market: Market,
  belongs: (fill: RawFill) => boolean,
  enough: (fills: readonly CcxtTrade[]) => boolean,
  notBefore?: number,
): Promise<FillScan> {
  const seen = new Set<string>();
  const fills: CcxtTrade[] = [];
  const symbol = String(market.id).toUpperCase();
  let horizon: number | undefined;
  let before: number | undefined;
  for (let page = 0; page < MAX_FILL_PAGES; page++) {
    const params = before === undefined ? {} : { lastFillTime: new Date(before).toISOString() };
    const reply = fillsPageSchema.parse(await client.request('fills', 'private', 'GET', params));
    const serverNow = Date.parse(reply.serverTime ?? '');
    horizon ??= Math.max(
      (Number.isFinite(serverNow) ? serverNow : client.milliseconds()) - LOOKBACK_MS,
      // No order with this id exists before its position did (a minute's slack for clocks).
      notBefore === undefined ? Number.NEGATIVE_INFINITY : notBefore - NOT_BEFORE_SLACK_MS,
    );
    let fresh = 0;
    let oldest = Number.POSITIVE_INFINITY;
    const matching: RawFill[] = [];
    for (const fill of reply.fills) {
      oldest = Math.min(oldest, Date.parse(fill.fillTime));
      if (seen.has(fill.fill_id)) continue;
      seen.add(fill.fill_id);
      fresh += 1;
      if (fill.symbol.toUpperCase() === symbol && belongs(fill)) matching.push(fill);
    }
    fills.push(...client.parseTrades(matching, market));
    if (enough(fills) || reply.fills.length < FILLS_PER_PAGE || oldest < horizon) {
      return { fills, complete: true, horizon };
    }
    // A page of fills all read before (more than 100 at one instant) or without times: stuck.
    if (fresh === 0 || !Number.isFinite(oldest)) return { fills, complete: false, horizon };
    before = oldest + 1;
  }
  return { fills, complete: false, horizon: horizon ?? client.milliseconds() - LOOKBACK_MS };
}

const decimalText = z.union([z.string(), z.number()]).transform((v) => Number(v));

/** An order as the history API's events show it (Kraken's "Get order events" schema). */
const snapshotSchema = z.looseObject({
  uid: z.string(),
  tradeable: z.string().optional(),
  direction: z.string().optional(),
  quantity: decimalText.optional(),
  filled: decimalText.optional(),
  timestamp: decimalText.optional(),
  limitPrice: decimalText.optional(),
  orderType: z.string().optional(),
  clientId: z.string().nullable().optional(),
});
type Snapshot = z.infer<typeof snapshotSchema>;

const historyPageSchema = z.object({
  elements: z.array(z.looseObject({ timestamp: decimalText, event: z.record(z.string(), z.unknown()) })),
  continuationToken: z.string().nullable().optional(),
});

type EventKind = 'placed' | 'updated' | 'cancelled' | 'rejected' | 'other';

/** The event types that carry an order, and which of their fields holds it as it stands after. */
const EVENT_ORDER: Readonly<Record<string, readonly [EventKind, string]>> = {
  OrderPlaced: ['placed', 'order'],
  OrderUpdated: ['updated', 'newOrder'],
  OrderCancelled: ['cancelled', 'order'],
  OrderRejected: ['rejected', 'order'],
  OrderEditRejected: ['other', 'oldOrder'],
};

interface OrderEvent {
  readonly kind: EventKind;
  readonly timestamp: number;
  readonly order: Snapshot;
  readonly raw: unknown;
}

function eventsIn(element: z.infer<typeof historyPageSchema>['elements'][number]): OrderEvent[] {
  const out: OrderEvent[] = [];
  for (const [name, body] of Object.entries(element.event)) {
    const shape = EVENT_ORDER[name];
    if (!shape || typeof body !== 'object' || body === null) continue;
    const order = snapshotSchema.safeParse((body as Record<string, unknown>)[shape[1]]);
    if (order.success)
      out.push({ kind: shape[0], timestamp: element.timestamp, order: order.data, raw: element });
  }
  return out;
}

/**
 * The order events of `market` that `matches` accepts, newest first, from now back to `since`,
 * until `done` says enough. ccxt's error table reads "accountInactive" as an account without order
 * history: nothing to find.
 */
async function scanOrderEvents(
  client: CcxtExchange,
  market: Market,
  since: number,
  matches: (order: Snapshot) => boolean,
  done: (events: readonly OrderEvent[]) => boolean,
): Promise<{ events: OrderEvent[]; complete: boolean }> {
  const events: OrderEvent[] = [];
  let token: string | undefined;
  for (let page = 0; page < MAX_EVENT_PAGES; page++) {
    let reply: z.infer<typeof historyPageSchema>;
    try {
      reply = historyPageSchema.parse(
        await client.request('orders', 'history', 'GET', {
          since: Math.floor(since),
          sort: 'desc',
          count: EVENTS_PER_PAGE,
          tradeable: String(market.id),
          ...(token === undefined ? {} : { continuation_token: token }),
        }),
      );
    } catch (error) {
      if (error instanceof ccxtErrors.ExchangeError && error.message.includes('accountInactive')) {
        return { events, complete: true };
      }
      throw error;
    }
    for (const element of reply.elements) {
      events.push(...eventsIn(element).filter((e) => matches(e.order)));
    }
    if (done(events)) return { events, complete: true };
    if (!reply.continuationToken) return { events, complete: true };
    token = reply.continuationToken;
  }
  return { events, complete: false };
}

/** The events of one order, read back until the one that placed it. */
function eventsOfOrder(client: CcxtExchange, market: Market, since: number, orderId: string) {
  return scanOrderEvents(
    client,
    market,
    since,
    (o) => o.uid === orderId,
    (events) => events.some((e) => e.kind === 'placed'),
  );
}

/**
 * An order rebuilt from its events and fills. `quantity` in an event is what is left to fill, as
 * ccxt's sample of a filled IoC shows (quantity "0", filled "0.1"): the order's size is quantity
 * plus filled. Without a cancel or rejection, an order not filled in full is still working (it
 * was placed after orders/status was asked).
 */
function orderFromEvents(
  client: CcxtExchange,
  market: Market,
  events: readonly OrderEvent[],
  trades: readonly CcxtTrade[],
): CcxtOrder | null {
  const sorted = [...events].sort((a, b) => a.timestamp - b.timestamp);
  const placed = (sorted.find((e) => e.kind === 'placed') ?? sorted[0])?.order;
  if (!placed) return null;
  const filled = Math.max(sizeOf(trades), ...sorted.map((e) => e.order.filled ?? 0));
  const amount = Math.max(filled, ...sorted.map((e) => (e.order.quantity ?? 0) + (e.order.filled ?? 0)));
  const ended = sorted.find((e) => e.kind === 'cancelled' || e.kind === 'rejected');
  const status =
    ended?.kind === 'rejected'
      ? 'rejected'
      : ended
        ? 'canceled'
        : filled >= amount * (1 - SIZE_TOLERANCE)
          ? 'closed'
          : 'open';
  const limit = /^(limit|post)$/i.test(placed.orderType ?? '');
  const timestamp = placed.timestamp ?? sorted[0]?.timestamp;
  const bought = sizeOf(trades);
  return client.safeOrder(
    {
      id: placed.uid,
      clientOrderId: placed.clientId || undefined,
      symbol: market.symbol,
      side: placed.direction?.toLowerCase(),
      type: limit ? 'limit' : 'market',
      status,
      timestamp,
      datetime: timestamp === undefined ? undefined : client.iso8601(timestamp),
      amount,
      filled,
      remaining: Math.max(0, amount - filled),
      // A market order's limitPrice is only Kraken's protection bound: what it paid is the average.
      price: limit && placed.limitPrice ? placed.limitPrice : undefined,
      average: bought > 0 ? trades.reduce((sum, t) => sum + (t.cost ?? 0), 0) / bought : undefined,
      trades: [...trades],
      info: { events: events.map((e) => e.raw) },
    },
    market,
  );
}

function clientIdOf(fill: CcxtTrade): string | undefined {
  const id = (fill.info as { cliOrdId?: unknown } | undefined)?.cliOrdId;
  return typeof id === 'string' && id !== '' ? id : undefined;
}

/**
 * An order rebuilt from its fills alone, when the order events do not show it (the history API
 * behind, or unreachable): it traded, so it exists; it is not in orders/status, so it is finished,
 * reported filled for what the fills hold. Fills do not carry the order type: a maker fill means
 * it rested (a limit).
 */
function orderFromFills(client: CcxtExchange, market: Market, fills: readonly CcxtTrade[]): CcxtOrder | null {
  const first = [...fills].sort((a, b) => (a.timestamp ?? 0) - (b.timestamp ?? 0))[0];
  if (!first) return null;
  return client.safeOrder(
    {
      id: first.order,
      clientOrderId: clientIdOf(first),
      symbol: market.symbol,
      side: first.side,
      type: fills.some((f) => f.takerOrMaker === 'maker') ? 'limit' : 'market',
      status: 'closed',
      timestamp: first.timestamp,
      datetime: first.datetime,
      amount: sizeOf(fills),
      trades: [...fills],
      info: { fills: fills.map((f) => f.info) },
    },
    market,
  );
}

/**
 * ccxt leaves `type` and `price` out of an orders/status entry, which carries no order type. One
 * still open is a limit order (market orders never rest), and its limitPrice is its limit, filled
 * in part or not. A finished one's limitPrice is its limit if it was a limit order, but a market
 * order's protection bound otherwise: it is kept only while nothing filled (no average to report).
 */
function withStatusDetails(order: CcxtOrder): CcxtOrder {
  const info = (order.info ?? {}) as { order?: { limitPrice?: unknown } };
  const limitPrice = Number(info.order?.limitPrice);
  const open = order.status === 'open';
  const unfilled = !order.filled || order.filled <= 0;
  return {
    ...order,
    ...(open ? { type: 'limit' } : {}),
    ...((open || unfilled) && order.price === undefined && Number.isFinite(limitPrice) && limitPrice > 0
      ? { price: limitPrice }
      : {}),
  };
}

/**
 * Adds an orders/status order's fills (orders/status lists none): its trades and the average paid.
 * The price stays what orders/status gave: a limit order's limit is not its average.
 */
async function withTrades(client: CcxtExchange, market: Market, order: CcxtOrder): Promise<CcxtOrder> {
  const filled = order.filled ?? 0;
  if (filled <= 0) return order;
  const { fills } = await scanFills(
    client,
    market,
    (fill) => fill.order_id === order.id,
    (found) => covers(found, filled),
  );
  if (fills.length === 0) return order;
  const cost = fills.reduce((sum, t) => sum + (t.cost ?? 0), 0);
  // A maker fill means the order rested in the book: a limit order.
  const rested = fills.some((t) => t.takerOrMaker === 'maker');
  const limitPrice = Number((order.info as { order?: { limitPrice?: unknown } }).order?.limitPrice);
  return {
    ...order,
    trades: fills,
    cost,
    average: cost / sizeOf(fills),
    ...(rested
      ? { type: 'limit', ...(order.price === undefined && limitPrice > 0 ? { price: limitPrice } : {}) }
      : {}),
  };
}

/** orders/status for one order, by exchange id or by client id; null when it does not list it. */
async function fromOrderStatus(
  client: CcxtExchange,
  market: Market,
  query: { orderIds: string[] } | { cliOrdIds: string },
  matches: (order: CcxtOrder) => boolean,
): Promise<CcxtOrder | null> {
  const orders = await client.fetchOrders(market.symbol, undefined, undefined, query);
  const order = orders.find(matches);
  return order ? withTrades(client, market, withStatusDetails(order)) : null;
}

export type OrderKey = { readonly orderId: string } | { readonly clientOrderId: string };

/**
 * One order by exchange id or client id, wherever Kraken still shows it: orders/status, then the
 * fills, then the order events. Null only when the fills and the events were both read back to the
 * horizon without it; otherwise a retryable error (see lookupIncomplete).
 */
export async function locate(
  client: CcxtExchange,
  market: Market,
  key: OrderKey,
  notBefore?: number,
): Promise<CcxtOrder | null> {
  const found = await fromOrderStatus(
    client,
    market,
    'orderId' in key ? { orderIds: [key.orderId] } : { cliOrdIds: key.clientOrderId },
    (o) => ('orderId' in key ? o.id === key.orderId : o.clientOrderId === key.clientOrderId),
  );
  if (found) return found;
  const scan = await scanFills(
    client,
    market,
    'orderId' in key ? (f) => f.order_id === key.orderId : (f) => f.cliOrdId === key.clientOrderId,
    (fills) => fills.length > 0,
    notBefore,
  );
  const traded = scan.fills[0]?.order;
  if (traded !== undefined) return finishedFromFills(client, market, traded, scan);
  const history = await scanOrderEvents(
    client,
    market,
    scan.horizon,
    (o) => ('orderId' in key ? o.uid === key.orderId : o.clientId === key.clientOrderId),
    (events) => events.some((e) => e.kind === 'placed'),
  );
  // No fills: whatever it was, it traded nothing (or nothing inside the horizon).
  if (history.events.length > 0) return orderFromEvents(client, market, history.events, []);
  if (!scan.complete) {
    throw lookupIncomplete(
      `${MAX_FILL_PAGES} pages of fills do not reach back ${LOOKBACK_MS / 86_400_000} days`,
    );
  }
  if (!history.complete) {
    throw lookupIncomplete(
      `${MAX_EVENT_PAGES} pages of order events do not reach back ${LOOKBACK_MS / 86_400_000} days`,
    );
  }
  return null;
}

/**
 * A finished order whose fills were found: its events tell whether it was cancelled with part
 * unfilled and how much it filled in all, so its fills are read on until they add up to that.
 * Without its events (the history API behind or failing) the fills alone describe it.
 */
async function finishedFromFills(
  client: CcxtExchange,
  market: Market,
  orderId: string,
  scan: FillScan,
): Promise<CcxtOrder | null> {
  const own = scan.fills.filter((f) => f.order === orderId);
  let events: OrderEvent[];
  try {
    ({ events } = await eventsOfOrder(client, market, scan.horizon, orderId));
  } catch {
    // The fills prove the order exists; its events would only refine its state.
    return orderFromFills(client, market, own);
  }
  if (events.length === 0) return orderFromFills(client, market, own);
  const filled = Math.max(...events.map((e) => e.order.filled ?? 0));
  const trades = covers(own, filled)
    ? own
    : (
        await scanFills(
          client,
          market,
          (f) => f.order_id === orderId,
          (found) => covers(found, filled),
        )
      ).fills;
  return orderFromEvents(client, market, events, trades);
}
