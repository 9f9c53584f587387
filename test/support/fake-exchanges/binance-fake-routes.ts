// The fake Binance's endpoints: the spot (/api/v3) and USD-M futures (/fapi) routes ccxt's binance
// class calls for markets, prices, balances, orders, fills, leverage and the key check, with
// Binance's parameter rules and error codes. Each venue keeps its own ledger (its own wallet), as
// Binance keeps spot and futures funds apart.
import {
  type BinanceMarketSpec,
  type BinanceVenue,
  futuresExchangeInfo,
  spotExchangeInfo,
} from './binance-fake-markets.js';
import { placeOrder, randomClientId, STATUS_UNKNOWN, tradesOf } from './binance-fake-orders.js';
import {
  fail,
  futuresAccount,
  futuresOrder,
  klines,
  missing,
  noPermission,
  ok,
  paramsOf,
  spotAccount,
  spotCancelReply,
  spotOrder,
  ticker24hr,
} from './binance-fake-wire.js';
import type { FakeLedger, FakeOrder } from './fake-ledger.js';
import type { FakeResponse, FakeRoute } from './fake-server.js';

/** GET /sapi/v1/account/apiRestrictions, as the test sets it. */
export interface BinanceApiRestrictions {
  readonly ipRestrict: boolean;
  readonly createTime: number;
  readonly enableReading: boolean;
  readonly enableWithdrawals: boolean;
  readonly enableInternalTransfer: boolean;
  readonly enableMargin: boolean;
  readonly enableFutures: boolean;
  readonly permitsUniversalTransfer: boolean;
  readonly enableVanillaOptions: boolean;
  readonly enableFixApiTrade: boolean;
  readonly enableFixReadOnly: boolean;
  readonly enableSpotAndMarginTrading: boolean;
  readonly enablePortfolioMarginTrading: boolean;
}

/** What the test can make the next order placement do, beyond the fake server's faults. */
export type CreateInterception =
  /** Runs first (e.g. another process places the same client id in between lookup and create). */
  | { readonly kind: 'before'; readonly action: () => void }
  /** Binance's "execution status unknown" (-1006, -1007), after carrying the order out or not. */
  | { readonly kind: 'status-unknown'; readonly code: -1006 | -1007; readonly executed: boolean };

export interface BinanceFakeState {
  readonly venues: Readonly<
    Record<BinanceVenue, { ledger: FakeLedger; specs: Map<string, BinanceMarketSpec> }>
  >;
  permissions: BinanceApiRestrictions;
  /** The fake's clock runs this far ahead of the host's (negative: behind). */
  clockSkewMs: number;
  readonly interceptions: CreateInterception[];
}

export const serverNow = (state: BinanceFakeState) => Date.now() + state.clockSkewMs;

