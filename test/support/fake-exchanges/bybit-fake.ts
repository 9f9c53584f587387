// A fake Bybit v5 (unified trading account) on loopback: spot and USDT linear perpetuals, the real
// URL paths and reply shapes, Bybit's request signature checked with the test key, its receive
// window enforced against a clock the test may skew, and faults worded with Bybit's own codes.
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { DecimalString } from '../../../shared/core/money/decimal.js';
import { dec } from '../../../shared/core/money/decimal.js';
import { registerTestSecret } from '../test-secrets.js';
import { BYBIT_INSTRUMENTS, ledgerIdOfUnified, toFakeMarket } from './bybit-fake-markets.js';
import { type BybitFakeState, type BybitKeyInfo, bybitRoutes } from './bybit-fake-routes.js';
import { envelope, fail } from './bybit-fake-wire.js';
import { FakeLedger } from './fake-ledger.js';
import {
  type ExchangeDialect,
  FakeExchangeServer,
  type FakeRequest,
  type Fault,
  type WordedFault,
} from './fake-server.js';

export type { BybitKeyInfo } from './bybit-fake-routes.js';

export interface BybitFakeOptions {
  readonly apiKey?: string;
  readonly secret?: string;
  /** Funds of the unified account; default 100000 USDT. */
  readonly balances?: Readonly<Record<string, DecimalString>>;
  /** How far the exchange's clock runs ahead of this machine's (negative: behind). */
  readonly clockSkewMs?: number;
}

export interface BybitFake {
  readonly baseUrl: string;
  readonly server: FakeExchangeServer;
  readonly ledger: FakeLedger;
  readonly apiKey: string;
  readonly secret: string;
  setKeyPermissions(info: Partial<BybitKeyInfo>): void;
  setClockSkew(ms: number): void;
  /** Moves a market by its unified symbol ("BTC/USDT", "BTC/USDT:USDT"). */
  setPrice(symbol: string, price: DecimalString | number): void;
  /** As after a Bybit restart: /v5/order/realtime no longer lists the orders closed so far. */
  forgetRecentClosedOrders(): void;
  /** The account-wide margin mode of the unified account. */
  marginMode(): string;
  close(): Promise<void>;
}

/** A key that may trade spot and perpetuals, cannot withdraw or transfer, and is bound to one IP. */
export const TRADE_ONLY_KEY: BybitKeyInfo = {
  readOnly: 0,
  permissions: { ContractTrade: ['Order', 'Position'], Spot: ['SpotTrade'], Wallet: [] },
  ips: ['203.0.113.7'],
};

const DEFAULT_RECV_WINDOW = 5000;
/** Bybit refuses timestamps more than this far ahead of its clock. */
const FUTURE_TOLERANCE_MS = 1000;

