// The only way the platform talks to an exchange. Implemented by the ccxt gateways (Binance, Bybit,
// Phemex, Kraken Futures; shared/adapters/exchanges), the DynamoDB paper exchange and the pure
// paper engine's PaperGateway. One contract test suite runs against all of them.
//
// Symbols are ccxt's unified ones: "BTC/USDT" is spot, "BTC/USDT:USDT" a USDT-settled perpetual.
// Amounts are always in base units (the gateway converts to contracts where an exchange counts them).
import type { DecimalString } from '../core/money/decimal.js';
import type { MarketRules, OrderSide } from '../core/paper/matching.js';

export type MarketKind = 'spot' | 'swap';
export type MarginMode = 'isolated' | 'cross';

/** What the platform needs to know about a market before it sends an order there. */
export interface MarketInfo extends MarketRules {
  readonly symbol: string;
  readonly kind: MarketKind;
  readonly base: string;
  readonly quote: string;
  /** Smallest price increment, e.g. "0.01". */
  readonly priceStep: DecimalString;
  readonly makerFeeRate: DecimalString;
  readonly takerFeeRate: DecimalString;
}

/** One OHLCV bar; times are epoch milliseconds of the bar's open, volume in base units. */
export interface OhlcvBar {
  readonly openTime: number;
  readonly open: DecimalString;
  readonly high: DecimalString;
  readonly low: DecimalString;
  readonly close: DecimalString;
  readonly volume: DecimalString;
}

export interface Ticker {
  readonly symbol: string;
  readonly last: DecimalString;
  readonly at: string;
}

export interface OrderRequest {
  readonly symbol: string;
  readonly side: OrderSide;
  readonly type: 'market' | 'limit';
  /** Deterministic: derived from (position, step); a retry reuses it and never doubles the order. */
  readonly clientOrderId: string;
  /** Base amount; a market buy may give `quoteAmount` instead. */
  readonly amount?: DecimalString;
  readonly quoteAmount?: DecimalString;
  readonly price?: DecimalString;
  /** Futures exits: the order may only shrink the position. Ignored on spot. */
  readonly reduceOnly?: boolean;
  /**
   * Epoch ms before which no order with this client id can exist (when its position was created).
   * Lets an exchange whose lookup by client id reads history (Kraken Futures) stop there.
   */
  readonly notBefore?: number;
}

export interface ExchangeOrder {
  readonly orderId: string;
  readonly clientOrderId: string;
  readonly symbol: string;
  readonly side: OrderSide;
  readonly type: 'market' | 'limit';
  readonly status: 'open' | 'filled' | 'cancelled' | 'rejected';
  readonly price?: DecimalString;
  readonly amount: DecimalString;
  readonly filled: DecimalString;
  readonly trades: readonly ExchangeTrade[];
  readonly createdAt: string;
}

export interface ExchangeTrade {
  readonly tradeId: string;
  readonly price: DecimalString;
  readonly amount: DecimalString;
  readonly cost: DecimalString;
  readonly fee: DecimalString;
  readonly feeCurrency: string;
  readonly at: string;
}

/** A fill with the order it belongs to: what reconciliation reads after a restart or a lost reply. */
export interface ExchangeFill extends ExchangeTrade {
  readonly orderId: string;
  /** Absent when the exchange's fill report does not carry it; match on `orderId` then. */
  readonly clientOrderId?: string;
  readonly symbol: string;
  readonly side: OrderSide;
}

export interface Balance {
  /** Which wallet: exchanges such as Binance and Phemex keep spot and perpetual funds apart. */
  readonly wallet?: MarketKind;
  readonly currency: string;
  readonly free: DecimalString;
  readonly used: DecimalString;
}

/** The taxonomy every adapter maps its errors to; `retryable` tells the caller what to do. */
export type ExchangeErrorKind =
  | 'auth'
  | 'permission'
  | 'insufficient-funds'
  | 'invalid-order'
  | 'min-notional'
  | 'rate-limited'
  | 'exchange-unavailable'
  | 'network-timeout'
  | 'unknown';

export class ExchangeError extends Error {
  override readonly name = 'ExchangeError';
  constructor(
    readonly kind: ExchangeErrorKind,
    message: string,
    readonly retryAfterMs?: number,
  ) {
    super(message);
  }

  get retryable(): boolean {
    return (
      this.kind === 'rate-limited' || this.kind === 'exchange-unavailable' || this.kind === 'network-timeout'
    );
  }
}

/** How an order is named: by the exchange's id or by ours. */
export type OrderRef = { readonly orderId: string } | { readonly clientOrderId: string };

/**
 * What an API key may do, as far as the exchange tells. `'unknown'` means the exchange does not
 * report it (Phemex reports nothing: its keys are user-attested).
 */
export interface KeyPermissions {
  readonly canRead: boolean;
  readonly canTrade: boolean | 'unknown';
  readonly canWithdraw: boolean | 'unknown';
  /** Internal or universal transfers out of the trading account (Binance reports them). */
  readonly canTransfer: boolean | 'unknown';
  readonly ipRestricted: boolean | 'unknown';
  readonly ips: readonly string[];
}

export interface ExchangeGateway {
  loadMarkets(): Promise<readonly MarketInfo[]>;
  marketRules(symbol: string): Promise<MarketRules>;
  fetchTicker(symbol: string): Promise<Ticker>;
  /** Bars oldest first; the last one may still be open. */
  fetchOhlcv(symbol: string, timeframe: string, since?: number, limit?: number): Promise<readonly OhlcvBar[]>;
  fetchBalances(): Promise<readonly Balance[]>;
  /**
   * Idempotent by clientOrderId: the order is looked up by that id before anything is sent, and
   * again after any reply that leaves its fate unknown; a second call returns the first order.
   */
  createOrder(request: OrderRequest): Promise<ExchangeOrder>;
  fetchOrderByClientId(symbol: string, clientOrderId: string): Promise<ExchangeOrder | null>;
  fetchOrder(symbol: string, ref: OrderRef): Promise<ExchangeOrder | null>;
  /** The order after cancelling; null when the exchange has no such order. An order already filled is returned as it is. */
  cancelOrder(symbol: string, ref: OrderRef): Promise<ExchangeOrder | null>;
  fetchOpenOrders(symbol: string): Promise<readonly ExchangeOrder[]>;
  /** The account's fills on `symbol` at or after `since` (epoch ms), oldest first. */
  fetchFillsSince(symbol: string, since: number): Promise<readonly ExchangeFill[]>;
  /** Futures only: the leverage and margin mode new orders on `symbol` use. */
  setLeverage(symbol: string, leverage: number, marginMode: MarginMode): Promise<void>;
  keyPermissions(): Promise<KeyPermissions>;
}
