// Binance's wire format for the fake: replies and errors, orders, trades, accounts, tickers and
// klines as the spot (/api/v3) and USD-M futures (/fapi) APIs write them, from the ledger's state.
// Shapes follow Binance's API documentation and ccxt's binance fixtures; numbers are strings with
// the fixed decimals Binance prints (8 on spot, the market's precision on futures).
import type Big from 'big.js';
import { type DecimalString, dec } from '../../../shared/core/money/decimal.js';
import { type BinanceVenue, decimals } from './binance-fake-markets.js';
import type { FakeFill, FakeLedger, FakeMarket, FakeOrder } from './fake-ledger.js';
import type { FakeRequest, FakeResponse } from './fake-server.js';

/** Binance's error body. */
export interface BinanceError {
  readonly code: number;
  readonly msg: string;
}

export const ok = (body: unknown): FakeResponse => ({ status: 200, body });
export const fail = (code: number, msg: string, status = 400): FakeResponse => ({
  status,
  body: { code, msg } satisfies BinanceError,
});
export const noPermission = () => fail(-2015, 'Invalid API-key, IP, or permissions for action.', 401);
export const missing = (name: string) =>
  fail(-1102, `Mandatory parameter '${name}' was not sent, was empty/null, or malformed.`);

/** Binance reads parameters from the query string and the form body alike. */
export function paramsOf(request: FakeRequest): URLSearchParams {
  const all = new URLSearchParams(request.rawQuery);
  if (request.body) for (const [k, v] of new URLSearchParams(request.body)) all.append(k, v);
  return all;
}

const fixed = (value: Big | DecimalString, places: number) => dec(value).toFixed(places);
const spot8 = (value: Big | DecimalString) => fixed(value, 8);

const STATUS: Readonly<Record<FakeOrder['status'], string>> = {
  open: 'NEW',
  filled: 'FILLED',
  cancelled: 'CANCELED',
};

function orderNumber(orderId: string): number {
  return Number(orderId);
}

/** GET /api/v3/order, /api/v3/openOrders. */
export function spotOrder(order: FakeOrder) {
  return {
    symbol: order.symbol,
    orderId: orderNumber(order.orderId),
    orderListId: -1,
    clientOrderId: order.clientOrderId ?? '',
    price: spot8(order.price ?? '0'),
    origQty: spot8(order.amount),
    executedQty: spot8(order.filled),
    cummulativeQuoteQty: spot8(order.cost),
    status: STATUS[order.status],
    timeInForce: 'GTC',
    type: order.type.toUpperCase(),
    side: order.side.toUpperCase(),
    stopPrice: spot8('0'),
    icebergQty: spot8('0'),
    time: order.createdAt,
    updateTime: order.updatedAt,
    isWorking: true,
    workingTime: order.createdAt,
    origQuoteOrderQty: spot8('0'),
    selfTradePreventionMode: 'EXPIRE_MAKER',
  };
}

/** POST /api/v3/order, by newOrderRespType: ACK, RESULT or FULL (with the fills). */
export function spotOrderAck(order: FakeOrder, respType: string) {
  const ack = {
    symbol: order.symbol,
    orderId: orderNumber(order.orderId),
    orderListId: -1,
    clientOrderId: order.clientOrderId ?? '',
    transactTime: order.createdAt,
  };
  if (respType === 'ACK') return ack;
  const { time: _time, updateTime: _updateTime, isWorking: _isWorking, ...result } = spotOrder(order);
  const withTime = { ...ack, ...result, transactTime: order.createdAt };
  if (respType === 'RESULT') return withTime;
  return {
    ...withTime,
    fills: order.fills.map((f) => ({
      price: spot8(f.price),
      qty: spot8(f.amount),
      commission: spot8(f.fee),
      commissionAsset: f.feeCurrency,
      tradeId: orderNumber(f.tradeId),
    })),
  };
}

/** DELETE /api/v3/order: `clientOrderId` is the cancel request's own id, the order's is `origClientOrderId`. */
export function spotCancelReply(order: FakeOrder, cancelClientOrderId: string) {
  const {
    time: _t,
    updateTime: _u,
    isWorking: _w,
    workingTime: _wt,
    stopPrice: _s,
    icebergQty: _i,
    ...rest
  } = spotOrder(order);
  return {
    ...rest,
    origClientOrderId: order.clientOrderId ?? '',
    clientOrderId: cancelClientOrderId,
    transactTime: order.updatedAt,
  };
}

