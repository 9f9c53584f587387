// A fake Phemex on loopback: spot (sBTCUSDT, scaled Ep/Ev integers) and USDT perpetuals (BTCUSDT,
// the "g-" API), on the real URL paths with Phemex's reply shapes. Every private request's
// signature is checked with the test key (HMAC-SHA256 of path + query + expiry + body) and its
// expiry against a clock the test may skew; faults are worded with Phemex's own codes.
import { createHmac, timingSafeEqual } from 'node:crypto';
import { type DecimalString, dec } from '../../../shared/core/money/decimal.js';
import { registerTestSecret } from '../test-secrets.js';
import { FakeLedger } from './fake-ledger.js';
import {
  type ExchangeDialect,
  FakeExchangeServer,
  type FakeRequest,
  type Fault,
  type WordedFault,
} from './fake-server.js';
import { type PhemexFakeState, type PhemexKeyPermissions, phemexRoutes } from './phemex-fake-routes.js';
import { fail, instrumentByUnified, PHEMEX_INSTRUMENTS } from './phemex-fake-wire.js';

export type { PhemexKeyPermissions } from './phemex-fake-routes.js';

export interface PhemexFakeOptions {
  readonly apiKey?: string;
  readonly secret?: string;
  /** Funds, shared by the spot and perpetual wallets in this fake; default 100000 USDT. */
  readonly balances?: Readonly<Record<string, DecimalString>>;
  /** How far the exchange's clock runs ahead of this machine's (negative: behind). */
  readonly clockSkewMs?: number;
  /**
   * Phemex names a 429's wait only in x-ratelimit-retry-after-<group>; the fake adds a standard
   * Retry-After too unless this is false (default true).
   */
  readonly standardRetryAfter?: boolean;
}

export interface PhemexFake {
  readonly baseUrl: string;
  readonly server: FakeExchangeServer;
  readonly ledger: FakeLedger;
  readonly apiKey: string;
  readonly secret: string;
  /** What the key may do. Phemex does not report it; the fake enforces it (401 Insufficient privilege). */
  setKeyPermissions(permissions: Partial<PhemexKeyPermissions>): void;
  setClockSkew(ms: number): void;
  /** Moves a market by its unified symbol ("BTC/USDT", "BTC/USDT:USDT"). */
  setPrice(symbol: string, price: DecimalString | number): void;
  /** The next `count` order lookups miss, as if Phemex's order history lagged behind its matching. */
  staleLookups(count: number): void;
  close(): Promise<void>;
}

/** Phemex refuses a request whose expiry lies further ahead than this (its documented 2 minutes). */
const MAX_EXPIRY_AHEAD_S = 120;

/** Phemex's rate-limit groups, named in the x-ratelimit-*-<group> headers; "others" has no suffix. */
function rateLimitGroup(path: string): string {
  if (path.startsWith('/spot/orders')) return '-SPOTORDER';
  if (/^\/(g-)?(orders|accounts|positions)/.test(path)) return '-CONTRACT';
  return '';
}

/** HMAC-SHA256, hex, of path + query string (no '?') + expiry + body, keyed with the secret as given. */
export function phemexSignature(
  secret: string,
  request: Pick<FakeRequest, 'path' | 'rawQuery' | 'body'>,
  expiry: string,
) {
  return createHmac('sha256', secret)
    .update(`${request.path}${request.rawQuery}${expiry}${request.body}`)
    .digest('hex');
}

