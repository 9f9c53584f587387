// Phemex: spot ("sBTCUSDT", prices and amounts as scaled integers, Ep/Ev) and USDT-settled
// perpetuals ("BTCUSDT", the "g-" API with real-number strings, Rp/Rq/Rv), live or on the testnet.
// Phemex reports no API-key permissions (keys are user-attested), says nothing reliable when a
// create fails with a 5xx (the order may exist) and signs with an expiry rather than a timestamp.
import type { ExchangeErrorKind, KeyPermissions } from '../../ports/exchange-gateway.js';
import {
  type CcxtExchange,
  type CcxtMarket,
  type CcxtOrder,
  type CcxtTrade,
  ccxtClasses,
  ccxtErrors,
} from './ccxt.js';
import type { ExchangeProfile, ExchangeSpecificClass } from './exchange-profile.js';

/**
 * Phemex's standard (VIP 0) USDT-M perpetual fees. /public/products does not list fee rates for
 * these markets, so ccxt leaves them empty; an estimate is better than zero.
 */
const USDT_PERPETUAL_FEES = { maker: 0.0001, taker: 0.0006 } as const;

/** /api-data pages hold at most 200 rows; fills beyond this many pages are left for a later call. */
const FILL_PAGE_SIZE = 200;
const MAX_FILL_PAGES = 10;

type Row = Record<string, unknown>;

const isRow = (value: unknown): value is Row =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** Phemex answers list queries with `data: [...]` on some endpoints and `data: {rows: [...]}` on others. */
function rowsOf(response: unknown): Row[] {
  const data = isRow(response) ? response.data : undefined;
  const rows = Array.isArray(data) ? data : isRow(data) && Array.isArray(data.rows) ? data.rows : [];
  return rows.filter(isRow);
}

/**
 * ccxt's phemex class with three corrections the gateway relies on:
 * - the request expiry honours `options.timeDifference` (ccxt signs with the raw local clock and
 *   Phemex has no fetchTime), so `syncClock` can correct a drifting clock;
 * - USDT perpetuals carry their minimum order value and fees (ccxt leaves both empty), so the
 *   gateway's local minimum check matches the exchange's;
 * - fills on USDT perpetuals come from /api-data/g-futures/trades, whose rows name their order:
 *   the /exchange/order/v2/tradingList rows ccxt reads carry no orderID, so reconciliation could
 *   not match a fill to the order it belongs to.
 */
class PhemexClient extends ccxtClasses.phemex {
  constructor(config: Record<string, unknown>) {
    super(config);
    this.seconds = () => Math.floor((this.milliseconds() - this.clockOffsetMs()) / 1000);
  }

  /** Local clock minus Phemex's, in ms (ccxt's convention for `timeDifference`). */
  clockOffsetMs(): number {
    const offset = Number(this.options.timeDifference ?? 0);
    return Number.isFinite(offset) ? offset : 0;
  }

  override parseSwapMarket(raw: Row) {
    const market = super.parseSwapMarket(raw);
    if (market?.settle !== 'USDT') return market;
    return {
      ...market,
      maker: market.maker ?? USDT_PERPETUAL_FEES.maker,
      taker: market.taker ?? USDT_PERPETUAL_FEES.taker,
      limits: {
        ...market.limits,
        cost: {
          min: market.limits.cost?.min ?? this.safeNumber(raw, 'minOrderValueRv'),
          max: market.limits.cost?.max,
        },
      },
    };
  }

  override async fetchMyTrades(
    symbol?: string,
    since?: number,
    limit?: number,
    params: Record<string, unknown> = {},
  ): Promise<CcxtTrade[]> {
    await this.loadMarkets();
    const market = symbol === undefined ? undefined : this.market(symbol);
    if (!market?.swap || market.settle !== 'USDT') return super.fetchMyTrades(symbol, since, limit, params);
    const rows: Row[] = [];
    for (let page = 0; page < MAX_FILL_PAGES; page++) {
      const response = await this.privateGetApiDataGFuturesTrades({
        symbol: market.id,
        offset: page * FILL_PAGE_SIZE,
        limit: FILL_PAGE_SIZE,
        ...(since === undefined ? {} : { start: since }),
        ...params,
      });
      const found = rowsOf(response);
      rows.push(...found);
      if (found.length < FILL_PAGE_SIZE) break;
    }
    return this.parseTrades(rows, market, since, limit);
  }
}

function phemexOf(client: CcxtExchange): PhemexClient {
  if (client instanceof PhemexClient) return client;
  throw new TypeError('the phemex profile works only with clients it created');
}

/** ccxt reads the order type from `orderType`; the /api-data rows name it `ordType`. */
function toOrder(client: PhemexClient, row: Row, market: CcxtMarket): CcxtOrder {
  const order = client.parseOrder(row, market);
  if (order.type) return order;
  const raw = String(row.ordType ?? '');
  const type =
    raw === 'Limit' || raw === '2' ? 'limit' : raw === 'Market' || raw === '1' ? 'market' : undefined;
  return type === undefined ? order : { ...order, type };
}

type OrderKey = { readonly orderID: string } | { readonly clOrdID: string };

/**
 * One order by id or client id, open or closed. Spot: the open-order query first, then the order
 * history (/api-data/spots/orders/by-order-id, what ccxt's fetchOrder reads). Perpetuals: the history
 * (/api-data/g-futures/orders/by-order-id), then the open orders in case the history does not list
 * an order still open. Read directly rather than through ccxt's fetchOrder, which takes a
 * perpetual's `data` for the order itself and so misreads a `{rows: [...]}` answer.
 */