/** GET/POST/DELETE /fapi/v1/order: the same order object (the query carries `time`). */
export function futuresOrder(order: FakeOrder, market: FakeMarket, withTime: boolean) {
  const qty = decimals(market.amountStep);
  const px = decimals(market.priceStep);
  const average = dec(order.filled).gt(0) ? dec(order.cost).div(order.filled) : dec(0);
  return {
    orderId: orderNumber(order.orderId),
    symbol: order.symbol,
    status: STATUS[order.status],
    clientOrderId: order.clientOrderId ?? '',
    price: fixed(order.price ?? '0', px),
    avgPrice: average.toFixed(Math.max(px, 2)),
    origQty: fixed(order.amount, qty),
    executedQty: fixed(order.filled, qty),
    cumQty: fixed(order.filled, qty),
    cumQuote: fixed(order.cost, 5),
    timeInForce: 'GTC',
    type: order.type.toUpperCase(),
    reduceOnly: order.reduceOnly,
    closePosition: false,
    side: order.side.toUpperCase(),
    positionSide: 'BOTH',
    stopPrice: fixed('0', px),
    workingType: 'CONTRACT_PRICE',
    priceProtect: false,
    origType: order.type.toUpperCase(),
    priceMatch: 'NONE',
    selfTradePreventionMode: 'EXPIRE_MAKER',
    goodTillDate: 0,
    ...(withTime ? { time: order.createdAt } : {}),
    updateTime: order.updatedAt,
  };
}

/** GET /api/v3/myTrades. */
export function spotTrade(fill: FakeFill) {
  return {
    symbol: fill.symbol,
    id: orderNumber(fill.tradeId),
    orderId: orderNumber(fill.orderId),
    orderListId: -1,
    price: spot8(fill.price),
    qty: spot8(fill.amount),
    quoteQty: spot8(dec(fill.price).times(fill.amount)),
    commission: spot8(fill.fee),
    commissionAsset: fill.feeCurrency,
    time: fill.at,
    isBuyer: fill.side === 'buy',
    isMaker: fill.maker,
    isBestMatch: true,
  };
}

/** GET /fapi/v1/userTrades. */
export function futuresTrade(fill: FakeFill, market: FakeMarket) {
  return {
    buyer: fill.side === 'buy',
    commission: fixed(fill.fee, 8),
    commissionAsset: fill.feeCurrency,
    id: orderNumber(fill.tradeId),
    maker: fill.maker,
    orderId: orderNumber(fill.orderId),
    price: fixed(fill.price, decimals(market.priceStep)),
    qty: fixed(fill.amount, decimals(market.amountStep)),
    quoteQty: fixed(dec(fill.price).times(fill.amount), 5),
    realizedPnl: '0',
    side: fill.side.toUpperCase(),
    positionSide: 'BOTH',
    symbol: fill.symbol,
    time: fill.at,
  };
}

/** GET /api/v3/account. */
export function spotAccount(ledger: FakeLedger, canTrade: boolean, now: number) {
  return {
    makerCommission: 10,
    takerCommission: 10,
    buyerCommission: 0,
    sellerCommission: 0,
    commissionRates: { maker: '0.00100000', taker: '0.00100000', buyer: '0.00000000', seller: '0.00000000' },
    canTrade,
    canWithdraw: true,
    canDeposit: true,
    brokered: false,
    requireSelfTradePrevention: false,
    preventSor: false,
    updateTime: now,
    accountType: 'SPOT',
    balances: [...ledger.balances.entries()].map(([asset, b]) => ({
      asset,
      free: spot8(b.free),
      locked: spot8(b.used),
    })),
    permissions: ['SPOT'],
    uid: 354937868,
  };
}

