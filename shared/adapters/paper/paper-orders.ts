// The DynamoDB paper exchange's order rules, without I/O: its markets (Binance-like steps, 5 USDT
// minimum notional), how an order is sized and filled on placement or set aside to rest, and how
// a resting order's fill or cancellation moves the balances. Fills follow the core's matching
// rules: takers at the market moved by slippage (capped by their limit), resting limits at their
// limit with the maker fee, fees in quote.
import type Big from 'big.js';
import {
  type DecimalString,
  dec,
  floorToStep,
  isDecimalString,
  roundToTick,
  str,
} from '../../core/money/decimal.js';
import {
  fillMarketOrder,
  type PaperFeeModel,
  type PaperFill,
  PaperOrderRejected,
} from '../../core/paper/matching.js';
import {
  ExchangeError,
  type ExchangeOrder,
  type MarketInfo,
  type OrderRequest,
} from '../../ports/exchange-gateway.js';

export const PAPER_FEES: PaperFeeModel = { takerFeeRate: '0.001', makerFeeRate: '0.001', slippageBps: 5 };

/** Binance-like steps for the replayed pairs; anything else gets a conservative default. */
const AMOUNT_STEPS: Record<string, DecimalString> = { BTC: '0.00001', ETH: '0.0001', SOL: '0.001' };
/** What demo accounts trade where no replay data ships (the cloud): priced from public candles. */
export const PAPER_PUBLIC_SYMBOLS: readonly string[] = Object.keys(AMOUNT_STEPS).map(
  (base) => `${base}/USDT`,
);
const PRICE_STEPS: Record<string, DecimalString> = { BTC: '0.01', ETH: '0.01', SOL: '0.01' };
/** Unknown pairs take prices to 8 places: finer than any replayed data. */
const DEFAULT_PRICE_STEP = '0.00000001';

export type BalanceBook = Record<string, { free: DecimalString; used: DecimalString }>;

/** What a resting order set aside: base for a sell, quote with the maker fee for a buy. */
export interface Reserve {
  readonly currency: string;
  readonly amount: DecimalString;
}

export interface Placement {
  readonly order: ExchangeOrder;
  /** Set when the order rests; null when it filled on placement. */
  readonly reserved: Reserve | null;
}

export function splitSymbol(symbol: string): [string, string] {
  const [base, quote, ...rest] = symbol.split('/');
  if (!base || !quote || rest.length > 0 || quote.includes(':')) {
    throw new ExchangeError('invalid-order', `Unknown symbol ${symbol}: paper accounts trade spot only`);
  }
  return [base, quote];
}

export function paperMarketInfo(symbol: string): MarketInfo {
  const [base, quote] = splitSymbol(symbol);
  const step = AMOUNT_STEPS[base] ?? '0.01';
  return {
    symbol,
    kind: 'spot',
    base,
    quote,
    amountStep: step,
    minAmount: step,
    minNotional: '5',
    priceStep: PRICE_STEPS[base] ?? DEFAULT_PRICE_STEP,
    makerFeeRate: PAPER_FEES.makerFeeRate,
    takerFeeRate: PAPER_FEES.takerFeeRate,
  };
}

/** The paper exchange names an order after its client id, so either id finds the same item. */
export const paperOrderId = (clientOrderId: string) => `paper-${clientOrderId}`;
export function clientIdOfOrderId(orderId: string): string | null {
  return orderId.startsWith('paper-') ? orderId.slice('paper-'.length) : null;
}

function adjust(book: BalanceBook, currency: string, field: 'free' | 'used', delta: Big): void {
  const current = book[currency] ?? { free: '0', used: '0' };
  book[currency] = { ...current, [field]: str(dec(current[field]).plus(delta)) };
}

const freeOf = (book: BalanceBook, currency: string) => dec(book[currency]?.free ?? '0');

function positive(text: string | undefined, field: string): Big | null {
  if (text === undefined) return null;
  if (!isDecimalString(text) || !dec(text).gt(0)) {
    throw new ExchangeError('invalid-order', `${field} must be a positive decimal`);
  }
  return dec(text);
}

function fillAt(price: Big, amount: Big, feeRate: DecimalString): PaperFill {
  const cost = price.times(amount);
  return {
    price: str(price),
    amount: str(amount),
    cost: str(cost),
    fee: str(cost.times(feeRate)),
    feeCurrency: 'quote',
  };
}

/**
 * A fill's cost and fee leave one side of the book and its amount (or proceeds) enter the other.
 * `check`: refuse when the free funds cannot pay (a resting order's fill was paid for by its reserve).
 */
function book(
  fill: PaperFill,
  side: 'buy' | 'sell',
  market: MarketInfo,
  balances: BalanceBook,
  check = true,
): void {
  const cost = dec(fill.cost);
  const fee = dec(fill.fee);
  if (side === 'buy') {
    if (check && freeOf(balances, market.quote).lt(cost.plus(fee))) {
      throw new ExchangeError(
        'insufficient-funds',
        `not enough ${market.quote}: need ${str(cost.plus(fee))}`,
      );
    }
    adjust(balances, market.quote, 'free', cost.plus(fee).neg());
    adjust(balances, market.base, 'free', dec(fill.amount));
  } else {
    if (check && freeOf(balances, market.base).lt(fill.amount)) {
      throw new ExchangeError('insufficient-funds', `not enough ${market.base} to sell ${fill.amount}`);
    }
    adjust(balances, market.base, 'free', dec(fill.amount).neg());
    adjust(balances, market.quote, 'free', cost.minus(fee));
  }
}

