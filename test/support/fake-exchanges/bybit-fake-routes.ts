// The Bybit v5 endpoints ccxt 4.5.84 calls for the gateway's operations, served from the shared
// ledger: market data (time, instruments, tickers, kline) and the unified account's private
// endpoints (wallet, orders, executions, leverage, margin mode, API key info).
import { dec, floorToStep, str } from '../../../shared/core/money/decimal.js';
import {
  BYBIT_INSTRUMENTS,
  type BybitCategory,
  type BybitInstrument,
  instrumentRecord,
  ledgerId,
  splitLedgerId,
  tickerRecord,
} from './bybit-fake-markets.js';
import {
  executionRecord,
  fail,
  type OrderWireExtras,
  ok,
  orderRecord,
  placeRejection,
  unifiedWallet,
} from './bybit-fake-wire.js';
import type { FakeLedger, FakeOrder } from './fake-ledger.js';
import type { FakeRequest, FakeResponse, FakeRoute } from './fake-server.js';

/** What GET /v5/user/query-api reports about the key. */
export interface BybitKeyInfo {
  readonly readOnly: 0 | 1;
  readonly permissions: Readonly<Record<string, readonly string[]>>;
  readonly ips: readonly string[];
}

export type BybitAccountMarginMode = 'REGULAR_MARGIN' | 'ISOLATED_MARGIN' | 'PORTFOLIO_MARGIN';

export interface BybitFakeState {
  readonly ledger: FakeLedger;
  readonly apiKey: string;
  /** The exchange's clock (the test machine's plus any skew the test sets). */
  readonly now: () => number;
  keyInfo: BybitKeyInfo;
  marginMode: BybitAccountMarginMode;
  /** Closed orders updated before this are gone from /v5/order/realtime (as after a Bybit restart). */
  realtimeForgetsBefore: number;
  readonly extras: Map<string, OrderWireExtras>;
}

/** /v5/order/realtime keeps at most this many closed orders per category. */
const REALTIME_CLOSED_KEPT = 500;
const DAY_MS = 24 * 60 * 60_000;

type Params = Record<string, string>;

/** GET parameters from the query string, POST parameters from the JSON body, as strings. */
function paramsOf(request: FakeRequest): Params | undefined {
  if (request.method === 'GET') return Object.fromEntries(request.query);
  try {
    const parsed: unknown = request.body === '' ? {} : JSON.parse(request.body);
    if (!parsed || typeof parsed !== 'object') return undefined;
    return Object.fromEntries(Object.entries(parsed).map(([k, v]) => [k, String(v)]));
  } catch {
    return undefined;
  }
}

function categoryOf(params: Params): BybitCategory | undefined {
  return params.category === 'spot' || params.category === 'linear' ? params.category : undefined;
}

function instrument(category: BybitCategory, symbol: string | undefined): BybitInstrument | undefined {
  return BYBIT_INSTRUMENTS.find((i) => i.category === category && i.symbol === symbol);
}

/** Newest first, paged the Bybit way: `limit` per page, an opaque `cursor` for the next one. */
function page<T>(items: readonly T[], params: Params, defaultLimit: number, maxLimit: number) {
  const limit = Math.min(Number(params.limit ?? defaultLimit) || defaultLimit, maxLimit);
  const start = Number(params.cursor ?? 0) || 0;
  const list = items.slice(start, start + limit);
  return { list, nextPageCursor: start + limit < items.length ? String(start + limit) : '' };
}