/** GET /fapi/v3/account (what ccxt 4.5 calls for a USD-M balance; v2 has the same asset fields). */
export function futuresAccount(ledger: FakeLedger, now: number) {
  const assets = [...ledger.balances.entries()].map(([asset, b]) => {
    const wallet = b.free.plus(b.used);
    return {
      asset,
      walletBalance: spot8(wallet),
      unrealizedProfit: spot8('0'),
      marginBalance: spot8(wallet),
      maintMargin: spot8('0'),
      initialMargin: spot8(b.used),
      positionInitialMargin: spot8('0'),
      openOrderInitialMargin: spot8(b.used),
      crossWalletBalance: spot8(wallet),
      crossUnPnl: spot8('0'),
      availableBalance: spot8(b.free),
      maxWithdrawAmount: spot8(b.free),
      updateTime: now,
    };
  });
  const usdt = assets.find((a) => a.asset === 'USDT');
  return {
    totalInitialMargin: usdt?.initialMargin ?? spot8('0'),
    totalMaintMargin: spot8('0'),
    totalWalletBalance: usdt?.walletBalance ?? spot8('0'),
    totalUnrealizedProfit: spot8('0'),
    totalMarginBalance: usdt?.marginBalance ?? spot8('0'),
    totalPositionInitialMargin: spot8('0'),
    totalOpenOrderInitialMargin: usdt?.openOrderInitialMargin ?? spot8('0'),
    totalCrossWalletBalance: usdt?.crossWalletBalance ?? spot8('0'),
    totalCrossUnPnl: spot8('0'),
    availableBalance: usdt?.availableBalance ?? spot8('0'),
    maxWithdrawAmount: usdt?.maxWithdrawAmount ?? spot8('0'),
    assets,
    positions: [...ledger.positions.entries()].map(([symbol, p]) => ({
      symbol,
      positionSide: 'BOTH',
      positionAmt: p.size.toFixed(),
      unrealizedProfit: spot8('0'),
      isolatedMargin: spot8('0'),
      notional: p.size.times(ledger.price(symbol)).toFixed(8),
      isolatedWallet: spot8('0'),
      initialMargin: spot8('0'),
      maintMargin: spot8('0'),
      updateTime: now,
    })),
  };
}

/** GET /api/v3/ticker/24hr and /fapi/v1/ticker/24hr: a quiet day at the current price. */
export function ticker24hr(venue: BinanceVenue, symbol: string, price: Big, now: number) {
  const last = venue === 'spot' ? spot8(price) : price.toFixed();
  const common = {
    symbol,
    priceChange: '0',
    priceChangePercent: '0.000',
    weightedAvgPrice: last,
    lastPrice: last,
    lastQty: '0.1',
    openPrice: last,
    highPrice: last,
    lowPrice: last,
    volume: '1000',
    quoteVolume: price.times(1000).toFixed(),
    openTime: now - 86_400_000,
    closeTime: now,
    firstId: 1,
    lastId: 1000,
    count: 1000,
  };
  if (venue === 'futures') return common;
  return {
    ...common,
    prevClosePrice: last,
    bidPrice: last,
    bidQty: '1',
    askPrice: last,
    askQty: '1',
  };
}

const INTERVAL_MS: Readonly<Record<string, number>> = {
  '1m': 60_000,
  '3m': 180_000,
  '5m': 300_000,
  '15m': 900_000,
  '30m': 1_800_000,
  '1h': 3_600_000,
  '2h': 7_200_000,
  '4h': 14_400_000,
  '6h': 21_600_000,
  '8h': 28_800_000,
  '12h': 43_200_000,
  '1d': 86_400_000,
  '3d': 259_200_000,
  '1w': 604_800_000,
};

/** GET /api/v3/klines and /fapi/v1/klines: flat bars at the current price (the ledger keeps no history). */
export function klines(
  interval: string,
  price: Big,
  now: number,
  limit: number,
  startTime: number | undefined,
): (number | string)[][] | undefined {
  const step = INTERVAL_MS[interval];
  if (step === undefined) return undefined;
  const lastOpen = Math.floor(now / step) * step;
  const first = startTime === undefined ? lastOpen - (limit - 1) * step : Math.ceil(startTime / step) * step;
  const rows: (number | string)[][] = [];
  for (let open = first; open <= lastOpen && rows.length < limit; open += step) {
    const p = price.toFixed(8);
    rows.push([open, p, p, p, p, '1.00000000', open + step - 1, price.toFixed(8), 1, '0.50000000', '0', '0']);
  }
  return rows;
}
