// The Kraken Futures endpoints ccxt's krakenfutures class calls for the gateway's operations, on
// their real paths: /derivatives/api/v3/* (market data, orders, fills, accounts, leverage), the
// charts API, the history API's order events and the auth service's key check. Each turns wire params into ledger calls and back.
import type { FakeLedger, FakeOrder, PlaceRejection } from './fake-ledger.js';
import type { FakeRequest, FakeResponse, FakeRoute } from './fake-server.js';
import { orderEvents } from './krakenfutures-fake-history.js';
import * as wire from './krakenfutures-fake-wire.js';

const V3 = '/derivatives/api/v3';
const TIMEFRAMES_MS: Readonly<Record<string, number>> = {
  '1m': 60_000,
  '5m': 300_000,
  '15m': 900_000,
  '30m': 1_800_000,
  '1h': 3_600_000,
  '4h': 14_400_000,
  '12h': 43_200_000,
  '1d': 86_400_000,
  '1w': 604_800_000,
};

export type KeyAccessLevel = 'no-access' | 'read-only' | 'full-access';

/** What Kraken Futures' key check reports about the test key. */
export interface KrakenKeyDetails {
  readonly general: KeyAccessLevel;
  readonly withdrawal: 'no-access' | 'full-access';
  readonly allowedCidrBlocks: readonly string[];
}

export interface RouteContext {
  readonly ledger: FakeLedger;
  readonly now: () => number;
  readonly apiKey: string;
  /** How long orders/status keeps reporting an order after it filled or was cancelled (Kraken: 5 s). */
  readonly recentOrderWindowMs: number;
  readonly maxLeverage: number;
  keyDetails(): KrakenKeyDetails;
}

/** ccxt sends every parameter in the query string, even on POST; a form body is read too. */
function paramsOf(request: FakeRequest): URLSearchParams {
  const params = new URLSearchParams(request.rawQuery);
  if (request.body !== '' && !request.body.startsWith('{')) {
    for (const [key, value] of new URLSearchParams(request.body)) params.append(key, value);
  }
  return params;
}

const ok = (now: number, body: Record<string, unknown>): FakeResponse => ({
  status: 200,
  body: { result: 'success', ...body, serverTime: wire.iso(now) },
});

export const krakenError = (now: number, error: string, status = 200): FakeResponse => ({
  status,
  body: { result: 'error', serverTime: wire.iso(now), error },
});

/** sendorder's status for each reason the ledger refuses an order. */
const SEND_STATUS: Readonly<Record<PlaceRejection, string>> = {
  'unknown-symbol': 'marketInactive',
  'duplicate-client-id': 'clientOrderIdAlreadyExist',
  'insufficient-balance': 'insufficientAvailableFunds',
  'invalid-amount': 'invalidSize',
  'invalid-price': 'invalidPrice',
  'min-notional': 'invalidSize',
  'reduce-only': 'wouldNotReducePosition',
};

export const sendStatusReply = (now: number, status: string): FakeResponse =>
  ok(now, { sendStatus: { status, receivedTime: wire.iso(now), orderEvents: [] } });

function sendOrder(ctx: RouteContext, request: FakeRequest): FakeResponse {
  const now = ctx.now();
  const p = paramsOf(request);
  const symbol = p.get('symbol') ?? '';
  const side = p.get('side');
  const orderType = p.get('orderType');
  const size = p.get('size');
  const cliOrdId = p.get('cliOrdId') ?? undefined;
  if (!ctx.ledger.markets.has(symbol)) return krakenError(now, 'contractNotFound');
  if (side !== 'buy' && side !== 'sell') return sendStatusReply(now, 'invalidSide');
  if (orderType !== 'mkt' && orderType !== 'lmt' && orderType !== 'post') {
    return sendStatusReply(now, 'invalidOrderType');
  }
  if (!size || !/^\d+(\.\d+)?$/.test(size)) return sendStatusReply(now, 'invalidSize');
  if (cliOrdId !== undefined && cliOrdId.length > 100) return sendStatusReply(now, 'clientOrderIdTooLong');
  const limitPrice = p.get('limitPrice') ?? undefined;
  if (orderType !== 'mkt' && (limitPrice === undefined || !/^\d+(\.\d+)?$/.test(limitPrice))) {
    return sendStatusReply(now, 'invalidPrice');
  }
  if (orderType === 'post' && limitPrice !== undefined) {
    const market = ctx.ledger.price(symbol);
    if (side === 'buy' ? market.lte(limitPrice) : market.gte(limitPrice))
      return sendStatusReply(now, 'postWouldExecute');
  }
  const placed = ctx.ledger.place({
    symbol,
    side,
    type: orderType === 'mkt' ? 'market' : 'limit',
    amount: size,
    ...(limitPrice === undefined || orderType === 'mkt' ? {} : { price: limitPrice }),
    ...(cliOrdId === undefined ? {} : { clientOrderId: cliOrdId }),
    reduceOnly: p.get('reduceOnly') === 'true',
  });
  if (!placed.ok) return sendStatusReply(now, SEND_STATUS[placed.reason]);
  return ok(now, { sendStatus: wire.placedStatus(placed.order, now) });
}