export function bybitRoutes(state: BybitFakeState): FakeRoute[] {
  const { ledger } = state;
  const now = state.now;

  /** Wraps a handler: parses its params and checks the category the endpoint requires. */
  const handler =
    (needsCategory: boolean, body: (params: Params, category: BybitCategory) => FakeResponse) =>
    (request: FakeRequest): FakeResponse => {
      const params = paramsOf(request);
      if (!params) return fail(now(), 10001, 'params error: request body is not valid JSON');
      const category = categoryOf(params);
      if (needsCategory && !category) return fail(now(), 10001, 'params error: category invalid');
      return body(params, category ?? 'linear');
    };

  const ordersOf = (category: BybitCategory) =>
    ledger.orders.filter((o) => splitLedgerId(o.symbol).category === category);

  const byNewest = (a: FakeOrder, b: FakeOrder) =>
    b.createdAt - a.createdAt || Number(b.orderId) - Number(a.orderId);

  /** Open orders plus the most recent closed ones this endpoint still remembers. */
  const realtimeOrders = (category: BybitCategory): FakeOrder[] => {
    const all = ordersOf(category);
    const closed = all
      .filter((o) => o.status !== 'open' && o.updatedAt >= state.realtimeForgetsBefore)
      .sort((a, b) => b.updatedAt - a.updatedAt)
      .slice(0, REALTIME_CLOSED_KEPT);
    return [...all.filter((o) => o.status === 'open'), ...closed].sort(byNewest);
  };

  /** Orders matching the filters Bybit applies in priority: orderId > orderLinkId > symbol. */
  const select = (orders: readonly FakeOrder[], params: Params) => {
    if (params.orderId) return orders.filter((o) => o.orderId === params.orderId);
    if (params.orderLinkId) return orders.filter((o) => o.clientOrderId === params.orderLinkId);
    if (params.symbol) return orders.filter((o) => splitLedgerId(o.symbol).symbol === params.symbol);
    return [...orders];
  };

  const records = (orders: readonly FakeOrder[]) =>
    orders.map((o) => orderRecord(o, state.extras.get(o.orderId)));

  const createOrder = handler(true, (p, category) => {
    const inst = instrument(category, p.symbol);
    if (!inst) return placeRejection(now(), category, 'unknown-symbol', '');
    const linkId = p.orderLinkId;
    if (linkId !== undefined && !/^[A-Za-z0-9_-]{1,36}$/.test(linkId)) {
      return fail(now(), 10001, 'params error: orderLinkId invalid');
    }
    const side = p.side === 'Buy' ? 'buy' : p.side === 'Sell' ? 'sell' : undefined;
    const type = p.orderType === 'Market' ? 'market' : p.orderType === 'Limit' ? 'limit' : undefined;
    if (!side || !type || !p.qty || !/^\d+(\.\d+)?$/.test(p.qty)) {
      return fail(now(), 10001, 'params error: side, orderType or qty invalid');
    }
    const id = ledgerId(category, inst.symbol);
    const last = ledger.price(id);
    // Spot market orders: qty counts the quote coin unless marketUnit says baseCoin (a buy's default is quote).
    const marketUnit =
      category === 'spot' && type === 'market'
        ? p.marketUnit === 'baseCoin' || p.marketUnit === 'quoteCoin'
          ? p.marketUnit
          : side === 'buy'
            ? 'quoteCoin'
            : 'baseCoin'
        : undefined;
    const amount = marketUnit === 'quoteCoin' ? str(floorToStep(dec(p.qty).div(last), inst.qtyStep)) : p.qty;
    if (dec(amount).lt(inst.minOrderQty)) return placeRejection(now(), category, 'below-min-qty', amount);
    const result = ledger.place({
      symbol: id,
      side,
      type,
      amount,
      ...(type === 'limit' && p.price !== undefined ? { price: p.price } : {}),
      ...(linkId === undefined ? {} : { clientOrderId: linkId }),
      reduceOnly: category === 'linear' && p.reduceOnly === 'true',
    });
    if (!result.ok) return placeRejection(now(), category, result.reason, result.message);
    state.extras.set(result.order.orderId, {
      ...(marketUnit === undefined ? {} : { marketUnit }),
      qty: p.qty,
      lastPriceOnCreated: str(last),
    });
    return ok(now(), { orderId: result.order.orderId, orderLinkId: linkId ?? '' });
  });

  const cancelOrder = handler(true, (p, category) => {
    if (!p.orderId && !p.orderLinkId)
      return fail(now(), 10001, 'params error: orderId or orderLinkId is required');
    const order = select(ordersOf(category), { ...p, symbol: '' }).find(
      (o) => splitLedgerId(o.symbol).symbol === p.symbol,
    );
    // Bybit answers the same for an unknown order and one already filled or cancelled.
    if (order?.status !== 'open') return fail(now(), 110001, 'Order does not exist.');
    ledger.cancel(order);
    return ok(now(), { orderId: order.orderId, orderLinkId: order.clientOrderId ?? '' });
  });

  const realtime = handler(true, (p, category) => {
    if (category === 'linear' && !p.symbol && !p.baseCoin && !p.settleCoin && !p.orderId && !p.orderLinkId) {
      return fail(now(), 10001, 'params error: symbol, baseCoin or settleCoin is required');
    }
    let orders = select(realtimeOrders(category), p);
    if (!p.orderId && !p.orderLinkId) {
      orders = orders.filter((o) => (p.openOnly === '1' ? o.status !== 'open' : o.status === 'open'));
    }
    const { list, nextPageCursor } = page(orders, p, 20, 50);
    return ok(now(), { category, list: records(list), nextPageCursor });
  });

  const history = handler(true, (p, category) => {
    const at = now();
    const end = Number(p.endTime ?? at);
    const start = Number(p.startTime ?? end - 7 * DAY_MS);
    const orders = select(ordersOf(category), p)
      // Unified accounts: closed orders only; those cancelled without a fill for 24 hours.
      .filter((o) => o.status !== 'open')
      .filter((o) => o.fills.length > 0 || o.updatedAt >= at - DAY_MS)
      .filter((o) => p.orderId || p.orderLinkId || (o.createdAt >= start && o.createdAt <= end))
      .filter((o) => !p.orderStatus || orderRecord(o, undefined).orderStatus === p.orderStatus)
      .sort(byNewest);
    const { list, nextPageCursor } = page(orders, p, 20, 50);
    return ok(now(), { category, list: records(list), nextPageCursor });
  });

  const executions = handler(true, (p, category) => {
    const at = now();
    const start = Number(p.startTime ?? (p.endTime ? Number(p.endTime) - 7 * DAY_MS : at - 7 * DAY_MS));
    const end = Number(p.endTime ?? start + 7 * DAY_MS);
    const rows = ordersOf(category)
      .filter((o) => !p.symbol || splitLedgerId(o.symbol).symbol === p.symbol)
      .filter((o) => !p.orderId || o.orderId === p.orderId)
      .filter((o) => !p.orderLinkId || o.clientOrderId === p.orderLinkId)
      .flatMap((o) => o.fills.map((f) => ({ fill: f, order: o })))
      .filter(({ fill }) => fill.at >= start && fill.at <= end)
      .sort((a, b) => b.fill.at - a.fill.at || Number(b.fill.tradeId) - Number(a.fill.tradeId));
    const { list, nextPageCursor } = page(rows, p, 50, 100);
    return ok(now(), {
      category,
      list: list.map(({ fill, order }) => executionRecord(fill, order, Number(fill.tradeId))),
      nextPageCursor,
    });
  });

  const walletBalance = handler(false, (p) => {
    if (p.accountType !== 'UNIFIED') return fail(now(), 10001, 'accountType only support UNIFIED.');
    return ok(now(), { list: [unifiedWallet(ledger)] });
  });

  const setLeverage = handler(true, (p, category) => {
    const inst = instrument(category, p.symbol);
    if (!inst || category !== 'linear') return fail(now(), 10001, 'params error: symbol invalid');
    const leverage = Number(p.buyLeverage);
    if (!Number.isFinite(leverage) || leverage < 1 || leverage > 100 || p.buyLeverage !== p.sellLeverage) {
      return fail(now(), 10001, 'leverage invalid');
    }
    const id = ledgerId(category, inst.symbol);
    const marginMode = state.marginMode === 'ISOLATED_MARGIN' ? 'isolated' : 'cross';
    if (ledger.leverage.get(id)?.leverage === leverage) return fail(now(), 110043, 'leverage not modified');
    ledger.leverage.set(id, { leverage, marginMode });
    return ok(now(), {});
  });

  const setMarginMode = handler(false, (p) => {
    const mode = p.setMarginMode;
    if (mode !== 'REGULAR_MARGIN' && mode !== 'ISOLATED_MARGIN' && mode !== 'PORTFOLIO_MARGIN') {
      return fail(now(), 10001, 'params error: setMarginMode invalid');
    }
    state.marginMode = mode;
    const marginMode = mode === 'ISOLATED_MARGIN' ? 'isolated' : 'cross';
    for (const [id, setting] of ledger.leverage) ledger.leverage.set(id, { ...setting, marginMode });
    return ok(now(), { reasons: [] });
  });

  const accountInfo = handler(false, () =>
    ok(now(), {
      marginMode: state.marginMode,
      updatedTime: String(now()),
      unifiedMarginStatus: 6,
      dcpStatus: 'OFF',
      timeWindow: 10,
      smpGroup: 0,
      isMasterTrader: false,
      spotHedgingStatus: 'OFF',
    }),
  );

  const queryApi = handler(false, () =>
    ok(now(), {
      id: '13770661',
      note: 'verzek-test',
      apiKey: state.apiKey,
      readOnly: state.keyInfo.readOnly,
      secret: '',
      permissions: {
        ContractTrade: [],
        Spot: [],
        Wallet: [],
        Options: [],
        Derivatives: [],
        CopyTrading: [],
        BlockTrade: [],
        Exchange: [],
        NFT: [],
        Affiliate: [],
        Earn: [],
        ...state.keyInfo.permissions,
      },
      ips: state.keyInfo.ips,
      type: 1,
      deadlineDay: 83,
      expiredAt: '2030-05-15T03:21:05Z',
      createdAt: '2024-10-16T02:24:40Z',
      unified: 0,
      uta: 1,
      userID: 24600000,
      inviterID: 0,
      vipLevel: 'No VIP',
      mktMakerLevel: '0',
      affiliateID: 0,
      rsaPublicKey: '',
      isMaster: true,
      parentUid: '0',
      kycLevel: 'LEVEL_DEFAULT',
      kycRegion: '',
    }),
  );

  const serverTime = () => {
    const at = now();
    return ok(at, { timeSecond: String(Math.floor(at / 1000)), timeNano: `${at}000000` });
  };

  const instruments = handler(true, (p, category) => {
    // ccxt also asks for the linear markets in PreLaunch: there are none here.
    const list =
      p.status && p.status !== 'Trading'
        ? []
        : BYBIT_INSTRUMENTS.filter((i) => i.category === category && (!p.symbol || i.symbol === p.symbol));
    return ok(now(), { category, list: list.map(instrumentRecord), nextPageCursor: '' });
  });

  const tickers = handler(true, (p, category) => {
    const list = BYBIT_INSTRUMENTS.filter(
      (i) => i.category === category && (!p.symbol || i.symbol === p.symbol),
    );
    if (p.symbol && list.length === 0) return fail(now(), 10001, 'Not supported symbols');
    return ok(now(), {
      category,
      list: list.map((i) => tickerRecord(i, str(ledger.price(ledgerId(category, i.symbol))))),
    });
  });

  const kline = handler(true, (p, category) => {
    const inst = instrument(category, p.symbol);
    const intervalMs = INTERVALS[p.interval ?? ''];
    if (!inst || !intervalMs) return fail(now(), 10001, 'params error: symbol or interval invalid');
    const limit = Math.min(Number(p.limit ?? 200) || 200, 1000);
    const last = ledger.price(ledgerId(category, inst.symbol));
    const end = Math.floor(Number(p.end ?? now()) / intervalMs) * intervalMs;
    const first = p.start
      ? Math.ceil(Number(p.start) / intervalMs) * intervalMs
      : end - (limit - 1) * intervalMs;
    const bars: string[][] = [];
    for (let t = first; t <= end && bars.length < limit; t += intervalMs) {
      // A gentle deterministic wave around the current price, so bars are not all alike.
      const drift = dec(Math.round(Math.sin(t / intervalMs) * 1000)).div(1_000_000);
      const open = floorToStep(last.times(dec(1).plus(drift)), inst.tickSize);
      const close = floorToStep(last.times(dec(1).minus(drift)), inst.tickSize);
      const high = open.gt(close) ? open : close;
      const low = open.gt(close) ? close : open;
      bars.push([String(t), str(open), str(high), str(low), str(close), '12.5', str(close.times('12.5'))]);
    }
    return ok(now(), { category, symbol: inst.symbol, list: bars.reverse() });
  });

  return [
    { method: 'GET', path: '/v5/market/time', signed: false, handle: serverTime },
    { method: 'GET', path: '/v5/market/instruments-info', signed: false, handle: instruments },
    { method: 'GET', path: '/v5/market/tickers', signed: false, handle: tickers },
    { method: 'GET', path: '/v5/market/kline', signed: false, handle: kline },
    { method: 'GET', path: '/v5/account/wallet-balance', signed: true, handle: walletBalance },
    { method: 'GET', path: '/v5/account/info', signed: true, handle: accountInfo },
    { method: 'POST', path: '/v5/account/set-margin-mode', signed: true, handle: setMarginMode },
    { method: 'GET', path: '/v5/user/query-api', signed: true, handle: queryApi },
    { method: 'POST', path: '/v5/order/create', signed: true, handle: createOrder },
    { method: 'POST', path: '/v5/order/cancel', signed: true, handle: cancelOrder },
    { method: 'GET', path: '/v5/order/realtime', signed: true, handle: realtime },
    { method: 'GET', path: '/v5/order/history', signed: true, handle: history },
    { method: 'GET', path: '/v5/execution/list', signed: true, handle: executions },
    { method: 'POST', path: '/v5/position/set-leverage', signed: true, handle: setLeverage },
  ];
}

const MINUTE = 60_000;
const INTERVALS: Readonly<Record<string, number>> = {
  '1': MINUTE,
  '3': 3 * MINUTE,
  '5': 5 * MINUTE,
  '15': 15 * MINUTE,
  '30': 30 * MINUTE,
  '60': 60 * MINUTE,
  '120': 120 * MINUTE,
  '240': 240 * MINUTE,
  '360': 360 * MINUTE,
  '720': 720 * MINUTE,
  D: DAY_MS,
  W: 7 * DAY_MS,
};
