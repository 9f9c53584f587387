// Order placement and fills for the fake Binance: POST /api/v3/order and /fapi/v1/order with
// Binance's parameter rules, filters (LOT_SIZE, MARKET_LOT_SIZE, PRICE_FILTER, PERCENT_PRICE, NOTIONAL /
// MIN_NOTIONAL) and rejection codes, and the myTrades / userTrades windows.
import { randomBytes } from 'node:crypto';
import type Big from 'big.js';
import { dec, floorToStep, isDecimalString } from '../../../shared/core/money/decimal.js';
import {
  type BinanceMarketSpec,
  type BinanceVenue,
  FUTURES_PRICE_BAND,
  SPOT_PRICE_BAND,
} from './binance-fake-markets.js';
import {
  fail,
  futuresOrder,
  futuresTrade,
  missing,
  ok,
  spotOrderAck,
  spotTrade,
} from './binance-fake-wire.js';
import type { FakeLedger, PlaceRejection } from './fake-ledger.js';
import type { FakeResponse } from './fake-server.js';

const CLIENT_ID_RULE: Readonly<Record<BinanceVenue, RegExp>> = {
  spot: /^[a-zA-Z0-9-_]{1,36}$/,
  futures: /^[.A-Z:/a-z0-9_-]{1,36}$/,
};
const CLIENT_ID_RULE_TEXT: Readonly<Record<BinanceVenue, string>> = {
  spot: '^[a-zA-Z0-9-_]{1,36}$',
  futures: '^[\\.A-Z\\:/a-z0-9_-]{1,36}$',
};

/** Spot refuses parameters it does not read (-1104); these are the ones POST /api/v3/order reads. */
const SPOT_ORDER_PARAMS = new Set([
  'symbol',
  'side',
  'type',
  'timeInForce',
  'quantity',
  'quoteOrderQty',
  'price',
  'newClientOrderId',
  'strategyId',
  'strategyType',
  'stopPrice',
  'trailingDelta',
  'icebergQty',
  'newOrderRespType',
  'selfTradePreventionMode',
  'recvWindow',
  'timestamp',
  'signature',
]);

export const STATUS_UNKNOWN: Readonly<Record<-1006 | -1007, string>> = {
  [-1006]: 'An unexpected response was received from the message bus. Execution status unknown.',
  [-1007]: 'Timeout waiting for response from backend server. Send status unknown; execution status unknown.',
};

export const randomClientId = () => randomBytes(16).toString('base64url').slice(0, 22);

function rejection(venue: BinanceVenue, reason: PlaceRejection, spec: BinanceMarketSpec): FakeResponse {
  switch (reason) {
    case 'unknown-symbol':
      return fail(-1121, 'Invalid symbol.');
    case 'duplicate-client-id':
      return venue === 'spot'
        ? fail(-2010, 'Duplicate order sent.')
        : fail(-4116, 'ClientOrderId is duplicated.');
    case 'insufficient-balance':
      return venue === 'spot'
        ? fail(-2010, 'Account has insufficient balance for requested action.')
        : fail(-2019, 'Margin is insufficient.');
    case 'invalid-amount':
      return venue === 'spot'
        ? fail(-1013, 'Filter failure: LOT_SIZE')
        : fail(-1111, 'Precision is over the maximum defined for this asset.');
    case 'invalid-price':
      return venue === 'spot'
        ? fail(-1013, 'Filter failure: PRICE_FILTER')
        : fail(-4014, 'Price not increased by tick size.');
    case 'min-notional':
      return venue === 'spot'
        ? fail(-1013, 'Filter failure: NOTIONAL')
        : fail(
            -4164,
            `Order's notional must be no smaller than ${spec.minNotional} (unless you choose reduce only).`,
          );
    case 'reduce-only':
      return fail(-2022, 'ReduceOnly Order is rejected.');
  }
}