function cancelOrder(ctx: RouteContext, request: FakeRequest): FakeResponse {
  const now = ctx.now();
  const p = paramsOf(request);
  const orderId = p.get('order_id');
  const cliOrdId = p.get('cliOrdId');
  const order = orderId
    ? ctx.ledger.byOrderId(orderId)
    : cliOrdId
      ? ctx.ledger.byClientId(cliOrdId)
      : undefined;
  if (!orderId && !cliOrdId) return krakenError(now, 'requiredArgumentMissing', 400);
  // Kraken answers "notFound" for an order it never had and for one already cancelled.
  if (!order || order.status === 'cancelled') {
    return ok(now, { cancelStatus: { status: 'notFound', receivedTime: wire.iso(now), orderEvents: [] } });
  }
  if (order.status === 'filled') {
    return ok(now, { cancelStatus: { status: 'filled', receivedTime: wire.iso(now), orderEvents: [] } });
  }
  ctx.ledger.cancel(order);
  return ok(now, { cancelStatus: wire.cancelledStatus(order, now) });
}

/** Open orders, and orders that filled or were cancelled within the window: what Kraken still reports. */
function stillReported(ctx: RouteContext, order: FakeOrder): boolean {
  return order.status === 'open' || ctx.now() - order.updatedAt <= ctx.recentOrderWindowMs;
}

function orderStatus(ctx: RouteContext, request: FakeRequest): FakeResponse {
  const p = paramsOf(request);
  const orderIds = new Set(p.getAll('orderIds'));
  const cliOrdIds = new Set(p.getAll('cliOrdIds'));
  const orders = ctx.ledger.orders.filter(
    (o) =>
      (orderIds.has(o.orderId) || (o.clientOrderId !== undefined && cliOrdIds.has(o.clientOrderId))) &&
      stillReported(ctx, o),
  );
  return ok(ctx.now(), { orders: orders.map(wire.statusEntry) });
}

/**
 * GET /fills, as documented: without `lastFillTime` the account's last 100 fills in any contract;
 * with it, the 100 before that time. Newest first.
 */
function fills(ctx: RouteContext, request: FakeRequest): FakeResponse {
  const before = paramsOf(request).get('lastFillTime');
  const limit = before ? Date.parse(before) : Number.POSITIVE_INFINITY;
  if (Number.isNaN(limit)) return krakenError(ctx.now(), 'invalidArgument: lastFillTime', 400);
  const list = ctx.ledger
    .fillsSince(undefined, 0)
    .filter((f) => f.at < limit)
    .reverse()
    .slice(0, 100);
  return ok(ctx.now(), { fills: list.map(wire.fill) });
}

function setLeverage(ctx: RouteContext, request: FakeRequest): FakeResponse {
  const now = ctx.now();
  const p = paramsOf(request);
  const symbol = p.get('symbol') ?? '';
  if (!ctx.ledger.markets.has(symbol)) return krakenError(now, 'contractNotFound');
  const max = p.get('maxLeverage');
  if (max === null) {
    // No maxLeverage: the symbol is cross-margined on the whole flex account.
    ctx.ledger.leverage.set(symbol, { leverage: ctx.maxLeverage, marginMode: 'cross' });
    return ok(now, {});
  }
  const leverage = Number(max);
  if (!Number.isFinite(leverage) || leverage < 1 || leverage > ctx.maxLeverage) {
    return krakenError(now, 'invalidArgument: maxLeverage', 400);
  }
  ctx.ledger.leverage.set(symbol, { leverage, marginMode: 'isolated' });
  return ok(now, {});
}

