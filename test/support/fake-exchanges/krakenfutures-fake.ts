// A fake Kraken Futures on loopback: the PF_XBTUSD and PF_ETHUSD linear perpetuals on a USD flex
// account, Kraken's request signature (Authent) checked with the test key, its nonce rule, and
// faults worded the way Kraken Futures words them.
import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { type DecimalString, dec, str } from '../../../shared/core/money/decimal.js';
import { registerTestSecret } from '../test-secrets.js';
import { FakeLedger, type FakeMarket } from './fake-ledger.js';
import {
  type ExchangeDialect,
  FakeExchangeServer,
  type FakeRequest,
  type FakeResponse,
  type Fault,
  type WordedFault,
} from './fake-server.js';
import {
  type KrakenKeyDetails,
  krakenError,
  krakenFuturesRoutes,
  sendStatusReply,
} from './krakenfutures-fake-routes.js';

export type { KrakenKeyDetails } from './krakenfutures-fake-routes.js';

/** Kraken's steps for the two perpetuals (min lot = amount step; no minimum notional). */
export const KRAKEN_FUTURES_MARKETS: readonly FakeMarket[] = [
  {
    id: 'PF_XBTUSD',
    base: 'BTC',
    quote: 'USD',
    kind: 'swap',
    amountStep: '0.0001',
    priceStep: '1',
    minAmount: '0.0001',
    minNotional: '0',
    makerFeeRate: '0.0002',
    takerFeeRate: '0.0005',
  },
  {
    id: 'PF_ETHUSD',
    base: 'ETH',
    quote: 'USD',
    kind: 'swap',
    amountStep: '0.001',
    priceStep: '0.1',
    minAmount: '0.001',
    minNotional: '0',
    makerFeeRate: '0.0002',
    takerFeeRate: '0.0005',
  },
];

export interface KrakenFuturesFakeOptions {
  readonly now?: () => number;
  /** How long orders/status reports a finished order; Kraken documents 5 seconds. */
  readonly recentOrderWindowMs?: number;
  readonly prices?: Readonly<Record<string, string>>;
  /** USD in the flex account. */
  readonly usd?: string;
}

export interface KrakenFuturesFake {
  readonly baseUrl: string;
  readonly server: FakeExchangeServer;
  readonly ledger: FakeLedger;
  readonly apiKey: string;
  /** Base64, as Kraken issues API secrets. */
  readonly secret: string;
  setKeyPermissions(details: Partial<KrakenKeyDetails>): void;
  /**
   * Fills part of an open order, which the shared ledger cannot (it fills orders whole): a taker
   * fill that crossed part of the book on arrival, or a maker fill. Positions and balances are left
   * alone; only the order and its fills (what Kraken reports) change.
   */
  fillPart(orderId: string, amount: DecimalString, price: DecimalString, maker: boolean): void;
  close(): Promise<void>;
}

const DERIVATIVES = '/derivatives';
const MAX_LEVERAGE = 50;

/**
 * Authent = base64(HMAC-SHA512(base64decode(secret), SHA256(postData + nonce + endpointPath))),
 * where endpointPath is the URL path without the /derivatives prefix (e.g. /api/v3/sendorder) and
 * postData the parameters as sent (ccxt puts them in the query string, also on POST).
 */
export function krakenAuthent(secret: string, postData: string, nonce: string, endpointPath: string): string {
  const digest = createHash('sha256')
    .update(postData + nonce + endpointPath, 'utf8')
    .digest();
  return createHmac('sha512', Buffer.from(secret, 'base64')).update(digest).digest('base64');
}