export function placeOrder(
  venue: BinanceVenue,
  ledger: FakeLedger,
  specs: Map<string, BinanceMarketSpec>,
  params: URLSearchParams,
): FakeResponse {
  const symbol = params.get('symbol');
  if (!symbol) return missing('symbol');
  const spec = specs.get(symbol);
  if (!spec) return fail(-1121, 'Invalid symbol.');
  if (venue === 'spot') {
    const names = [...params.keys()];
    const unread = names.filter((n) => !SPOT_ORDER_PARAMS.has(n));
    if (unread.length > 0) {
      return fail(
        -1104,
        `Not all sent parameters were read; read '${names.length - unread.length}' parameter(s) but was sent '${names.length}'.`,
      );
    }
  }
  const side = params.get('side');
  if (!side) return missing('side');
  if (side !== 'BUY' && side !== 'SELL') return fail(-1117, 'Invalid side.');
  const type = params.get('type');
  if (!type) return missing('type');
  if (type !== 'LIMIT' && type !== 'MARKET') return fail(-1116, 'Invalid orderType.');
  const clientOrderId = params.get('newClientOrderId') ?? randomClientId();
  if (!CLIENT_ID_RULE[venue].test(clientOrderId)) {
    return fail(
      -1100,
      `Illegal characters found in parameter 'newClientOrderId'; legal range is '${CLIENT_ID_RULE_TEXT[venue]}'.`,
    );
  }
  const timeInForce = params.get('timeInForce');
  if (type === 'LIMIT') {
    if (!timeInForce) return missing('timeInForce');
    if (timeInForce !== 'GTC') return fail(-1115, 'Invalid timeInForce.');
  } else if (timeInForce && venue === 'spot') {
    return fail(-1106, "Parameter 'timeInForce' sent when not required.");
  }
  for (const name of ['quantity', 'price', 'quoteOrderQty'] as const) {
    const value = params.get(name);
    if (value !== null && !isDecimalString(value)) {
      return fail(
        -1100,
        `Illegal characters found in parameter '${name}'; legal range is '^([0-9]{1,20})(\\.[0-9]{1,20})?$'.`,
      );
    }
  }
  const price = params.get('price');
  if (type === 'LIMIT' && price === null) return missing('price');
  const last = ledger.price(symbol);
  let quantity = params.get('quantity');
  const quoteQty = params.get('quoteOrderQty');
  if (type === 'MARKET' && venue === 'spot' && quoteQty !== null) {
    if (quantity !== null) return fail(-1106, "Parameter 'quoteOrderQty' sent when not required.");
    // Spend up to quoteOrderQty: the base amount it buys at the current price, down to the step.
    quantity = floorToStep(dec(quoteQty).div(last), spec.amountStep).toFixed();
  }
  if (quantity === null) {
    return type === 'MARKET' && venue === 'spot'
      ? fail(-1102, "Param 'quantity' or 'quoteOrderQty' must be sent, but both were empty/null!")
      : missing('quantity');
  }
  const maxQty = type === 'MARKET' ? spec.marketMaxQty : spec.maxQty;
  if (dec(quantity).gt(maxQty)) {
    return venue === 'spot'
      ? fail(-1013, `Filter failure: ${type === 'MARKET' ? 'MARKET_LOT_SIZE' : 'LOT_SIZE'}`)
      : fail(-4005, 'Quantity greater than max quantity.');
  }
  if (type === 'LIMIT' && price !== null) {
    const refused = priceBandRefusal(venue, side, dec(price), last);
    if (refused) return refused;
  }
  const reduceOnly = venue === 'futures' && params.get('reduceOnly') === 'true';
  const result = ledger.place({
    symbol,
    side: side === 'BUY' ? 'buy' : 'sell',
    type: type === 'LIMIT' ? 'limit' : 'market',
    amount: quantity,
    ...(type === 'LIMIT' && price !== null ? { price } : {}),
    clientOrderId,
    reduceOnly,
  });
  if (!result.ok) return rejection(venue, result.reason, spec);
  if (venue === 'futures') return ok(futuresOrder(result.order, spec, false));
  // ccxt asks for FULL; Binance's default is FULL for MARKET and LIMIT orders too.
  return ok(spotOrderAck(result.order, params.get('newOrderRespType') ?? 'FULL'));
}

/** Spot PERCENT_PRICE_BY_SIDE (both ways) and futures PERCENT_PRICE (the aggressive side only). */
function priceBandRefusal(
  venue: BinanceVenue,
  side: string,
  price: Big,
  last: Big,
): FakeResponse | undefined {
  if (venue === 'spot') {
    const inside = price.gte(last.times(SPOT_PRICE_BAND.down)) && price.lte(last.times(SPOT_PRICE_BAND.up));
    return inside ? undefined : fail(-1013, 'Filter failure: PERCENT_PRICE_BY_SIDE');
  }
  if (side === 'BUY' && price.gt(last.times(FUTURES_PRICE_BAND.up))) {
    return fail(-4016, `Limit price can't be higher than ${last.times(FUTURES_PRICE_BAND.up).toFixed(2)}.`);
  }
  if (side === 'SELL' && price.lt(last.times(FUTURES_PRICE_BAND.down))) {
    return fail(-4024, `Limit price can't be lower than ${last.times(FUTURES_PRICE_BAND.down).toFixed(2)}.`);
  }
  return undefined;
}

const DAY_MS = 86_400_000;

/**
 * GET /api/v3/myTrades (a startTime..endTime window of at most 24 h) and /fapi/v1/userTrades (7 days):
 * with only a startTime, Binance answers for the window that starts there; with neither, the latest.
 */
export function tradesOf(
  venue: BinanceVenue,
  ledger: FakeLedger,
  specs: Map<string, BinanceMarketSpec>,
  params: URLSearchParams,
): FakeResponse {
  const symbol = params.get('symbol');
  if (!symbol) return missing('symbol');
  const spec = specs.get(symbol);
  if (!spec) return fail(-1121, 'Invalid symbol.');
  const window = venue === 'spot' ? DAY_MS : 7 * DAY_MS;
  const startParam = params.get('startTime');
  const endParam = params.get('endTime');
  const start = startParam === null ? undefined : Number(startParam);
  let end = endParam === null ? undefined : Number(endParam);
  if (start !== undefined && end !== undefined && end - start > window) {
    return venue === 'spot'
      ? fail(-1127, 'More than 24 hours between startTime and endTime.')
      : fail(-4166, 'Search window is restricted to recent 7 days only.');
  }
  if (start !== undefined && end === undefined) end = start + window;
  const limit = Math.min(Number(params.get('limit') ?? 500), 1000);
  const orderId = params.get('orderId');
  let fills = ledger
    .fillsSince(symbol, start ?? 0)
    .filter((f) => (end === undefined || f.at <= end) && (orderId === null || f.orderId === orderId))
    .sort((a, b) => Number(a.tradeId) - Number(b.tradeId));
  fills = start === undefined ? fills.slice(-limit) : fills.slice(0, limit);
  return ok(fills.map((f) => (venue === 'spot' ? spotTrade(f) : futuresTrade(f, spec))));
}