function leveragePreferences(ctx: RouteContext): FakeResponse {
  const preferences = [...ctx.ledger.leverage.entries()]
    .filter(([, l]) => l.marginMode === 'isolated')
    .map(([symbol, l]) => ({ symbol, maxLeverage: l.leverage }));
  return ok(ctx.now(), { leveragePreferences: preferences });
}

function keyCheck(ctx: RouteContext): FakeResponse {
  const details = ctx.keyDetails();
  return {
    status: 200,
    body: {
      apiKey: ctx.apiKey,
      accountUid: '3c90c3cc-0d44-4b50-8888-8dd25736052a',
      iiban: 'AA08 N84G CPAR UN7A',
      createdAt: '2025-01-01T00:00:00Z',
      permissions: { general: details.general, withdrawal: details.withdrawal },
      allowedCidrBlock: details.allowedCidrBlocks[0] ?? null,
      allowedCidrBlocks: [...details.allowedCidrBlocks],
    },
  };
}

function chartRoutes(ctx: RouteContext, symbol: string): FakeRoute[] {
  return Object.entries(TIMEFRAMES_MS).map(([tf, intervalMs]) => ({
    method: 'GET' as const,
    path: `/api/charts/v1/trade/${symbol}/${tf}`,
    signed: false,
    handle: (request: FakeRequest) => {
      const now = ctx.now();
      const from = request.query.get('from');
      const to = request.query.get('to');
      const end = to ? Number(to) * 1000 : now;
      const start = from ? Number(from) * 1000 : end - 100 * intervalMs;
      const price = Number(ctx.ledger.price(symbol).toFixed());
      return {
        status: 200,
        body: { candles: wire.candles(price, intervalMs, start, end), more_candles: false },
      };
    },
  }));
}

export function krakenFuturesRoutes(ctx: RouteContext): FakeRoute[] {
  const symbols = [...ctx.ledger.markets.keys()];
  const route = (
    method: FakeRoute['method'],
    path: string,
    signed: boolean,
    handle: (request: FakeRequest) => FakeResponse,
  ): FakeRoute => ({ method, path, signed, handle });
  return [
    route('GET', `${V3}/instruments`, false, () =>
      ok(ctx.now(), { instruments: wire.instruments(ctx.ledger, ctx.maxLeverage) }),
    ),
    route('GET', `${V3}/tickers`, false, () =>
      ok(ctx.now(), {
        tickers: [...ctx.ledger.markets.values()].map((m) => wire.ticker(ctx.ledger, m, ctx.now())),
      }),
    ),
    ...symbols.map((symbol) =>
      route('GET', `${V3}/tickers/${symbol}`, false, () => {
        const market = ctx.ledger.markets.get(symbol);
        return market
          ? ok(ctx.now(), { ticker: wire.ticker(ctx.ledger, market, ctx.now()) })
          : krakenError(ctx.now(), 'contractNotFound');
      }),
    ),
    ...symbols.flatMap((symbol) => chartRoutes(ctx, symbol)),
    route('POST', `${V3}/sendorder`, true, (r) => sendOrder(ctx, r)),
    route('POST', `${V3}/cancelorder`, true, (r) => cancelOrder(ctx, r)),
    route('GET', `${V3}/openorders`, true, () =>
      ok(ctx.now(), { openOrders: ctx.ledger.openOrders().map(wire.openOrder) }),
    ),
    // ccxt reads it with GET; the docs also list POST.
    route('GET', `${V3}/orders/status`, true, (r) => orderStatus(ctx, r)),
    route('POST', `${V3}/orders/status`, true, (r) => orderStatus(ctx, r)),
    route('GET', `${V3}/fills`, true, (r) => fills(ctx, r)),
    route('GET', `${V3}/accounts`, true, () => ok(ctx.now(), { accounts: wire.accounts(ctx.ledger) })),
    route('GET', `${V3}/leveragepreferences`, true, () => leveragePreferences(ctx)),
    route('PUT', `${V3}/leveragepreferences`, true, (r) => setLeverage(ctx, r)),
    route('GET', '/api/history/v2/orders', true, (r) => orderEvents(ctx.ledger, ctx.now(), r)),
    route('GET', '/api/auth/v1/api-keys/v3/check', true, () => keyCheck(ctx)),
  ];
}
