// A fake Binance on loopback: spot and USD-M futures behind the real paths (/api/v3, /fapi/v1,
// /fapi/v3, /sapi/v1), HMAC-SHA256 request signing with X-MBX-APIKEY, the timestamp/recvWindow
// check, Binance's error codes and its 429/418 replies with Retry-After. Spot and futures keep
// separate ledgers, as Binance keeps separate wallets; spot frees a client order id once the
// order is no longer open (DuplicatePolicy 'while-open'), futures never do.
import { createHmac, timingSafeEqual } from 'node:crypto';
import { registerTestSecret } from '../test-secrets.js';
import { BINANCE_FUTURES_MARKETS, BINANCE_SPOT_MARKETS, type BinanceVenue } from './binance-fake-markets.js';
import {
  type BinanceApiRestrictions,
  type BinanceFakeState,
  binanceRoutes,
  serverNow,
} from './binance-fake-routes.js';
import { fail } from './binance-fake-wire.js';
import { FakeLedger } from './fake-ledger.js';
import {
  type ExchangeDialect,
  FakeExchangeServer,
  type FakeRequest,
  type FakeResponse,
} from './fake-server.js';

export { BINANCE_FUTURES_MARKETS, BINANCE_SPOT_MARKETS } from './binance-fake-markets.js';
export type { BinanceApiRestrictions } from './binance-fake-routes.js';

/** A trading-only key bound to IPs: what the platform asks traders to create. */
export const TRADING_ONLY_KEY: BinanceApiRestrictions = {
  ipRestrict: true,
  createTime: 1_700_000_000_000,
  enableReading: true,
  enableWithdrawals: false,
  enableInternalTransfer: false,
  enableMargin: false,
  enableFutures: true,
  permitsUniversalTransfer: false,
  enableVanillaOptions: false,
  enableFixApiTrade: false,
  enableFixReadOnly: false,
  enableSpotAndMarginTrading: true,
  enablePortfolioMarginTrading: false,
};

export interface BinanceFakeOptions {
  readonly apiKey?: string;
  readonly secret?: string;
  /** Quote funds in each wallet (spot and futures); default 100000 USDT. */
  readonly funding?: string;
}

export interface BinanceFake {
  readonly baseUrl: string;
  readonly server: FakeExchangeServer;
  /** The spot wallet and its orders. */
  readonly ledger: FakeLedger;
  /** The USD-M futures wallet, its orders and positions. */
  readonly futuresLedger: FakeLedger;
  readonly apiKey: string;
  readonly secret: string;
  setKeyPermissions(permissions: Partial<BinanceApiRestrictions>): void;
  /** Moves the fake's clock away from the host's: requests then fall outside recvWindow. */
  setClockSkew(ms: number): void;
  /** Moves a market by ccxt symbol ("BTC/USDT" spot, "BTC/USDT:USDT" futures). */
  setPrice(symbol: string, price: string): void;
  /** Orders in both wallets, every state. */
  orderCount(): number;
  /** Runs `action` when the next order placement arrives, before the fake handles it. */
  beforeNextCreate(action: () => void): void;
  /** The next order placement is answered -1006 or -1007 (execution status unknown), carried out or not. */
  answerNextCreateStatusUnknown(code: -1006 | -1007, executed: boolean): void;
  /** The next `times` requests get 418 (IP banned) with this Retry-After. */
  banIp(retryAfterSeconds: number, times?: number): void;
  close(): Promise<void>;
}

const DEFAULT_RECV_WINDOW = 5_000;
const MAX_RECV_WINDOW = 60_000;

/** Drops the `signature` parameter: Binance signs everything else, query string then body. */
function withoutSignature(encoded: string): { payload: string; signature: string | undefined } {
  let signature: string | undefined;
  const kept = encoded.split('&').filter((pair) => {
    if (!pair.startsWith('signature=')) return pair !== '';
    signature = decodeURIComponent(pair.slice('signature='.length));
    return false;
  });
  return { payload: kept.join('&'), signature };
}

