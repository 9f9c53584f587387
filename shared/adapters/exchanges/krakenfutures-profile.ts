// Kraken Futures through ccxt's `krakenfutures` class, limited to the linear multi-collateral
// perpetuals (PF_XBTUSD = "BTC/USD:USD"), margined from the USD of the flex account. What is
// Kraken-specific: `cliOrdId` as the client order id, an order-status endpoint that forgets orders
// five seconds after they finish (so lookups fall back to fills), leverage preferences that double
// as the margin mode, and a key check served by Kraken Futures' auth service.
import { z } from 'zod';
import type { KeyPermissions, MarginMode, OrderRequest } from '../../ports/exchange-gateway.js';
import {
  type CcxtExchange,
  type CcxtMarket,
  type CcxtOrder,
  type CcxtTrade,
  ccxtClasses,
  ccxtErrors,
} from './ccxt.js';
import type {
  AccountMode,
  CcxtClientOptions,
  ExchangeProfile,
  ExchangeSpecificClass,
} from './exchange-profile.js';

type Market = NonNullable<CcxtMarket>;

const ORIGIN: Readonly<Record<AccountMode, string>> = {
  live: 'https://futures.kraken.com',
  demo: 'https://demo-futures.kraken.com',
};

/**
 * Kraken Futures lets each account spend 500 cost units per 10 s on /derivatives, at these costs
 * per call (its rate-limit docs); ccxt's leaky bucket refills one unit per 20 ms to match. Public
 * and key-check calls count nothing there; they are charged one unit to stay polite.
 */
const MS_PER_COST_UNIT = 20;
const DERIVATIVES_COST: Readonly<Record<string, number>> = {
  'POST sendorder': 10,
  'POST cancelorder': 10,
  'GET openorders': 2,
  'GET orders/status': 1,
  'GET fills': 2,
  'GET accounts': 2,
  'GET leveragepreferences': 2,
  'PUT leveragepreferences': 10,
};
/** A private call not in the table above: as dear as an order, to be safe. */
const UNLISTED_COST = 10;

/** The key check's path below the auth service's base URL; ccxt signs `/api/auth/v1/api-keys/v3/check`. */
const KEY_CHECK_PATH = 'api-keys/v3/check';

/**
 * GET /api/auth/v1/api-keys/v3/check (Kraken Futures auth service). The docs give `permissions` only
 * as an object, so it is read leniently below; the CIDR blocks are documented.
 */
const keyCheckSchema = z.object({
  apiKey: z.string().optional(),
  permissions: z.record(z.string(), z.unknown()).default({}),
  allowedCidrBlock: z.string().nullable().optional(),
  allowedCidrBlocks: z.array(z.string()).nullable().optional(),
});

/** Values that mean a permission is not granted, in the spellings Kraken uses for key access levels. */
const NOT_GRANTED = /^(no[-_ ]?access|none|false|disabled?|off)$/i;
/** CIDR blocks that let any address in: a key restricted to these is not restricted at all. */
const ANY_ADDRESS = new Set(['0.0.0.0/0', '::/0']);

function granted(value: unknown): boolean {
  if (typeof value === 'boolean') return value;
  if (typeof value === 'string') return value.trim() !== '' && !NOT_GRANTED.test(value.trim());
  return false;
}

/** The verdict of every permission whose name matches, or 'unknown' when the key check names none. */
function permission(permissions: Record<string, unknown>, name: RegExp): boolean | 'unknown' {
  const matching = Object.entries(permissions).filter(([key]) => name.test(key));
  if (matching.length === 0) return 'unknown';
  return matching.some(([, value]) => granted(value));
}

