// Kraken Futures' wire shapes, built from the fake ledger's state: instruments, tickers, the order
// reports of sendorder / cancelorder / openorders / orders/status, fills and the flex account.
// Shapes follow the Kraken Futures REST docs and the samples in ccxt's krakenfutures parser.
import type { FakeFill, FakeLedger, FakeMarket, FakeOrder } from './fake-ledger.js';

/** Kraken Futures answers numbers as JSON numbers. */
const num = (value: string | number): number => Number(value);
export const iso = (ms: number): string => new Date(ms).toISOString();

/** Instruments the account cannot trade here but /instruments lists: inverse, dated and index. */
const OTHER_INSTRUMENTS = [
  {
    symbol: 'PI_XBTUSD',
    type: 'futures_inverse',
    tickSize: 0.5,
    contractSize: 1,
    contractValueTradePrecision: 0,
  },
  {
    symbol: 'FF_XBTUSD_261225',
    type: 'flexible_futures',
    tickSize: 1,
    contractSize: 1,
    contractValueTradePrecision: 4,
    lastTradingTime: '2026-12-25T16:00:00.000Z',
  },
  { symbol: 'in_xbtusd', type: 'spot index', tradeable: false },
] as const;

/** Decimal places of a step such as "0.0001" (Kraken's contractValueTradePrecision). */
function placesOf(step: string): number {
  const dot = step.indexOf('.');
  return dot < 0 ? 0 : step.length - dot - 1;
}

export function instrument(market: FakeMarket, maxLeverage: number): Record<string, unknown> {
  return {
    symbol: market.id,
    type: 'flexible_futures',
    tickSize: num(market.priceStep),
    contractSize: 1,
    tradeable: true,
    impactMidSize: 1,
    maxPositionSize: 1_000_000,
    openingDate: '2022-03-22T13:15:36.000Z',
    marginLevels: [
      { numNonContractUnits: 0, initialMargin: 1 / maxLeverage, maintenanceMargin: 1 / (2 * maxLeverage) },
    ],
    fundingRateCoefficient: 24,
    maxRelativeFundingRate: 0.0025,
    contractValueTradePrecision: placesOf(market.amountStep),
    postOnly: false,
    feeScheduleUid: 'fee-schedule-linear',
    retailMarginLevels: [
      { numNonContractUnits: 0, initialMargin: 1 / maxLeverage, maintenanceMargin: 1 / (2 * maxLeverage) },
    ],
    category: 'Layer 1',
    tags: [],
  };
}

export function instruments(ledger: FakeLedger, maxLeverage: number): Record<string, unknown>[] {
  return [...[...ledger.markets.values()].map((m) => instrument(m, maxLeverage)), ...OTHER_INSTRUMENTS];
}

export function ticker(ledger: FakeLedger, market: FakeMarket, now: number): Record<string, unknown> {
  const last = num(ledger.price(market.id).toFixed());
  const step = num(market.priceStep);
  return {
    tag: 'perpetual',
    pair: `${market.id.slice(3, -3)}:USD`,
    symbol: market.id,
    markPrice: last,
    bid: last - step,
    bidSize: 1,
    ask: last + step,
    askSize: 1,
    vol24h: 1000,
    openInterest: 500,
    open24h: last,
    indexPrice: last,
    last,
    lastTime: iso(now),
    lastSize: num(market.amountStep),
    suspended: false,
    fundingRate: 0,
    fundingRatePrediction: 0,
    postOnly: false,
  };
}

/** The order as sendorder / cancelorder events and orders/status carry it. */
export function orderBody(order: FakeOrder, filled: string = order.filled): Record<string, unknown> {
  return {
    orderId: order.orderId,
    cliOrdId: order.clientOrderId ?? null,
    type: order.type === 'market' ? 'ioc' : 'lmt',
    symbol: order.symbol,
    side: order.side,
    quantity: num(order.amount),
    filled: num(filled),
    limitPrice: order.price === undefined ? num(order.fills[0]?.price ?? 0) : num(order.price),
    reduceOnly: order.reduceOnly,
    timestamp: iso(order.createdAt),
    lastUpdateTimestamp: iso(order.updatedAt),
  };
}