function withTrade(order: ExchangeOrder, fill: PaperFill, quote: string, at: string): ExchangeOrder {
  const trade = { tradeId: `${order.orderId}-${order.trades.length + 1}`, ...fill, feeCurrency: quote, at };
  return { ...order, status: 'filled', filled: fill.amount, trades: [...order.trades, trade] };
}

/**
 * The order as placed against `last` (the market's last trade), with `balances` (mutated) moved
 * accordingly: market orders and marketable limits fill at once as takers, other limits rest and
 * reserve what they may spend. Throws the ExchangeError an exchange would refuse it with.
 */
export function placeOrder(
  request: OrderRequest,
  market: MarketInfo,
  last: DecimalString,
  balances: BalanceBook,
  now: string,
): Placement {
  const amount = positive(request.amount, 'amount');
  const quoteAmount = positive(request.quoteAmount, 'quoteAmount');
  const requestedPrice = positive(request.price, 'price');
  const base = {
    orderId: paperOrderId(request.clientOrderId),
    clientOrderId: request.clientOrderId,
    symbol: request.symbol,
    side: request.side,
    type: request.type,
    status: 'open',
    filled: '0',
    trades: [],
    createdAt: now,
  } as const;
  const rules = {
    amountStep: market.amountStep,
    minAmount: market.minAmount,
    minNotional: market.minNotional,
  };
  if (request.type === 'market') {
    if ((amount === null) === (quoteAmount === null)) {
      throw new ExchangeError('invalid-order', 'a market order needs exactly one of amount and quoteAmount');
    }
    const size = quoteAmount === null ? { base: str(amount ?? dec(0)) } : { quote: str(quoteAmount) };
    const fill = sized(() =>
      fillMarketOrder({ side: request.side, size, marketPrice: last, rules, fees: PAPER_FEES }),
    );
    book(fill, request.side, market, balances);
    return {
      order: withTrade({ ...base, price: fill.price, amount: fill.amount }, fill, market.quote, now),
      reserved: null,
    };
  }
  if (requestedPrice === null || amount === null || quoteAmount !== null) {
    throw new ExchangeError('invalid-order', 'a limit order needs price and amount');
  }
  // Rounded the exchange's way: the amount down to its step, the price to the nearest tick.
  const price = roundToTick(requestedPrice, market.priceStep);
  const size = floorToStep(amount, market.amountStep);
  if (size.lt(market.minAmount) || !size.gt(0) || size.times(price).lt(market.minNotional)) {
    throw new ExchangeError(
      'min-notional',
      `order value ${str(size.times(price))} (amount ${str(size)}) is below the minimum ${market.minNotional} ${market.quote} / ${market.minAmount}`,
    );
  }
  const order: ExchangeOrder = { ...base, price: str(price), amount: str(size) };
  const marketable = request.side === 'buy' ? dec(last).lte(price) : dec(last).gte(price);
  if (marketable) {
    // A taker, like a market order (the market moved against it by the slippage), never beyond its limit.
    const slip = dec(PAPER_FEES.slippageBps).div(10_000);
    const slipped = dec(last).times(request.side === 'buy' ? slip.plus(1) : dec(1).minus(slip));
    const worse = request.side === 'buy' ? slipped.gt(price) : slipped.lt(price);
    const fill = fillAt(worse ? price : slipped, size, PAPER_FEES.takerFeeRate);
    book(fill, request.side, market, balances);
    return { order: withTrade(order, fill, market.quote, now), reserved: null };
  }
  const reserved: Reserve =
    request.side === 'sell'
      ? { currency: market.base, amount: str(size) }
      : {
          currency: market.quote,
          amount: str(size.times(price).times(dec(PAPER_FEES.makerFeeRate).plus(1))),
        };
  if (freeOf(balances, reserved.currency).lt(reserved.amount)) {
    throw new ExchangeError('insufficient-funds', `not enough ${reserved.currency}: need ${reserved.amount}`);
  }
  adjust(balances, reserved.currency, 'free', dec(reserved.amount).neg());
  adjust(balances, reserved.currency, 'used', dec(reserved.amount));
  return { order, reserved };
}

/** Orders stored before reservations were recorded held amount × price (buy) or the amount (sell). */
export function reserveOf(order: ExchangeOrder, market: MarketInfo, reserved: Reserve | undefined): Reserve {
  if (reserved) return reserved;
  return order.side === 'sell'
    ? { currency: market.base, amount: order.amount }
    : { currency: market.quote, amount: str(dec(order.amount).times(order.price ?? '0')) };
}

function release(balances: BalanceBook, reserved: Reserve): void {
  adjust(balances, reserved.currency, 'used', dec(reserved.amount).neg());
  adjust(balances, reserved.currency, 'free', dec(reserved.amount));
}

/** A resting limit the market reached: filled in full at its limit with the maker fee, paid from its reserve. */
export function fillResting(
  order: ExchangeOrder,
  reserved: Reserve,
  market: MarketInfo,
  balances: BalanceBook,
  now: string,
): ExchangeOrder {
  const fill = fillAt(dec(order.price ?? '0'), dec(order.amount), PAPER_FEES.makerFeeRate);
  release(balances, reserved);
  book(fill, order.side, market, balances, false);
  return withTrade(order, fill, market.quote, now);
}

export function cancelResting(order: ExchangeOrder, reserved: Reserve, balances: BalanceBook): ExchangeOrder {
  release(balances, reserved);
  return { ...order, status: 'cancelled' };
}

/** The core's matching refuses undersized orders with its own error; the port calls it min-notional. */
function sized(fill: () => PaperFill): PaperFill {
  try {
    return fill();
  } catch (error) {
    if (error instanceof PaperOrderRejected) throw new ExchangeError('min-notional', error.message);
    throw error;
  }
}
