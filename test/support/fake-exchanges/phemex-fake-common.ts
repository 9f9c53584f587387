// What the fake Phemex's route handlers share: its state, Phemex's error replies, the request's
// market and order, a route builder that checks the key's permissions before the handler, and the
// order endpoints that work alike on spot and the perpetuals (place, cancel, order history).
import { dec } from '../../../shared/core/money/decimal.js';
import type {
  FakeFill,
  FakeLedger,
  FakeMarket,
  FakeOrder,
  PlaceInput,
  PlaceRejection,
} from './fake-ledger.js';
import type { FakeRequest, FakeResponse, FakeRoute } from './fake-server.js';
import { fail, instrumentById, ok, type PhemexInstrument } from './phemex-fake-wire.js';

/** Phemex keys carry Read and Trade permissions (and Withdraw, which no API of ours touches). */
export interface PhemexKeyPermissions {
  readonly read: boolean;
  readonly trade: boolean;
}

export interface PhemexFakeState {
  readonly ledger: FakeLedger;
  readonly now: () => number;
  permissions: PhemexKeyPermissions;
  /** Lookup requests still to answer as if the order were not there (replication lag). */
  staleLookups: number;
}

export type Json = Record<string, unknown>;

export const NOT_FOUND = () => fail(10002, 'OM_ORDER_NOT_FOUND');
export const SYMBOL_INVALID = () => fail(11027, 'TE_SYMBOL_INVALID');
export const BAD_ARGUMENTS = () => fail(30000, 'Please double check input arguments');
/** HTTP 403 is Phemex's "lack of privilege"; the body keeps the code 401. */
export const NO_PRIVILEGE = () => fail(401, '401 Insufficient privilege.', 403);

function parseBody(request: FakeRequest): Json {
  try {
    const parsed: unknown = JSON.parse(request.body || '{}');
    return typeof parsed === 'object' && parsed !== null ? (parsed as Json) : {};
  } catch {
    return {};
  }
}

export function marketOf(symbol: string | null, kind: 'spot' | 'swap'): PhemexInstrument | undefined {
  const instrument = instrumentById(symbol);
  return instrument?.market.kind === kind ? instrument : undefined;
}

/** A place rejection in Phemex's words (TradingErrorCode.md, and ccxt's map of them). */
function rejection(
  reason: PlaceRejection,
  market: FakeMarket,
  side: 'buy' | 'sell',
  amount: string,
): FakeResponse {
  switch (reason) {
    case 'duplicate-client-id':
      return fail(11085, 'TE_CL_ORD_ID_DUPLICATE');
    case 'insufficient-balance':
      if (market.kind === 'swap') return fail(11001, 'TE_NO_ENOUGH_AVAILABLE_BALANCE');
      return side === 'buy'
        ? fail(11106, 'TE_PLACE_ORDER_INSUFFICIENT_QUOTE_BALANCE')
        : fail(11105, 'TE_PLACE_ORDER_INSUFFICIENT_BASE_BALANCE');
    case 'min-notional':
      return fail(11115, 'TE_ORDER_VALUE_TOO_SMALL');
    case 'invalid-amount':
      return dec(amount).lt(market.minAmount) ? fail(11058, 'TE_QTY_TOO_SMALL') : BAD_ARGUMENTS();
    case 'invalid-price':
      return fail(11055, 'TE_PRICE_TOO_SMALL');
    case 'reduce-only':
      return fail(11057, 'TE_QTY_NOT_MATCH_REDUCE_ONLY');
    case 'unknown-symbol':
      return SYMBOL_INVALID();
  }
}

/** The order a query names by orderID or clOrdID (orderID wins when both are given). */
function findOrder(state: PhemexFakeState, symbol: string, query: URLSearchParams): FakeOrder | undefined {
  const orderId = query.get('orderID');
  const clientOrderId = query.get('clOrdID');
  const order = orderId
    ? state.ledger.byOrderId(orderId)
    : clientOrderId
      ? state.ledger.byClientId(clientOrderId)
      : undefined;
  return order?.symbol === symbol ? order : undefined;
}

/** True when this lookup should miss (the test simulates Phemex's order history lagging). */
export function stale(state: PhemexFakeState): boolean {
  if (state.staleLookups <= 0) return false;
  state.staleLookups -= 1;
  return true;
}

/** A route; `access` makes it signed and requires that permission of the key. */
export function routeBuilder(state: PhemexFakeState) {
  return (
    method: FakeRoute['method'],
    path: string,
    handle: (request: FakeRequest) => FakeResponse,
    access?: 'read' | 'trade',
  ): FakeRoute => ({
    method,
    path,
    signed: access !== undefined,
    handle: (request) => {
      if (access === 'read' && !state.permissions.read) return NO_PRIVILEGE();
      if (access === 'trade' && !state.permissions.trade) return NO_PRIVILEGE();
      return handle(request);
    },
  });
}

