// Binance: spot (/api/v3) and USD-M perpetuals (/fapi) through one ccxt client; "BTC/USDT" routes to
// spot, "BTC/USDT:USDT" to futures. What only Binance does lives here: newClientOrderId lookups
// (origClientOrderId), its error codes (-2010 means both "duplicate" and "no balance" on spot, told
// apart by the message), key permissions from /sapi/v1/account/apiRestrictions, and the demo hosts.
import { z } from 'zod';
import type { ExchangeErrorKind, KeyPermissions } from '../../ports/exchange-gateway.js';
import { type CcxtExchange, type CcxtMarket, type CcxtOrder, ccxtClasses, ccxtErrors } from './ccxt.js';
import type { ExchangeProfile, ExchangeSpecificClass } from './exchange-profile.js';

/** Which ccxt exception table (spot, linear, ...) applies to a Binance URL, read from its path. */
const MARKET_TYPE_BY_PATH: readonly [prefix: string, marketType: string][] = [
  ['/api/', 'spot'],
  ['/sapi/', 'spot'],
  ['/fapi/', 'linear'],
  ['/dapi/', 'inverse'],
  ['/eapi/', 'option'],
  ['/papi/', 'portfolioMargin'],
];

/**
 * ccxt picks Binance's per-market error table from the URL's host (api.binance.com → spot,
 * fapi.binance.com → linear). Behind a proxy or a fake exchange the host is ours, and futures codes
 * such as -2019 "Margin is insufficient." would fall back to the common table (OperationFailed, not
 * InsufficientFunds). The path says the same thing on every host, so read it from there.
 */
class BinanceClient extends ccxtClasses.binance {
  override getExceptionsByUrl(url: string | undefined, exactOrBroad: string): Record<string, unknown> {
    if (url === undefined) return {};
    let path: string;
    try {
      path = new URL(url).pathname;
    } catch {
      return super.getExceptionsByUrl(url, exactOrBroad);
    }
    const marketType = MARKET_TYPE_BY_PATH.find(([prefix]) => path.startsWith(prefix))?.[1];
    if (marketType === undefined) return {};
    const tables = this.safeDict(this.exceptions, marketType, {}) ?? {};
    return this.safeDict(tables, exactOrBroad, {}) ?? {};
  }
}

function asBinance(client: CcxtExchange): BinanceClient {
  if (!(client instanceof BinanceClient)) throw new Error('binance profile: not a client it created');
  return client;
}

/** Binance's error reply, `{"code":-2010,"msg":"..."}`, which ccxt embeds in its error message. */
const binanceReplySchema = z.object({ code: z.number(), msg: z.string() });
type BinanceReply = z.infer<typeof binanceReplySchema>;

