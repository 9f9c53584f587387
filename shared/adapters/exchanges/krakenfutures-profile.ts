// Kraken Futures through ccxt's `krakenfutures` class, limited to the linear multi-collateral
// perpetuals (PF_XBTUSD = "BTC/USD:USD"), margined from the USD of the flex account. What is
// Kraken-specific: `cliOrdId` as the client order id, an order-status endpoint that forgets orders
// five seconds after they finish (so lookups fall back to the fills and the order-event history),
// leverage preferences that double as the margin mode, and a key check served by Kraken Futures'
// auth service.
import { z } from 'zod';
import type { KeyPermissions, MarginMode, OrderRequest } from '../../ports/exchange-gateway.js';
import { type CcxtExchange, ccxtClasses, ccxtErrors } from './ccxt.js';
import type {
  AccountMode,
  CcxtClientOptions,
  ExchangeProfile,
  ExchangeSpecificClass,
} from './exchange-profile.js';
import { locate } from './krakenfutures-lookup.js';

const ORIGIN: Readonly<Record<AccountMode, string>> = {
  live: 'https://futures.kraken.com',
  demo: 'https://demo-futures.kraken.com',
};

/**
 * Kraken Futures lets each account spend 500 cost units per 10 s on /derivatives, at these costs
 * per call (its rate-limit docs); ccxt's leaky bucket refills one unit per 20 ms to match. Public,
 * history and key-check calls count nothing there (the history API has its own pool of 100
 * requests per 10 minutes); they are charged one unit to stay polite.
 */
const MS_PER_COST_UNIT = 20;
const DERIVATIVES_COST: Readonly<Record<string, number>> = {
  'POST sendorder': 10,
  'POST cancelorder': 10,
  'GET openorders': 2,
  'GET orders/status': 1,
  'GET fills': 2,
  /** A page of fills before a `lastFillTime`. */
  'GET fills lastFillTime': 25,
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

export const krakenFuturesProfile: ExchangeProfile = {
  id: 'krakenfutures',
  // sendorder's cliOrdId: at most 100 characters, unique per account. Kept to characters a query
  // string carries unencoded, so the signed postData reads the same encoded or decoded.
  clientOrderIdRule: { maxLength: 100, pattern: /^[A-Za-z0-9_.-]{1,100}$/ },
  // Kraken Futures limits each API key (a cost budget per 10 s), not the IP the accounts share.
  rateLimitScope: 'account',
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
    client.calculateRateLimiterCost = (api: unknown, method: unknown, path: unknown, params: unknown) => {
      if (api !== 'private') return 1;
      const paged = typeof params === 'object' && params !== null && 'lastFillTime' in params;
      const call = `${String(method)} ${String(path)}${paged ? ' lastFillTime' : ''}`;
      return DERIVATIVES_COST[call] ?? UNLISTED_COST;
    };
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
    return locate(client, market, { orderId });
  },

  /**
   * orders/status answers for orders open or finished in the last five seconds only; an order that
   * finished earlier (a reply lost, a Lambda restarted, a command redelivered minutes later) is
   * found in the fills, paged back, and in the order events. See locate.
   */
  async findByClientId(client, market, clientOrderId, notBefore) {
    return locate(client, market, { clientOrderId }, notBefore);
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