async function findOrder(client: PhemexClient, market: CcxtMarket, key: OrderKey): Promise<CcxtOrder | null> {
  if (!market) return null;
  const matches = (o: CcxtOrder) =>
    'orderID' in key ? o.id === key.orderID : o.clientOrderId === key.clOrdID;
  const query = { symbol: market.id, ...key };
  if (market.spot) {
    try {
      const open = await client.privateGetSpotOrdersActive(query);
      const row = isRow(open.data) ? open.data : undefined;
      if (row && Object.keys(row).length > 0) return toOrder(client, row, market);
    } catch (error) {
      if (!(error instanceof ccxtErrors.OrderNotFound)) throw error;
    }
    const [row] = rowsOf(await client.privateGetApiDataSpotsOrdersByOrderId(query));
    return row ? toOrder(client, row, market) : null;
  }
  const [row] = rowsOf(await client.privateGetApiDataGFuturesOrdersByOrderId(query));
  if (row) return toOrder(client, row, market);
  const open = await client.fetchOpenOrders(market.symbol);
  return open.find(matches) ?? null;
}

/** ccxt's message for an HTTP error it maps by status: "phemex POST <url> 503 <reason> <body>". */
const HTTP_5XX = /^phemex (?:GET|POST|PUT|DELETE) \S+ 5\d\d /;

export const phemexProfile: ExchangeProfile = {
  id: 'phemex',
  // clOrdID: at most 40 characters. Phemex documents no alphabet; these never need escaping.
  clientOrderIdRule: { maxLength: 40, pattern: /^[A-Za-z0-9_-]{1,40}$/ },
  // Phemex limits each API key (per-user windows), not the IP the accounts share.
  rateLimitScope: 'account',
  marketKinds: ['spot', 'swap'],
  balanceScopes: [
    { wallet: 'spot', params: { type: 'spot' } },
    { wallet: 'swap', params: { type: 'swap', code: 'USDT' } },
  ],

  createClient(mode, options) {
    const client = new PhemexClient({
      apiKey: options.apiKey,
      secret: options.secret,
      timeout: options.timeout,
      enableRateLimit: options.enableRateLimit,
      // Phemex counts requests in one-minute windows (per user: Contract and SpotOrder 500, Others
      // 100), which ccxt's rolling window models directly: 498 cost units a minute, an /api-data read
      // costing 5. ccxt's default leaky bucket (capacity 1) would space every such read 600 ms apart.
      rateLimiterAlgorithm: 'rollingWindow',
      rollingWindowSize: 60_000,
    });
    // The testnet (testnet-api.phemex.com) has both spot and the USDT perpetuals.
    if (mode === 'demo') client.setSandboxMode(true);
    return client;
  },

  createParams(request, market) {
    return {
      clOrdID: request.clientOrderId,
      ...(market?.swap && request.reduceOnly ? { reduceOnly: true } : {}),
    };
  },

  findById(client, market, orderId) {
    return findOrder(phemexOf(client), market, { orderID: orderId });
  },

  findByClientId(client, market, clientOrderId) {
    return findOrder(phemexOf(client), market, { clOrdID: clientOrderId });
  },

  async cancelByClientId(client, market, clientOrderId) {
    if (!market) return;
    // Spot: DELETE /spot/orders?clOrdID; perpetuals: DELETE /g-orders/cancel?clOrdID&posSide=Merged.
    await client.cancelOrder('', market.symbol, { clientOrderId });
  },

  classify(error: unknown): ExchangeSpecificClass | ExchangeErrorKind | undefined {
    if (!(error instanceof Error)) return undefined;
    // 11085 TE_CL_ORD_ID_DUPLICATE (and the older 10001 / 11033): ccxt raises DuplicateOrderId.
    if (error instanceof ccxtErrors.DuplicateOrderId) return 'duplicate-client-id';
    if (error instanceof ccxtErrors.AuthenticationError) {
      // "401 Request Expired at <expiry>": our clock is behind (or far ahead of) Phemex's.
      if (/request expir/i.test(error.message)) return 'timestamp';
      // "401 Insufficient privilege." / "401 Request IP mismatch.": the key works but may not do this.
      // ccxt matches the code 401 exactly (AuthenticationError) before its own PermissionDenied rule.
      if (/insufficient privilege|ip mismatch/i.test(error.message)) return 'permission';
    }
    // Phemex: "HTTP 5XX ... doesn't mean the operation failed, the execution status is UNKNOWN".
    if (HTTP_5XX.test(error.message)) return 'status-unknown';
    if (error instanceof ccxtErrors.OrderNotFound) return 'not-found';
    return undefined;
  },

  async syncClock(client) {
    const before = client.milliseconds();
    const response: unknown = await client.request('public/time', 'v2', 'GET');
    const after = client.milliseconds();
    const serverTime = Number(
      isRow(response) && isRow(response.data) ? response.data.serverTime : Number.NaN,
    );
    if (!Number.isFinite(serverTime))
      throw new ccxtErrors.ExchangeError('phemex /public/time gave no serverTime');
    client.options.timeDifference = Math.round((before + after) / 2) - serverTime;
  },

  async keyPermissions(client): Promise<KeyPermissions> {
    // No key-permission endpoint: one signed read proves the key works (an auth failure throws).
    await client.fetchBalance({ type: 'spot' });
    return {
      canRead: true,
      canTrade: 'unknown',
      canWithdraw: 'unknown',
      canTransfer: 'unknown',
      ipRestricted: 'unknown',
      ips: [],
    };
  },

  async setLeverage(client, market, leverage, marginMode) {
    if (!market) return;
    // One PUT /g-positions/leverage: leverageRr > 0 is isolated margin, < 0 cross (Phemex's convention).
    await client.setMarginMode(marginMode, market.symbol, { leverage });
  },
};