function bybitDialect(apiKey: string, secret: string, now: () => number): ExchangeDialect {
  return {
    authenticate(request: FakeRequest) {
      const at = now();
      const key = request.headers['x-bapi-api-key'];
      const timestamp = request.headers['x-bapi-timestamp'];
      const sign = request.headers['x-bapi-sign'];
      const recvWindow = Number(request.headers['x-bapi-recv-window'] ?? DEFAULT_RECV_WINDOW);
      if (!key || !timestamp || !sign) {
        return fail(
          at,
          10003,
          `empty value: apiTimestamp[${timestamp ?? ''}] apiKey[${key ?? ''}] apiSignature[${sign ?? ''}]`,
        );
      }
      if (key !== apiKey) return fail(at, 10003, 'API key is invalid.');
      const ts = Number(timestamp);
      // Bybit's rule: server_time - recv_window <= timestamp < server_time + 1000.
      if (!Number.isFinite(ts) || ts < at - recvWindow || ts >= at + FUTURE_TOLERANCE_MS) {
        return timestampError(at, timestamp, recvWindow);
      }
      const payload = request.method === 'GET' ? request.rawQuery : request.body;
      const origin = `${timestamp}${key}${request.headers['x-bapi-recv-window'] ?? ''}${payload}`;
      const expected = createHmac('sha256', secret).update(origin).digest('hex');
      const given = Buffer.from(sign);
      const matches = given.length === expected.length && timingSafeEqual(given, Buffer.from(expected));
      return matches ? null : fail(at, 10004, `error sign! origin_string[${origin}]`);
    },

    fault(kind: WordedFault, fault: Fault) {
      const at = now();
      switch (kind) {
        case 'rate-limit': {
          const seconds = fault.kind === 'rate-limit' ? fault.retryAfterSeconds : 1;
          // Bybit tells the reset time in X-Bapi-Limit-Reset-Timestamp; the fake adds a standard Retry-After.
          return {
            status: 429,
            body: envelope(at, 10006, 'Too many visits. Exceeded the API Rate Limit.'),
            headers: {
              'Retry-After': String(seconds),
              'X-Bapi-Limit': '10',
              'X-Bapi-Limit-Status': '0',
              'X-Bapi-Limit-Reset-Timestamp': String(at + seconds * 1000),
            },
          };
        }
        case 'server-error':
          // Bybit's edge answers 5xx with an HTML page, not a JSON envelope.
          return {
            status: fault.kind === 'server-error' ? (fault.status ?? 502) : 502,
            body: '<html><head><title>502 Bad Gateway</title></head><body>502 Bad Gateway</body></html>',
            headers: { 'content-type': 'text/html' },
          };
        case 'timestamp':
          return timestampError(at, String(at - 2 * DEFAULT_RECV_WINDOW), DEFAULT_RECV_WINDOW);
        case 'insufficient-balance':
          return fail(at, 110007, 'ab not enough for new order');
      }
    },

    notFound() {
      return { status: 404, body: '404 page not found', headers: { 'content-type': 'text/plain' } };
    },
  };
}

function timestampError(at: number, timestamp: string, recvWindow: number) {
  return fail(
    at,
    10002,
    `invalid request, please check your server timestamp or recv_window param. req_timestamp[${timestamp}],server_timestamp[${at}],recv_window[${recvWindow}]`,
  );
}

export async function startBybitFake(options: BybitFakeOptions = {}): Promise<BybitFake> {
  const apiKey = options.apiKey ?? 'bybit-test-key';
  const secret = options.secret ?? 'bybit-test-secret';
  registerTestSecret(secret);
  let skew = options.clockSkewMs ?? 0;
  const now = () => Date.now() + skew;
  const ledger = new FakeLedger(BYBIT_INSTRUMENTS.map(toFakeMarket), now, 'forever');
  for (const i of BYBIT_INSTRUMENTS) ledger.prices.set(toFakeMarket(i).id, dec(i.price));
  for (const [currency, amount] of Object.entries(options.balances ?? { USDT: '100000' })) {
    ledger.setBalance(currency, amount);
  }
  const state: BybitFakeState = {
    ledger,
    apiKey,
    now,
    keyInfo: TRADE_ONLY_KEY,
    marginMode: 'REGULAR_MARGIN',
    realtimeForgetsBefore: 0,
    extras: new Map(),
  };
  const server = new FakeExchangeServer(bybitRoutes(state), bybitDialect(apiKey, secret, now));
  const baseUrl = await server.start();
  return {
    baseUrl,
    server,
    ledger,
    apiKey,
    secret,
    setKeyPermissions(info) {
      state.keyInfo = { ...state.keyInfo, ...info };
    },
    setClockSkew(ms) {
      skew = ms;
    },
    setPrice(symbol, price) {
      ledger.setPrice(ledgerIdOfUnified(symbol), String(price));
    },
    forgetRecentClosedOrders() {
      state.realtimeForgetsBefore = now() + 1;
    },
    marginMode: () => state.marginMode,
    close: () => server.close(),
  };
}