export function binanceRoutes(state: BinanceFakeState): FakeRoute[] {
  const routes: FakeRoute[] = [];
  for (const venue of ['spot', 'futures'] as const) {
    const { ledger, specs } = state.venues[venue];
    const prefix = venue === 'spot' ? '/api/v3' : '/fapi/v1';
    const canTrade = () =>
      venue === 'spot' ? state.permissions.enableSpotAndMarginTrading : state.permissions.enableFutures;
    const render = (order: FakeOrder, withTime = true) => {
      const spec = specs.get(order.symbol);
      if (!spec) throw new Error(`binance fake: no market ${order.symbol}`);
      return venue === 'spot' ? spotOrder(order) : futuresOrder(order, spec, withTime);
    };
    /** The market a request names, or Binance's reply for a missing or unknown symbol. */
    const marketOf = (params: URLSearchParams): { spec: BinanceMarketSpec } | { reply: FakeResponse } => {
      const symbol = params.get('symbol');
      if (!symbol) return { reply: missing('symbol') };
      const spec = specs.get(symbol);
      return spec ? { spec } : { reply: fail(-1121, 'Invalid symbol.') };
    };
    /** The order a query or cancel names by orderId or origClientOrderId (the latest with that id). */
    const findOrder = (
      params: URLSearchParams,
      spec: BinanceMarketSpec,
    ): { order: FakeOrder | undefined } | { reply: FakeResponse } => {
      const orderId = params.get('orderId');
      const clientId = params.get('origClientOrderId');
      if (!orderId && !clientId) {
        return {
          reply: fail(
            -1102,
            "Param 'origClientOrderId' or 'orderId' must be sent, but both were empty/null!",
          ),
        };
      }
      const order = orderId ? ledger.byOrderId(orderId) : ledger.byClientId(clientId ?? '');
      return { order: order?.symbol === spec.id ? order : undefined };
    };

    routes.push(
      {
        method: 'GET',
        path: `${prefix}/time`,
        signed: false,
        handle: () => ok({ serverTime: serverNow(state) }),
      },
      {
        method: 'GET',
        path: `${prefix}/exchangeInfo`,
        signed: false,
        handle: () => {
          const all = [...specs.values()];
          return ok(
            venue === 'spot'
              ? spotExchangeInfo(all, serverNow(state))
              : futuresExchangeInfo(all, serverNow(state)),
          );
        },
      },
      {
        method: 'GET',
        path: `${prefix}/ticker/24hr`,
        signed: false,
        handle: (request) => {
          const market = marketOf(paramsOf(request));
          if ('reply' in market) return market.reply;
          return ok(ticker24hr(venue, market.spec.id, ledger.price(market.spec.id), serverNow(state)));
        },
      },
      {
        method: 'GET',
        path: `${prefix}/klines`,
        signed: false,
        handle: (request) => {
          const params = paramsOf(request);
          const market = marketOf(params);
          if ('reply' in market) return market.reply;
          const interval = params.get('interval');
          if (!interval) return missing('interval');
          const limit = Math.min(Number(params.get('limit') ?? 500), venue === 'spot' ? 1000 : 1500);
          const start = params.get('startTime');
          const rows = klines(
            interval,
            ledger.price(market.spec.id),
            serverNow(state),
            limit,
            start ? Number(start) : undefined,
          );
          return rows ? ok(rows) : fail(-1120, 'Invalid interval.');
        },
      },
      {
        method: 'POST',
        path: `${prefix}/order`,
        signed: true,
        handle: (request) => {
          if (!canTrade()) return noPermission();
          const interception = state.interceptions.shift();
          if (interception?.kind === 'before') interception.action();
          if (interception?.kind === 'status-unknown') {
            if (interception.executed) placeOrder(venue, ledger, specs, paramsOf(request));
            return fail(interception.code, STATUS_UNKNOWN[interception.code], 503);
          }
          return placeOrder(venue, ledger, specs, paramsOf(request));
        },
      },
      {
        method: 'GET',
        path: `${prefix}/order`,
        signed: true,
        handle: (request) => {
          const params = paramsOf(request);
          const market = marketOf(params);
          if ('reply' in market) return market.reply;
          const found = findOrder(params, market.spec);
          if ('reply' in found) return found.reply;
          return found.order ? ok(render(found.order)) : fail(-2013, 'Order does not exist.');
        },
      },
      {
        method: 'DELETE',
        path: `${prefix}/order`,
        signed: true,
        handle: (request) => {
          if (!canTrade()) return noPermission();
          const params = paramsOf(request);
          const market = marketOf(params);
          if ('reply' in market) return market.reply;
          const found = findOrder(params, market.spec);
          if ('reply' in found) return found.reply;
          const { order } = found;
          // Filled, cancelled or never there: Binance answers the same way.
          if (order?.status !== 'open') return fail(-2011, 'Unknown order sent.');
          ledger.cancel(order);
          return ok(
            venue === 'spot'
              ? spotCancelReply(order, params.get('newClientOrderId') ?? randomClientId())
              : futuresOrder(order, market.spec, false),
          );
        },
      },
      {
        method: 'GET',
        path: `${prefix}/openOrders`,
        signed: true,
        handle: (request) => {
          const symbol = paramsOf(request).get('symbol') ?? undefined;
          if (symbol !== undefined && !specs.has(symbol)) return fail(-1121, 'Invalid symbol.');
          return ok(ledger.openOrders(symbol).map((o) => render(o)));
        },
      },
      {
        method: 'GET',
        path: venue === 'spot' ? '/api/v3/myTrades' : '/fapi/v1/userTrades',
        signed: true,
        handle: (request) => tradesOf(venue, ledger, specs, paramsOf(request)),
      },
    );
  }

  const spot = state.venues.spot;
  const futures = state.venues.futures;
  routes.push(
    {
      method: 'GET',
      path: '/api/v3/account',
      signed: true,
      handle: () =>
        ok(spotAccount(spot.ledger, state.permissions.enableSpotAndMarginTrading, serverNow(state))),
    },
    // ccxt 4.5 reads USD-M balances from v3; v2 kept for older clients (same asset fields).
    ...(['/fapi/v3/account', '/fapi/v2/account'] as const).map(
      (path): FakeRoute => ({
        method: 'GET',
        path,
        signed: true,
        handle: () => ok(futuresAccount(futures.ledger, serverNow(state))),
      }),
    ),
    {
      method: 'POST',
      path: '/fapi/v1/leverage',
      signed: true,
      handle: (request) => {
        const params = paramsOf(request);
        const symbol = params.get('symbol');
        if (!symbol) return missing('symbol');
        if (!futures.specs.has(symbol)) return fail(-1121, 'Invalid symbol.');
        const leverage = Number(params.get('leverage'));
        if (!Number.isInteger(leverage) || leverage < 1 || leverage > 125) {
          return fail(-4028, `Leverage ${params.get('leverage') ?? ''} is not valid`);
        }
        const current = futures.ledger.leverage.get(symbol);
        futures.ledger.leverage.set(symbol, { leverage, marginMode: current?.marginMode ?? 'cross' });
        return ok({ leverage, maxNotionalValue: '1000000', symbol });
      },
    },
    {
      method: 'POST',
      path: '/fapi/v1/marginType',
      signed: true,
      handle: (request) => {
        const params = paramsOf(request);
        const symbol = params.get('symbol');
        if (!symbol) return missing('symbol');
        if (!futures.specs.has(symbol)) return fail(-1121, 'Invalid symbol.');
        const type = params.get('marginType');
        if (type !== 'ISOLATED' && type !== 'CROSSED') {
          return fail(-1130, "Data sent for parameter 'marginType' is not valid.");
        }
        const wanted = type === 'ISOLATED' ? 'isolated' : 'cross';
        const current = futures.ledger.leverage.get(symbol) ?? { leverage: 20, marginMode: 'cross' as const };
        if (current.marginMode === wanted) return fail(-4046, 'No need to change margin type.');
        futures.ledger.leverage.set(symbol, { leverage: current.leverage, marginMode: wanted });
        return ok({ code: 200, msg: 'success' });
      },
    },
    {
      method: 'GET',
      path: '/sapi/v1/account/apiRestrictions',
      signed: true,
      handle: () => ok(state.permissions),
    },
  );
  return routes;
}