function isCcxtError(error: unknown, type: abstract new (...args: never[]) => Error): boolean {
  return error instanceof type;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * ccxt leaves `type` and `price` out of an orders/status entry, which carries no order type. An
 * order with nothing filled shows its limit price, and one still open is a limit order (market
 * orders never rest). Once filled, the price reported is what the fills paid (see withTrades):
 * a market order's limitPrice is only Kraken's protection bound.
 */
function withStatusDetails(order: CcxtOrder): CcxtOrder {
  const info = (order.info ?? {}) as { order?: { limitPrice?: unknown } };
  const limitPrice = Number(info.order?.limitPrice);
  const unfilled = !order.filled || order.filled <= 0;
  return {
    ...order,
    ...(order.status === 'open' ? { type: 'limit' } : {}),
    ...(unfilled && order.price === undefined && Number.isFinite(limitPrice) && limitPrice > 0
      ? { price: limitPrice }
      : {}),
  };
}

/**
 * The account's fills on `market` that belong to one order. GET /fills returns the latest fills of
 * the account (ccxt filters them by symbol); that is where a finished order stays visible.
 */
async function fillsOf(
  client: CcxtExchange,
  market: Market,
  belongs: (fill: CcxtTrade) => boolean,
): Promise<CcxtTrade[]> {
  const fills = await client.fetchMyTrades(market.symbol);
  return fills.filter(belongs);
}

function clientIdOf(fill: CcxtTrade): string | undefined {
  const id = (fill.info as { cliOrdId?: unknown } | undefined)?.cliOrdId;
  return typeof id === 'string' && id !== '' ? id : undefined;
}

/**
 * An order rebuilt from its fills, for when orders/status no longer knows it. It is finished (an
 * order still open would be in orders/status), so it is reported closed with what was filled: a
 * partly filled order cancelled later is reported as filled for the part that was, which is what
 * the position holds. Fills do not carry the order type: a maker fill means it rested (a limit).
 */
function orderFromFills(client: CcxtExchange, market: Market, fills: readonly CcxtTrade[]): CcxtOrder | null {
  const first = [...fills].sort((a, b) => (a.timestamp ?? 0) - (b.timestamp ?? 0))[0];
  if (!first) return null;
  const amount = fills.reduce((sum, f) => sum + (f.amount ?? 0), 0);
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
      amount,
      trades: fills,
      info: { fills: fills.map((f) => f.info) },
    },
    market,
  );
}

