// The paper matching engine's public vocabulary: the price feed it consumes, the orders it takes,
// the fills it emits and the coded error values it refuses with. The rules live in engine.ts.
import type { ExchangeTrade, OhlcvBar } from '../../ports/exchange-gateway.js';
import type { DecimalString } from '../money/decimal.js';
import type { PathBias } from './intra-candle-path.js';
import type { MarketRules, OrderSide, PaperFeeModel } from './matching.js';

/** One OHLCV bar; `volume` is in base units. Times are epoch milliseconds of the bar's open. */
export type Candle = OhlcvBar;

/** A single trade print; without `volume` the participation cap does not apply to it. */
export interface Tick {
  readonly at: number;
  readonly price: DecimalString;
  readonly volume?: DecimalString;
}

/** A tradable pair as the engine knows it; `priceTick`, when given, is enforced on order prices. */
export interface PaperMarket {
  readonly symbol: string;
  readonly base: string;
  readonly quote: string;
  readonly rules: MarketRules;
  readonly priceTick?: DecimalString;
}

export interface PaperEngineConfig {
  readonly markets: readonly PaperMarket[];
  readonly fees: PaperFeeModel;
  /** Starting free balances per currency. */
  readonly balances?: Readonly<Record<string, DecimalString>>;
  /**
   * Share of a bar's volume our resting limit orders may take per bar (default "0.1"); `null`
   * removes the cap (every touched limit fills in full).
   */
  readonly participationRate?: DecimalString | null;
  /** Order ids are `${orderIdPrefix}${n}` (default "paper-"). */
  readonly orderIdPrefix?: string;
  /** Time stamped on orders placed before a symbol's first bar (default 0). */
  readonly startTime?: number;
  /** How many of the last candles per symbol to keep for candles() (default 0: a backtest keeps none). */
  readonly keepCandles?: number;
}

export type PaperOrderType = 'market' | 'limit' | 'stop-market' | 'take-profit-market';

export interface PaperOrderRequest {
  readonly symbol: string;
  readonly side: OrderSide;
  readonly type: PaperOrderType;
  /** Unique per account: placing the same id again returns the first order, never a second one. */
  readonly clientOrderId: string;
  /** Base amount; floored to the market's amount step. */
  readonly amount?: DecimalString;
  /** Market orders only: size in quote instead of `amount`. */
  readonly quoteAmount?: DecimalString;
  /** Limit price (limit orders). */
  readonly price?: DecimalString;
  /** Trigger price (stop-market and take-profit-market orders). */
  readonly triggerPrice?: DecimalString;
  /** Resting orders sharing a group are one-cancels-other: the first fill cancels the rest. */
  readonly ocoGroup?: string;
}

export type PaperOrderStatus = 'open' | 'filled' | 'cancelled' | 'rejected';

/** One fill, shaped as the gateway's ExchangeTrade plus who it belongs to. */
export interface PaperTrade extends ExchangeTrade {
  readonly orderId: string;
  readonly clientOrderId: string;
  readonly symbol: string;
  readonly side: OrderSide;
  readonly orderType: PaperOrderType;
  readonly liquidity: 'maker' | 'taker';
  /** Epoch ms of `at`, for backtesters that work in numbers. */
  readonly time: number;
  /** The order's status right after this fill. */
  readonly orderStatus: PaperOrderStatus;
}

/** A snapshot of an order; the engine never hands out its mutable records. */
export interface PaperOrder {
  readonly orderId: string;
  readonly clientOrderId: string;
  readonly symbol: string;
  readonly side: OrderSide;
  readonly type: PaperOrderType;
  readonly status: PaperOrderStatus;
  readonly price?: DecimalString;
  readonly triggerPrice?: DecimalString;
  readonly ocoGroup?: string;
  readonly amount: DecimalString;
  readonly filled: DecimalString;
  readonly remaining: DecimalString;
  /** Σ cost of the fills, in quote. */
  readonly cost: DecimalString;
  readonly fee: DecimalString;
  readonly averagePrice?: DecimalString;
  readonly trades: readonly PaperTrade[];
  readonly createdAt: string;
  readonly updatedAt: string;
  /** Why a non-filled order closed: 'cancelled', 'oco', 'insufficient-funds'. */
  readonly closeReason?: string;
}

/** Subset of the gateway's error kinds, plus a lookup miss. */
export type PaperEngineErrorCode =
  | 'insufficient-funds'
  | 'min-notional'
  | 'invalid-order'
  | 'order-not-found';

export interface PaperEngineError {
  readonly code: PaperEngineErrorCode;
  readonly message: string;
}

export type PaperResult<T> =
  | { readonly ok: true; readonly value: T }
  | { readonly ok: false; readonly error: PaperEngineError };

export interface PaperPlacement {
  readonly order: PaperOrder;
  /** Fills caused by the placement itself (market orders, marketable limits). */
  readonly trades: readonly PaperTrade[];
  /** True when the client order id was known: `order` is the first order, nothing new happened. */
  readonly duplicate: boolean;
}

/** Misuse of the engine by its caller (a bug, not a market condition), e.g. an unknown feed symbol. */
export class PaperEngineUsageError extends Error {
  override readonly name = 'PaperEngineUsageError';
  constructor(
    readonly code: 'unknown-symbol' | 'time-went-backwards' | 'no-such-candle',
    message: string,
  ) {
    super(message);
  }
}

export type { PathBias };

export function refused(code: PaperEngineErrorCode, message: string): PaperResult<never> {
  return { ok: false, error: { code, message } };
}