/** The fills on `symbol` within [from, to], oldest first, each with its order. */
export function fillsOf(
  ledger: FakeLedger,
  symbol: string,
  from: number,
  to: number,
): { fill: FakeFill; order: FakeOrder }[] {
  return ledger.orders
    .filter((o) => o.symbol === symbol)
    .flatMap((o) => o.fills.map((fill) => ({ fill, order: o })))
    .filter(({ fill }) => fill.at >= from && fill.at <= to)
    .sort((a, b) => a.fill.at - b.fill.at);
}

/** Side and order type of a place request, or the reply refusing it. */
function sideAndType(
  body: Json,
): { side: 'buy' | 'sell'; type: 'market' | 'limit' } | { refusal: FakeResponse } {
  const side = body.side === 'Buy' ? 'buy' : body.side === 'Sell' ? 'sell' : undefined;
  const type = body.ordType === 'Limit' ? 'limit' : body.ordType === 'Market' ? 'market' : undefined;
  if (!side) return { refusal: fail(11034, 'TE_SIDE_INVALID') };
  if (!type) return { refusal: fail(11035, 'TE_ORD_TYPE_INVALID') };
  return { side, type };
}

export function requireMarket(symbol: string): FakeMarket {
  const instrument = instrumentById(symbol);
  if (!instrument) throw new Error(`phemex fake: unknown market ${symbol}`);
  return instrument.market;
}

/** What a place request asks for beyond market, side, type and client id, or the reply refusing it. */
export type PlaceTerms = Pick<PlaceInput, 'amount' | 'price' | 'reduceOnly'> | { refusal: FakeResponse };

/**
 * POST of a new order, alike on spot and the perpetuals but for how the amount and price are
 * written (`terms`) and how the order is written back (`view`).
 */
export function placeOrder(
  state: PhemexFakeState,
  kind: 'spot' | 'swap',
  terms: (body: Json, market: FakeMarket, type: 'market' | 'limit') => PlaceTerms,
  view: (order: FakeOrder) => unknown,
): (request: FakeRequest) => FakeResponse {
  return (request) => {
    const body = parseBody(request);
    const instrument = marketOf(String(body.symbol ?? ''), kind);
    if (!instrument) return SYMBOL_INVALID();
    const market = instrument.market;
    const parsed = sideAndType(body);
    if ('refusal' in parsed) return parsed.refusal;
    const { side, type } = parsed;
    const clOrdID = typeof body.clOrdID === 'string' ? body.clOrdID : undefined;
    if (clOrdID !== undefined && clOrdID.length > 40) return BAD_ARGUMENTS();
    const asked = terms(body, market, type);
    if ('refusal' in asked) return asked.refusal;
    const placed = state.ledger.place({
      symbol: market.id,
      side,
      type,
      ...asked,
      ...(clOrdID === undefined ? {} : { clientOrderId: clOrdID }),
    });
    return placed.ok ? ok(view(placed.order)) : rejection(placed.reason, market, side, asked.amount);
  };
}

/** A handler for a request naming one order of a `kind` market by orderID or clOrdID. */
export function byOrder(
  state: PhemexFakeState,
  kind: 'spot' | 'swap',
  handle: (order: FakeOrder | undefined) => FakeResponse,
): (request: FakeRequest) => FakeResponse {
  return (request) => {
    const symbol = request.query.get('symbol') ?? '';
    if (!marketOf(symbol, kind)) return SYMBOL_INVALID();
    return handle(findOrder(state, symbol, request.query));
  };
}

/** DELETE of an open order named by orderID or clOrdID; the reply is the order (`view`). */
export function cancelOrder(
  state: PhemexFakeState,
  kind: 'spot' | 'swap',
  view: (order: FakeOrder) => unknown,
): (request: FakeRequest) => FakeResponse {
  return byOrder(state, kind, (order) => {
    if (order?.status !== 'open') return NOT_FOUND();
    state.ledger.cancel(order);
    return ok(view(order));
  });
}

/** The api-data order history by id: the order in a list, or an empty list (also while lookups lag). */
export function orderHistory(
  state: PhemexFakeState,
  kind: 'spot' | 'swap',
  view: (order: FakeOrder) => unknown,
): (request: FakeRequest) => FakeResponse {
  return byOrder(state, kind, (order) => ok(stale(state) || !order ? [] : [view(order)]));
}