/** Adds the order's fills (prices, fees, the average paid) to an order found through orders/status, which lists none. */
async function withTrades(client: CcxtExchange, market: Market, order: CcxtOrder): Promise<CcxtOrder> {
  if (!order.filled || order.filled <= 0) return order;
  const trades = await fillsOf(client, market, (fill) => fill.order === order.id);
  if (trades.length === 0) return order;
  const cost = trades.reduce((sum, t) => sum + (t.cost ?? 0), 0);
  const filled = trades.reduce((sum, t) => sum + (t.amount ?? 0), 0);
  const average = filled > 0 ? cost / filled : order.average;
  // A maker fill means the order rested in the book: a limit order.
  const rested = trades.some((t) => t.takerOrMaker === 'maker');
  return { ...order, trades, cost, average, price: average, ...(rested ? { type: 'limit' } : {}) };
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

export const krakenFuturesProfile: ExchangeProfile = {
  id: 'krakenfutures',
  // sendorder's cliOrdId: at most 100 characters, unique per account. Kept to characters a query
  // string carries unencoded, so the signed postData reads the same encoded or decoded.
  clientOrderIdRule: { maxLength: 100, pattern: /^[A-Za-z0-9_.-]{1,100}$/ },
  marketKinds: ['swap'],
  // The flex (multi-collateral) account margins every PF_ perpetual; ccxt reads its currencies.
  balanceScopes: [{ wallet: 'swap', params: { type: 'flex' } }],

  createClient(mode: AccountMode, options: CcxtClientOptions): CcxtExchange {
    const client = new ccxtClasses.krakenfutures({
      apiKey: options.apiKey,
      secret: options.secret,
      timeout: options.timeout,
      enableRateLimit: options.enableRateLimit,
      // ccxt's default spaces every call 600 ms apart; Kraken's budget is per unit of cost instead.
      rateLimit: MS_PER_COST_UNIT,
    });
    client.calculateRateLimiterCost = (api: unknown, method: unknown, path: unknown) =>
      api === 'private' ? (DERIVATIVES_COST[`${String(method)} ${String(path)}`] ?? UNLISTED_COST) : 1;
    // ccxt's sandbox is Kraken's demo environment, demo-futures.kraken.com.
    if (mode === 'demo') client.setSandboxMode(true);
    // The key check lives in the auth service, which ccxt has no API for: declare it as one, signed
    // like ccxt's history API (the signed path is the URL path after the host).
    client.urls.api = { ...client.urls.api, auth: `${ORIGIN[mode]}/api/auth/` };
    const versions = (client.options.versions ?? {}) as Record<string, unknown>;
    const access = (client.options.access ?? {}) as Record<string, unknown>;
    client.options.versions = { ...versions, auth: { GET: { [KEY_CHECK_PATH]: 'v1' } } };
    client.options.access = { ...access, auth: { GET: { [KEY_CHECK_PATH]: 'private' } } };
    // /instruments lists inverse, dated and index contracts too; the platform trades the linear
    // perpetuals only, so the rest never reach the market cache.
    const fetchAll = client.fetchMarkets.bind(client);
    client.fetchMarkets = async (params = {}) =>
      (await fetchAll(params)).filter((m) => m?.swap === true && m.linear === true);
    return client;
  },

  createParams(request: OrderRequest): Record<string, unknown> {
    return { clientOrderId: request.clientOrderId, ...(request.reduceOnly ? { reduceOnly: true } : {}) };
  },

  async findById(client, market, orderId) {
    const found = await fromOrderStatus(client, market, { orderIds: [orderId] }, (o) => o.id === orderId);
    if (found) return found;
    return orderFromFills(client, market, await fillsOf(client, market, (fill) => fill.order === orderId));
  },

  /**
   * orders/status answers for orders that are open or finished in the last five seconds only, so
   * an order that filled earlier (a reply lost, a restart) is reconciled from GET /fills, whose
   * entries carry `cliOrdId`. An order cancelled unfilled more than five seconds ago is in neither
   * and is reported as absent. The order-events history (/api/history/v2/orders) would know it, but
   * its pool of 100 tokens per 10 minutes would drain on the lookup before every placement, where
   * finding nothing is the normal case.
   */
  async findByClientId(client, market, clientOrderId) {
    const found = await fromOrderStatus(
      client,
      market,
      { cliOrdIds: clientOrderId },
      (o) => o.clientOrderId === clientOrderId,
    );
    if (found) return found;
    const fills = await fillsOf(client, market, (fill) => clientIdOf(fill) === clientOrderId);
    return orderFromFills(client, market, fills);
  },

  async cancelByClientId(client, _market, clientOrderId) {
    // cancelorder takes cliOrdId in place of order_id; ccxt's cancelOrder only passes an order id.
    const reply = (await client.request('cancelorder', 'private', 'POST', { cliOrdId: clientOrderId })) as {
      cancelStatus?: { status?: string };
    };
    const status = reply.cancelStatus?.status;
    if (status === 'cancelled') return;
    if (status === 'notFound' || status === 'filled') {
      throw new ccxtErrors.OrderNotFound(`krakenfutures: cancel ${clientOrderId}: ${status}`);
    }
    throw new ccxtErrors.ExchangeError(
      `krakenfutures: cancel ${clientOrderId}: ${status ?? 'no cancelStatus'}`,
    );
  },

  classify(error: unknown): ExchangeSpecificClass | undefined {
    const message = messageOf(error);
    if (isCcxtError(error, ccxtErrors.DuplicateOrderId) || message.includes('clientOrderIdAlreadyExist')) {
      return 'duplicate-client-id';
    }
    if (isCcxtError(error, ccxtErrors.OrderNotFound)) return 'not-found';
    if (isCcxtError(error, ccxtErrors.InvalidNonce) || /nonceBelowThreshold|nonceDuplicate/.test(message)) {
      return 'timestamp';
    }
    // An HTTP 500 ("Server Error") says nothing about whether the order was taken: look it up.
    if (isCcxtError(error, ccxtErrors.ExchangeError) && message.includes('"Server Error"'))
      return 'status-unknown';
    return undefined;
  },

  /**
   * Nothing to resync: Kraken Futures' signature covers no timestamp, only an optional Nonce, and
   * ccxt sends none (so no server time to align with either). A nonce complaint can only concern a
   * request that carried one (another client sharing the key): the gateway's plain retry is the remedy.
   */
  async syncClock(): Promise<void> {},

  async keyPermissions(client): Promise<KeyPermissions> {
    const reply = keyCheckSchema.parse(await client.request(KEY_CHECK_PATH, 'auth', 'GET'));
    const blocks = [
      ...(reply.allowedCidrBlocks ?? []),
      ...(reply.allowedCidrBlock ? [reply.allowedCidrBlock] : []),
    ];
    const ips = [...new Set(blocks)];
    const general = Object.entries(reply.permissions).find(([key]) => /general/i.test(key))?.[1];
    // Kraken Futures keys have a general access level (no access / read only / full access) and a
    // separate withdrawal level. A full-access key may also move funds to the owner's Kraken spot
    // wallet; unless the key check names a transfer permission, that stays 'unknown'.
    return {
      // The signed check itself succeeded, so a key without a stated level can at least read.
      canRead: general === undefined || granted(general),
      canTrade:
        general === undefined
          ? 'unknown'
          : typeof general === 'string'
            ? /full/i.test(general)
            : general === true,
      canWithdraw: permission(reply.permissions, /withdraw/i),
      canTransfer: permission(reply.permissions, /transfer/i),
      ipRestricted: ips.length > 0 && !ips.some((ip) => ANY_ADDRESS.has(ip)),
      ips,
    };
  },

  /**
   * PUT /leveragepreferences: a symbol with a maxLeverage is margined isolated at that leverage; a
   * symbol without one is cross-margined (Kraken then takes no leverage number: cross positions
   * draw on the whole flex account).
   */
  async setLeverage(client, market, leverage: number, marginMode: MarginMode) {
    if (marginMode === 'isolated') {
      await client.setLeverage(leverage, market.symbol);
      return;
    }
    await client.request('leveragepreferences', 'private', 'PUT', { symbol: client.marketId(market.symbol) });
  },
};