function binanceDialect(state: BinanceFakeState, apiKey: string, secret: string, ban: { seconds: number }) {
  const dialect: ExchangeDialect = {
    authenticate(request: FakeRequest): FakeResponse | null {
      const key = request.headers['x-mbx-apikey'];
      if (!key) return fail(-2014, 'API-key format invalid.', 401);
      if (key !== apiKey) return fail(-2015, 'Invalid API-key, IP, or permissions for action.', 401);
      const query = withoutSignature(request.rawQuery);
      const body = withoutSignature(request.body);
      const params = new URLSearchParams(`${query.payload}&${body.payload}`);
      const timestamp = Number(params.get('timestamp'));
      if (!params.get('timestamp') || !Number.isFinite(timestamp)) {
        return fail(-1102, "Mandatory parameter 'timestamp' was not sent, was empty/null, or malformed.");
      }
      const recvWindow = Number(params.get('recvWindow') ?? DEFAULT_RECV_WINDOW);
      if (recvWindow > MAX_RECV_WINDOW) return fail(-1131, 'recvWindow must be less than 60000');
      const now = serverNow(state);
      if (timestamp >= now + 1_000) {
        return fail(-1021, "Timestamp for this request was 1000ms ahead of the server's time.");
      }
      if (now - timestamp > recvWindow) {
        return fail(-1021, 'Timestamp for this request is outside of the recvWindow.');
      }
      const signature = query.signature ?? body.signature;
      if (!signature) {
        return fail(-1102, "Mandatory parameter 'signature' was not sent, was empty/null, or malformed.");
      }
      const expected = createHmac('sha256', secret).update(`${query.payload}${body.payload}`).digest('hex');
      const given = Buffer.from(signature.toLowerCase());
      if (given.length !== expected.length || !timingSafeEqual(given, Buffer.from(expected))) {
        return fail(-1022, 'Signature for this request is not valid.');
      }
      return null;
    },
    fault(kind, fault, request): FakeResponse {
      switch (kind) {
        case 'rate-limit': {
          const seconds = fault.kind === 'rate-limit' ? fault.retryAfterSeconds : 1;
          return {
            ...fail(
              -1003,
              'Too many requests; current limit of IP(127.0.0.1) is 6000 requests per minute. Please use the websocket for live updates to avoid polling the API.',
              429,
            ),
            headers: { 'Retry-After': String(seconds) },
          };
        }
        case 'server-error': {
          const status = fault.kind === 'server-error' ? (fault.status ?? 503) : 503;
          if (status === 418) {
            const until = serverNow(state) + ban.seconds * 1_000;
            return {
              ...fail(
                -1003,
                `Way too many requests; IP(127.0.0.1) banned until ${until}. Please use the websocket for live updates to avoid bans.`,
                418,
              ),
              headers: { 'Retry-After': String(ban.seconds) },
            };
          }
          // What an overloaded edge answers: an HTML page, not Binance JSON (execution status unknown).
          return {
            status,
            body: `<html><head><title>${status} Service Unavailable</title></head><body><h1>${status} Service Unavailable</h1></body></html>`,
            headers: { 'content-type': 'text/html' },
          };
        }
        case 'timestamp':
          return fail(-1021, 'Timestamp for this request is outside of the recvWindow.');
        case 'insufficient-balance':
          return request.path.startsWith('/fapi/')
            ? fail(-2019, 'Margin is insufficient.')
            : fail(-2010, 'Account has insufficient balance for requested action.');
      }
    },
    notFound(): FakeResponse {
      return {
        status: 404,
        body: '<html><body><h2>404 Not found</h2></body></html>',
        headers: { 'content-type': 'text/html' },
      };
    },
  };
  return dialect;
}

function venueOfSymbol(symbol: string): { venue: BinanceVenue; id: string } {
  const [pair = '', settle] = symbol.split(':');
  return { venue: settle === undefined ? 'spot' : 'futures', id: pair.replace('/', '') };
}

export async function startBinanceFake(options: BinanceFakeOptions = {}): Promise<BinanceFake> {
  const apiKey = options.apiKey ?? 'binance-test-key-0123456789abcdef';
  const secret = options.secret ?? 'binance-test-secret-fedcba9876543210';
  registerTestSecret(secret);
  const funding = options.funding ?? '100000';
  const ban = { seconds: 1 };
  // The ledgers stamp orders and fills with the fake's clock (it may be skewed), defined below.
  const now = () => serverNow(state);
  const spot = new FakeLedger(BINANCE_SPOT_MARKETS, now, 'while-open');
  const futures = new FakeLedger(BINANCE_FUTURES_MARKETS, now, 'forever');
  for (const [ledger, markets] of [
    [spot, BINANCE_SPOT_MARKETS],
    [futures, BINANCE_FUTURES_MARKETS],
  ] as const) {
    ledger.setBalance('USDT', funding);
    for (const m of markets) ledger.setPrice(m.id, m.initialPrice);
  }
  const state: BinanceFakeState = {
    venues: {
      spot: { ledger: spot, specs: new Map(BINANCE_SPOT_MARKETS.map((m) => [m.id, m])) },
      futures: { ledger: futures, specs: new Map(BINANCE_FUTURES_MARKETS.map((m) => [m.id, m])) },
    },
    permissions: TRADING_ONLY_KEY,
    clockSkewMs: 0,
    interceptions: [],
  };
  const server = new FakeExchangeServer(binanceRoutes(state), binanceDialect(state, apiKey, secret, ban));
  const baseUrl = await server.start();
  return {
    baseUrl,
    server,
    ledger: spot,
    futuresLedger: futures,
    apiKey,
    secret,
    setKeyPermissions(permissions) {
      state.permissions = { ...state.permissions, ...permissions };
    },
    setClockSkew(ms) {
      state.clockSkewMs = ms;
    },
    setPrice(symbol, price) {
      const { venue, id } = venueOfSymbol(symbol);
      state.venues[venue].ledger.setPrice(id, price);
    },
    orderCount: () => spot.orders.length + futures.orders.length,
    beforeNextCreate(action) {
      state.interceptions.push({ kind: 'before', action });
    },
    answerNextCreateStatusUnknown(code, executed) {
      state.interceptions.push({ kind: 'status-unknown', code, executed });
    },
    banIp(retryAfterSeconds, times = 1) {
      ban.seconds = retryAfterSeconds;
      server.inject({ fault: { kind: 'server-error', status: 418 }, times });
    },
    close: () => server.close(),
  };
}
