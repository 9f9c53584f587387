// What differs between exchanges, behind one shape. The generic gateway (ccxt-gateway.ts) does the
// idempotency, retries, rounding, caching and error taxonomy; a profile says how one exchange names
// client order ids, finds an order by one, reports key permissions and words its error codes.
import type {
  ExchangeErrorKind,
  KeyPermissions,
  MarginMode,
  OrderRequest,
} from '../../ports/exchange-gateway.js';
import type { CcxtExchange, CcxtMarket, CcxtOrder } from './ccxt.js';

export const EXCHANGE_IDS = ['binance', 'bybit', 'phemex', 'krakenfutures'] as const;
export type ExchangeId = (typeof EXCHANGE_IDS)[number];

/** Chosen per exchange account: live trading or the exchange's demo / testnet environment. */
export type AccountMode = 'live' | 'demo';

export interface ExchangeCredentials {
  readonly apiKey: string;
  readonly secret: string;
  /** Only exchanges that issue one (none of the four today; kept for OKX-style keys). */
  readonly password?: string;
}

/** Options every ccxt client gets from the gateway; the profile adds its own. */
export interface CcxtClientOptions {
  readonly apiKey: string;
  readonly secret: string;
  readonly password?: string;
  /** Request timeout in ms. */
  readonly timeout: number;
  readonly enableRateLimit: boolean;
}

/**
 * How the gateway should read a failed call, beyond what ccxt's error class says. `duplicate-client-id`
 * means "already placed": look it up. `status-unknown` means the order may or may not exist (Binance
 * -1006/-1007, a Phemex 5xx). `timestamp` means our clock is off the exchange's: resync, then retry.
 */
export type ExchangeSpecificClass = 'duplicate-client-id' | 'status-unknown' | 'timestamp' | 'not-found';

export interface ClientOrderIdRule {
  readonly maxLength: number;
  /** The whole id must match. */
  readonly pattern: RegExp;
}

export interface ExchangeProfile {
  readonly id: ExchangeId;
  readonly clientOrderIdRule: ClientOrderIdRule;
  /** The ccxt client for one account, in live or demo mode (setSandboxMode / enableDemoTrading). */
  createClient(mode: AccountMode, options: CcxtClientOptions): CcxtExchange;
  /**
   * Whom the exchange's request limits count: the egress IP every account shares (Binance, Bybit),
   * or each API key (Phemex, Kraken Futures). Default 'ip'.
   */
  readonly rateLimitScope?: 'ip' | 'account';
  /** Market types whose markets the gateway loads, e.g. ['spot', 'swap']. */
  readonly marketKinds: readonly ('spot' | 'swap')[];
  /** Params for ccxt's createOrder that carry our client id, reduce-only and the like. */
  createParams(request: OrderRequest, market: CcxtMarket): Record<string, unknown>;
  /** ccxt fetchBalance params per wallet; the gateway tags each result with the wallet's kind. */
  readonly balanceScopes: readonly {
    readonly wallet: 'spot' | 'swap';
    readonly params: Record<string, unknown>;
  }[];
  /** The order with this exchange id, or null when the exchange has none. */
  findById(client: CcxtExchange, market: CcxtMarket, orderId: string): Promise<CcxtOrder | null>;
  /**
   * The order with this client id, open or closed, or null when the exchange has none. `notBefore`
   * (epoch ms), when known, bounds how far back a history-reading lookup must go.
   */
  findByClientId(
    client: CcxtExchange,
    market: CcxtMarket,
    clientOrderId: string,
    notBefore?: number,
  ): Promise<CcxtOrder | null>;
  /** Cancels by client id; the profile may look the exchange id up first. */
  cancelByClientId(client: CcxtExchange, market: CcxtMarket, clientOrderId: string): Promise<void>;
  /**
   * Exchange error codes the ccxt class alone gets wrong or does not tell apart (a taxonomy kind or
   * one of the order-specific readings); undefined = let the ccxt class decide.
   */
  classify(error: unknown): ExchangeSpecificClass | ExchangeErrorKind | undefined;
  /** After a timestamp error: bring the client's clock offset in line with the exchange's. */
  syncClock(client: CcxtExchange): Promise<void>;
  keyPermissions(client: CcxtExchange): Promise<KeyPermissions>;
  setLeverage(
    client: CcxtExchange,
    market: CcxtMarket,
    leverage: number,
    marginMode: MarginMode,
  ): Promise<void>;
}