function binanceReply(error: unknown): BinanceReply | undefined {
  if (!(error instanceof ccxtErrors.BaseError)) return undefined;
  const start = error.message.indexOf('{');
  if (start < 0) return undefined;
  try {
    const parsed = binanceReplySchema.safeParse(JSON.parse(error.message.slice(start)));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

/** GET /sapi/v1/account/apiRestrictions: the fields the key check relies on. */
const apiRestrictionsSchema = z.object({
  ipRestrict: z.boolean(),
  enableReading: z.boolean(),
  enableWithdrawals: z.boolean(),
  enableInternalTransfer: z.boolean(),
  permitsUniversalTransfer: z.boolean(),
  enableSpotAndMarginTrading: z.boolean(),
  enableFutures: z.boolean().optional(),
});

/** GET /api/v3/account (spot): `canTrade` is what the demo environment can tell about a key. */
const spotAccountSchema = z.object({ canTrade: z.boolean() });

function isNotFound(error: unknown): boolean {
  return error instanceof ccxtErrors.OrderNotFound;
}

export const binanceProfile: ExchangeProfile = {
  id: 'binance',
  // Futures allow ^[.A-Z:/a-z0-9_-]{1,36}$, spot only ^[a-zA-Z0-9-_]{1,36}$: one rule for both
  // markets, so the narrower one, and an id spot would refuse (-1100) is refused before sending.
  clientOrderIdRule: { maxLength: 36, pattern: /^[A-Za-z0-9_-]{1,36}$/ },
  marketKinds: ['spot', 'swap'],

  createClient(mode, options) {
    const client = new BinanceClient({
      apiKey: options.apiKey,
      secret: options.secret,
      timeout: options.timeout,
      enableRateLimit: options.enableRateLimit,
      options: {
        // Spot and USD-M only; no currencies (a private /sapi call) and no margin pairs on load.
        fetchMarkets: { types: ['spot', 'linear'] },
        fetchCurrencies: false,
        fetchMargins: false,
      },
    });
    // demo-api.binance.com / demo-fapi.binance.com: Binance's demo trading with virtual funds.
    if (mode === 'demo') client.enableDemoTrading(true);
    return client;
  },

  createParams(request, market) {
    return {
      newClientOrderId: request.clientOrderId,
      // Spot rejects parameters it does not know (-1104): reduce-only is a futures flag only.
      ...(market?.contract && request.reduceOnly ? { reduceOnly: true } : {}),
    };
  },

  balanceScopes: [
    { wallet: 'spot', params: { type: 'spot' } },
    { wallet: 'swap', params: { type: 'swap', subType: 'linear' } },
  ],

  async findById(client, market, orderId) {
    return lookup(() => client.fetchOrder(orderId, symbolOf(market)));
  },

  async findByClientId(client, market, clientOrderId) {
    // GET /api/v3/order or /fapi/v1/order with origClientOrderId; spot answers with the latest order
    // that used the id (it may be reused once the earlier order is no longer open).
    return lookup(() => client.fetchOrder('', symbolOf(market), { origClientOrderId: clientOrderId }));
  },

  async cancelByClientId(client, market, clientOrderId) {
    try {
      await client.cancelOrder('', symbolOf(market), { origClientOrderId: clientOrderId });
    } catch (error) {
      // -2011 "Unknown order sent.": gone, filled or cancelled already; the gateway re-reads it.
      if (!isNotFound(error)) throw error;
    }
  },

  classify(error): ExchangeSpecificClass | ExchangeErrorKind | undefined {
    const reply = binanceReply(error);
    if (!reply) return undefined;
    switch (reply.code) {
      case -1001: // "Internal error; unable to process your request. Please try again."
      case -1006: // "An unexpected response was received from the message bus. Execution status unknown."
      case -1007: // "Timeout waiting for response from backend server. ... execution status unknown."
        return 'status-unknown';
      case -1021: // "Timestamp for this request is outside of the recvWindow."
        return 'timestamp';
      case -4116: // futures: "ClientOrderId is duplicated."
        return 'duplicate-client-id';
      case -2010: // spot NEW_ORDER_REJECTED: a duplicate of an open order, or no balance, or ...
        return reply.msg.startsWith('Duplicate order sent') ? 'duplicate-client-id' : undefined;
      case -2015: // "Invalid API-key, IP, or permissions for action.": ccxt calls it DDoSProtection, which
        // would be retried as a rate limit; it is the key (or the IP it is bound to) that is wrong.
        return 'auth';
      case -2011: // "Unknown order sent." (cancel)
      case -2013: // "Order does not exist." (query)
        return 'not-found';
      default:
        return undefined;
    }
  },

  async syncClock(client) {
    // GET /api/v3/time; ccxt keeps one offset for every Binance API it signs for.
    await client.loadTimeDifference();
  },

  async keyPermissions(client): Promise<KeyPermissions> {
    const binance = asBinance(client);
    if (binance.options.enableDemoTrading === true) {
      // The demo hosts have no /sapi: no withdrawals and no transfers exist there, its funds are
      // virtual. The spot account call proves the key works and tells whether it may trade.
      const account = spotAccountSchema.parse(await binance.privateGetAccount());
      return {
        canRead: true,
        canTrade: account.canTrade,
        canWithdraw: false,
        canTransfer: false,
        ipRestricted: 'unknown',
        ips: [],
      };
    }
    const restrictions = apiRestrictionsSchema.parse(await binance.sapiGetAccountApiRestrictions());
    return {
      canRead: restrictions.enableReading,
      canTrade: restrictions.enableSpotAndMarginTrading || (restrictions.enableFutures ?? false),
      canWithdraw: restrictions.enableWithdrawals,
      canTransfer: restrictions.enableInternalTransfer || restrictions.permitsUniversalTransfer,
      ipRestricted: restrictions.ipRestrict,
      // Binance does not list a key's IPs in apiRestrictions.
      ips: [],
    };
  },

  async setLeverage(client, market, leverage, marginMode) {
    const symbol = symbolOf(market);
    try {
      // POST /fapi/v1/marginType first: Binance refuses a change while positions or orders exist.
      await client.setMarginMode(marginMode, symbol);
    } catch (error) {
      // -4046 "No need to change margin type.": already as asked.
      if (!(error instanceof ccxtErrors.MarginModeAlreadySet)) throw error;
    }
    await client.setLeverage(leverage, symbol); // POST /fapi/v1/leverage
  },
};

function symbolOf(market: CcxtMarket): string {
  if (!market) throw new Error('binance profile: no market');
  return market.symbol;
}

/** An order read that says null where Binance says -2013 "Order does not exist.". */
async function lookup(read: () => Promise<CcxtOrder>): Promise<CcxtOrder | null> {
  try {
    return await read();
  } catch (error) {
    if (isNotFound(error)) return null;
    throw error;
  }
}