function phemexDialect(
  apiKey: string,
  secret: string,
  now: () => number,
  standardRetryAfter: boolean,
): ExchangeDialect {
  return {
    authenticate(request: FakeRequest) {
      const key = request.headers['x-phemex-access-token'];
      const expiry = request.headers['x-phemex-request-expiry'] ?? '';
      const signature = request.headers['x-phemex-request-signature'] ?? '';
      if (key !== apiKey) return fail(10500, `Failed to find api-key ${key ?? ''}`, 401);
      const seconds = Math.floor(now() / 1000);
      const expires = Number(expiry);
      if (!Number.isInteger(expires) || expires < seconds)
        return fail(401, `401 Request Expired at ${expiry}`, 401);
      if (expires > seconds + MAX_EXPIRY_AHEAD_S)
        return fail(401, `401 Request expiry too far ahead: ${expiry}`, 401);
      const expected = phemexSignature(secret, request, expiry);
      const given = Buffer.from(signature);
      const matches = given.length === expected.length && timingSafeEqual(given, Buffer.from(expected));
      return matches ? null : fail(10500, 'API Signature verification failed.', 401);
    },

    fault(kind: WordedFault, fault: Fault, request: FakeRequest) {
      switch (kind) {
        case 'rate-limit': {
          const seconds = fault.kind === 'rate-limit' ? fault.retryAfterSeconds : 1;
          const group = rateLimitGroup(request.path);
          return {
            ...fail(39995, 'Too many requests.', 429),
            headers: {
              ...(standardRetryAfter ? { 'Retry-After': String(seconds) } : {}),
              [`x-ratelimit-retry-after${group}`]: String(seconds),
              [`x-ratelimit-remaining${group}`]: '0',
              [`x-ratelimit-capacity${group}`]: group === '' ? '100' : '500',
            },
          };
        }
        case 'server-error': {
          // Phemex's edge answers 5xx with an HTML page; the order's fate is then unknown.
          const status = fault.kind === 'server-error' ? (fault.status ?? 503) : 503;
          return {
            status,
            body: `<html><head><title>${status} Service Temporarily Unavailable</title></head><body></body></html>`,
            headers: { 'content-type': 'text/html' },
          };
        }
        case 'timestamp':
          return fail(401, `401 Request Expired at ${Math.floor(now() / 1000) - 5}`, 401);
        case 'insufficient-balance':
          return request.path.startsWith('/spot/')
            ? fail(11106, 'TE_PLACE_ORDER_INSUFFICIENT_QUOTE_BALANCE')
            : fail(11001, 'TE_NO_ENOUGH_AVAILABLE_BALANCE');
      }
    },

    notFound() {
      return fail(404, 'Not Found', 404);
    },
  };
}

export async function startPhemexFake(options: PhemexFakeOptions = {}): Promise<PhemexFake> {
  const apiKey = options.apiKey ?? 'phemex-test-key';
  const secret = options.secret ?? 'phemex-test-secret';
  registerTestSecret(secret);
  let skew = options.clockSkewMs ?? 0;
  const now = () => Date.now() + skew;
  // Phemex refuses a clOrdID it has seen before, whatever the first order's state (11085).
  const ledger = new FakeLedger(
    PHEMEX_INSTRUMENTS.map((i) => i.market),
    now,
    'forever',
  );
  for (const i of PHEMEX_INSTRUMENTS) ledger.prices.set(i.market.id, dec(i.price));
  for (const [currency, amount] of Object.entries(options.balances ?? { USDT: '100000' })) {
    ledger.setBalance(currency, amount);
  }
  const state: PhemexFakeState = { ledger, now, permissions: { read: true, trade: true }, staleLookups: 0 };
  const server = new FakeExchangeServer(
    phemexRoutes(state),
    phemexDialect(apiKey, secret, now, options.standardRetryAfter ?? true),
  );
  const baseUrl = await server.start();
  return {
    baseUrl,
    server,
    ledger,
    apiKey,
    secret,
    setKeyPermissions(permissions) {
      state.permissions = { ...state.permissions, ...permissions };
    },
    setClockSkew(ms) {
      skew = ms;
    },
    setPrice(symbol, price) {
      ledger.setPrice(instrumentByUnified(symbol).market.id, String(price));
    },
    staleLookups(count) {
      state.staleLookups = count;
    },
    close: () => server.close(),
  };
}
