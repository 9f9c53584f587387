// The only way the platform talks to an exchange. The paper exchange implements it now; the ccxt
// gateways (Binance, Bybit, Phemex, Kraken Futures) implement the same interface in the gateway issue.
import type { DecimalString } from '../core/money/decimal.js';
import type { MarketRules, OrderSide } from '../core/paper/matching.js';

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

export interface Balance {
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

export interface ExchangeGateway {
  marketRules(symbol: string): Promise<MarketRules>;
  fetchTicker(symbol: string): Promise<Ticker>;
  fetchBalances(): Promise<readonly Balance[]>;
  /** Idempotent by clientOrderId: a second call with the same id returns the first order. */
  createOrder(request: OrderRequest): Promise<ExchangeOrder>;
  fetchOrderByClientId(symbol: string, clientOrderId: string): Promise<ExchangeOrder | null>;
}