function sameText(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

function dialect(apiKey: string, secret: string, now: () => number): ExchangeDialect {
  let lastNonce = 0n;
  return {
    authenticate(request: FakeRequest): FakeResponse | null {
      const refuse = () => krakenError(now(), 'authenticationError', 401);
      const key = request.headers.apikey;
      const authent = request.headers.authent;
      if (key !== apiKey || !authent) return refuse();
      // The Nonce header is optional; when sent it must grow (ccxt sends none).
      const nonce = request.headers.nonce ?? '';
      const postData = request.body !== '' ? request.body : request.rawQuery;
      const endpointPath = request.path.startsWith(DERIVATIVES)
        ? request.path.slice(DERIVATIVES.length)
        : request.path;
      if (!sameText(authent, krakenAuthent(secret, postData, nonce, endpointPath))) return refuse();
      if (nonce !== '') {
        if (!/^\d+$/.test(nonce)) return refuse();
        const value = BigInt(nonce);
        if (value === lastNonce) return krakenError(now(), 'nonceDuplicate', 401);
        if (value < lastNonce) return krakenError(now(), 'nonceBelowThreshold', 401);
        lastNonce = value;
      }
      return null;
    },

    fault(kind: WordedFault, fault: Fault, request?: FakeRequest): FakeResponse {
      switch (kind) {
        case 'rate-limit': {
          const seconds = fault.kind === 'rate-limit' ? fault.retryAfterSeconds : 1;
          const reply = krakenError(now(), 'apiLimitExceeded', 429);
          return { ...reply, headers: { 'Retry-After': String(seconds) } };
        }
        case 'server-error': {
          const status = fault.kind === 'server-error' ? (fault.status ?? 500) : 500;
          return krakenError(now(), status === 500 ? 'Server Error' : 'Unavailable', status);
        }
        case 'timestamp':
          return krakenError(now(), 'nonceBelowThreshold', 401);
        case 'insufficient-balance':
          // sendorder reports refusals in sendStatus; other endpoints in the error field.
          return request === undefined || request.path.endsWith('/sendorder')
            ? sendStatusReply(now(), 'insufficientAvailableFunds')
            : krakenError(now(), 'insufficientFunds');
      }
    },

    notFound(): FakeResponse {
      return krakenError(now(), 'notFound', 404);
    },
  };
}

export async function startKrakenFuturesFake(
  options: KrakenFuturesFakeOptions = {},
): Promise<KrakenFuturesFake> {
  const now = options.now ?? Date.now;
  const ledger = new FakeLedger(KRAKEN_FUTURES_MARKETS, now, 'forever');
  const prices = { PF_XBTUSD: '60000', PF_ETHUSD: '3000', ...options.prices };
  for (const [symbol, price] of Object.entries(prices)) ledger.setPrice(symbol, price);
  ledger.setBalance('USD', options.usd ?? '100000');
  const apiKey = randomBytes(42).toString('base64');
  const secret = randomBytes(64).toString('base64');
  registerTestSecret(secret);
  let keyDetails: KrakenKeyDetails = {
    general: 'full-access',
    withdrawal: 'no-access',
    allowedCidrBlocks: ['127.0.0.1/32'],
  };
  const routes = krakenFuturesRoutes({
    ledger,
    now,
    apiKey,
    recentOrderWindowMs: options.recentOrderWindowMs ?? 5_000,
    maxLeverage: MAX_LEVERAGE,
    keyDetails: () => keyDetails,
  });
  const server = new FakeExchangeServer(routes, dialect(apiKey, secret, now));
  const baseUrl = await server.start();
  return {
    baseUrl,
    server,
    ledger,
    apiKey,
    secret,
    setKeyPermissions(details) {
      keyDetails = { ...keyDetails, ...details };
    },
    fillPart(orderId, amount, price, maker) {
      const order = ledger.byOrderId(orderId);
      const market = order && ledger.markets.get(order.symbol);
      if (!order || !market || order.status !== 'open') throw new Error(`fake: no open order ${orderId}`);
      const filled = dec(order.filled).plus(amount);
      if (filled.gte(order.amount)) throw new Error('fake: fillPart fills part of an order, not all of it');
      const cost = dec(amount).times(price);
      const at = now();
      order.fills.push({
        tradeId: ledger.nextId(),
        orderId,
        ...(order.clientOrderId === undefined ? {} : { clientOrderId: order.clientOrderId }),
        symbol: order.symbol,
        side: order.side,
        price,
        amount,
        fee: str(cost.times(maker ? market.makerFeeRate : market.takerFeeRate)),
        feeCurrency: market.quote,
        maker,
        at,
      });
      order.filled = str(filled);
      order.cost = str(dec(order.cost).plus(cost));
      order.updatedAt = at;
    },
    close: () => server.close(),
  };
}