function execution(order: FakeOrder, fill: FakeFill): Record<string, unknown> {
  return {
    type: 'EXECUTION',
    executionId: fill.tradeId,
    price: num(fill.price),
    amount: num(fill.amount),
    orderPriorEdit: null,
    orderPriorExecution: { ...orderBody(order, '0'), lastUpdateTimestamp: iso(order.createdAt) },
    takerReducedQuantity: null,
  };
}

/** sendorder's sendStatus for an accepted order: its executions, or its placement in the book. */
export function placedStatus(order: FakeOrder, now: number): Record<string, unknown> {
  const orderEvents =
    order.fills.length > 0
      ? order.fills.map((fill) => execution(order, fill))
      : [{ type: 'PLACE', order: orderBody(order), reducedQuantity: null }];
  return { order_id: order.orderId, status: 'placed', receivedTime: iso(now), orderEvents };
}

export function cancelledStatus(order: FakeOrder, now: number): Record<string, unknown> {
  return {
    order_id: order.orderId,
    status: 'cancelled',
    receivedTime: iso(now),
    orderEvents: [{ uid: order.orderId, order: orderBody(order), type: 'CANCEL' }],
  };
}

export function openOrder(order: FakeOrder): Record<string, unknown> {
  return {
    order_id: order.orderId,
    ...(order.clientOrderId === undefined ? {} : { cliOrdId: order.clientOrderId }),
    symbol: order.symbol,
    side: order.side,
    orderType: 'lmt',
    limitPrice: num(order.price ?? 0),
    unfilledSize: num(order.amount) - num(order.filled),
    receivedTime: iso(order.createdAt),
    status: num(order.filled) > 0 ? 'partiallyFilled' : 'untouched',
    filledSize: num(order.filled),
    reduceOnly: order.reduceOnly,
    lastUpdateTime: iso(order.updatedAt),
  };
}

/** One entry of GET /orders/status. */
export function statusEntry(order: FakeOrder): Record<string, unknown> {
  const status =
    order.status === 'open'
      ? num(order.filled) > 0
        ? 'PARTIALLY_FILLED'
        : 'ENTERED_BOOK'
      : order.status === 'filled'
        ? 'FULLY_EXECUTED'
        : 'CANCELLED';
  return { order: { ...orderBody(order), type: 'ORDER' }, status, updateReason: null, error: null };
}

export function fill(f: FakeFill): Record<string, unknown> {
  return {
    fill_id: f.tradeId,
    symbol: f.symbol,
    side: f.side,
    order_id: f.orderId,
    ...(f.clientOrderId === undefined ? {} : { cliOrdId: f.clientOrderId }),
    size: num(f.amount),
    price: num(f.price),
    fillTime: iso(f.at),
    fillType: f.maker ? 'maker' : 'taker',
  };
}

/** GET /accounts: the flex (multi-collateral) wallet in USD, plus the legacy cash account. */
export function accounts(ledger: FakeLedger): Record<string, unknown> {
  const usd = ledger.balance('USD');
  const total = num(usd.free.plus(usd.used).toFixed());
  const available = num(usd.free.toFixed());
  const used = num(usd.used.toFixed());
  return {
    cash: { type: 'cashAccount', balances: { usd: 0, xbt: 0, eth: 0, usdt: 0 } },
    flex: {
      type: 'multiCollateralMarginAccount',
      currencies: { USD: { quantity: total, value: total, collateral: total, available } },
      initialMargin: used,
      initialMarginWithOrders: used,
      maintenanceMargin: used / 2,
      balanceValue: total,
      portfolioValue: total,
      collateralValue: total,
      pnl: 0,
      unrealizedFunding: 0,
      totalUnrealized: 0,
      totalUnrealizedAsMargin: 0,
      availableMargin: available,
      marginEquity: total,
    },
  };
}

/** Flat candles at the current price (the fake keeps no price history). */
export function candles(
  price: number,
  intervalMs: number,
  from: number,
  to: number,
): Record<string, unknown>[] {
  const out: Record<string, unknown>[] = [];
  for (
    let time = Math.ceil(from / intervalMs) * intervalMs;
    time <= to && out.length < 2000;
    time += intervalMs
  ) {
    const p = String(price);
    out.push({ time, open: p, high: p, low: p, close: p, volume: 1 });
  }
  return out;
}
