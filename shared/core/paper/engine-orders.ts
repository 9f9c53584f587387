// Orders inside the paper engine: parsing a request against its market's rules, the mutable record
// the engine keeps per order (with the float shadow of its trigger level for the per-bar touch
// test), reservations shared by one-cancels-other legs, and the snapshot handed to callers.
import type Big from 'big.js';
import { type DecimalString, dec, isDecimalString, str } from '../money/decimal.js';
import { floorAmount, type MarketNumbers, offTick, sizeProblem } from './engine-market.js';
import type {
  PaperMarket,
  PaperOrder,
  PaperOrderRequest,
  PaperOrderStatus,
  PaperOrderType,
  PaperResult,
  PaperTrade,
} from './engine-types.js';
import { refused } from './engine-types.js';
import { isoFromEpochMs } from './iso-time.js';
import type { OrderSide, PaperFeeModel } from './matching.js';

/** Funds set aside for resting orders; one-cancels-other legs share a single hold. */
export interface Hold {
  readonly currency: string;
  amount: Big;
}

export interface OcoGroup {
  readonly id: string;
  readonly symbol: string;
  readonly side: OrderSide;
  readonly legs: OrderRecord[];
  readonly hold: Hold;
}

export interface OrderRecord {
  readonly seq: number;
  readonly orderId: string;
  readonly clientOrderId: string;
  readonly market: PaperMarket;
  readonly numbers: MarketNumbers;
  readonly side: OrderSide;
  readonly type: PaperOrderType;
  readonly price: Big | null;
  readonly trigger: Big | null;
  readonly amount: Big;
  readonly amountText: DecimalString;
  filled: Big;
  cost: Big;
  fee: Big;
  status: PaperOrderStatus;
  closeReason: string | null;
  readonly createdAt: number;
  updatedAt: number;
  /** What the whole remaining amount may spend while resting (0 for orders that never rest). */
  readonly need: Big;
  hold: Hold | null;
  /** The live one-cancels-other group; null once a leg filled or for plain orders. */
  oco: OcoGroup | null;
  readonly ocoId: string | null;
  readonly trades: PaperTrade[];
  /** Touched when the price moves down to `level` (buy limit, sell stop, buy take-profit). */
  readonly down: boolean;
  /** The limit or trigger price, exact and as a float shadow for the cheap per-bar test. */
  readonly levelExact: Big;
  readonly levelText: DecimalString;
  readonly level: number;
  /** Scratch: distance along the bar's path at which the order was touched. */
  pathKey: number;
}

export interface ParsedRequest {
  readonly market: MarketNumbers;
  /** The request's own text for the amount and limit/trigger price when already canonical. */
  readonly amountText: DecimalString | null;
  readonly levelText: DecimalString | null;
  readonly side: OrderSide;
  readonly type: PaperOrderType;
  readonly amount: Big | null;
  readonly quoteAmount: Big | null;
  readonly price: Big | null;
  readonly trigger: Big | null;
  readonly ocoGroup: string | null;
}

/** Exact fee and slippage factors, built once per engine. */
export interface Pricing {
  readonly taker: Big;
  readonly maker: Big;
  /** 1 + fee rate: what a buy pays per unit of cost. */
  readonly takerGross: Big;
  readonly makerGross: Big;
  readonly slipUp: Big;
  readonly slipDown: Big;
}

export function pricingOf(fees: PaperFeeModel): Pricing {
  const slip = dec(fees.slippageBps).div(10_000);
  return {
    taker: dec(fees.takerFeeRate),
    maker: dec(fees.makerFeeRate),
    takerGross: dec(fees.takerFeeRate).plus(1),
    makerGross: dec(fees.makerFeeRate).plus(1),
    slipUp: dec(1).plus(slip),
    slipDown: dec(1).minus(slip),
  };
}

/** A taker's price: moved against it by the slippage. */
export function slipped(price: Big, side: OrderSide, pricing: Pricing): Big {
  return price.times(side === 'buy' ? pricing.slipUp : pricing.slipDown);
}

/** ISO time of an epoch ms (the engine's time comes from the bars fed in). */
export const isoAt = isoFromEpochMs;

const ZERO = dec(0);
/** Decimal text exactly as str() writes it, so it can stand in for str(dec(text)). */
const CANONICAL = /^(?:0|[1-9]\d*)(?:\.\d*[1-9])?$/;
const NUMERIC_FIELDS = ['amount', 'quoteAmount', 'price', 'triggerPrice'] as const;
const optional = (text: string | undefined): Big | null => (text === undefined ? null : dec(text));

/** Parses a request against its market: fields per type, precision, amount floored to the step. */
export function parseRequest(request: PaperOrderRequest, m: MarketNumbers): PaperResult<ParsedRequest> {
  if (request.side !== 'buy' && request.side !== 'sell')
    return refused('invalid-order', 'side must be buy or sell');
  const badField = NUMERIC_FIELDS.find((field) => {
    const text = request[field];
    return text !== undefined && !(isDecimalString(text) && !text.startsWith('-') && /[1-9]/.test(text));
  });
  if (badField) return refused('invalid-order', `${badField} must be a positive decimal`);
  const a = request.amount;
  const amount = optional(a);
  const quoteAmount = optional(request.quoteAmount);
  const price = optional(request.price);
  const trigger = optional(request.triggerPrice);
  const type = request.type;
  if (type === 'market') {
    if ((amount === null) === (quoteAmount === null)) {
      return refused('invalid-order', 'a market order needs exactly one of amount and quoteAmount');
    }
    if (request.ocoGroup !== undefined)
      return refused('invalid-order', 'a market order cannot be an OCO leg');
  } else if (type === 'limit') {
    if (price === null || amount === null) {
      return refused('invalid-order', 'a limit order needs price and amount');
    }
  } else if (type === 'stop-market' || type === 'take-profit-market') {
    if (trigger === null || amount === null) {
      return refused('invalid-order', `a ${type} order needs triggerPrice and amount`);
    }
  } else {
    return refused('invalid-order', `unsupported order type ${String(type)}`);
  }
  if (type !== 'market' && quoteAmount !== null) {
    return refused('invalid-order', 'quoteAmount is for market orders only');
  }
  const limitPrice = type === 'limit' ? price : null;
  const triggerPrice = type === 'stop-market' || type === 'take-profit-market' ? trigger : null;
  if (offTick(limitPrice, m) || offTick(triggerPrice, m)) {
    return refused('invalid-order', `price is not a multiple of the tick ${m.market.priceTick}`);
  }
  const floored = amount === null ? null : floorAmount(amount, m);
  const levelSource = type === 'limit' ? request.price : type === 'market' ? undefined : request.triggerPrice;
  const level = limitPrice ?? triggerPrice;
  if (floored !== null && level !== null) {
    const problem = sizeProblem(floored, level, m);
    if (problem) return { ok: false, error: problem };
  }
  return {
    ok: true,
    value: {
      market: m,
      amountText: floored === amount && a !== undefined && CANONICAL.test(a) ? a : null,
      levelText: levelSource !== undefined && CANONICAL.test(levelSource) ? levelSource : null,
      side: request.side,
      type,
      amount: floored,
      quoteAmount: quoteAmount,
      price: limitPrice,
      trigger: triggerPrice,
      ocoGroup: request.ocoGroup ?? null,
    },
  };
}

/** Which way the price must move to touch a resting order. */
export function touchedGoingDown(type: PaperOrderType, side: OrderSide): boolean {
  if (type === 'stop-market') return side === 'sell';
  return side === 'buy';
}

/** Funds a resting order sets aside: base for a sell; quote with its fee (and slippage) for a buy. */
export function restingNeed(parsed: ParsedRequest, amount: Big, pricing: Pricing): Big {
  if (parsed.side === 'sell') return amount;
  if (parsed.price !== null) return amount.times(parsed.price).times(pricing.makerGross);
  const trigger = parsed.trigger ?? dec(0);
  return amount.times(slipped(trigger, 'buy', pricing)).times(pricing.takerGross);
}

/** A fresh open order; `seq` also numbers its id, so ids follow placements one by one. */
export function newOrderRecord(
  seq: number,
  idPrefix: string,
  clientOrderId: string,
  p: ParsedRequest,
  amount: Big,
  time: number,
  need: Big,
): OrderRecord {
  // A market order has no level: it never rests, so it needs neither text nor float shadow.
  const level = p.price ?? p.trigger;
  const levelText = level === null ? '' : (p.levelText ?? str(level));
  return {
    seq,
    orderId: `${idPrefix}${seq}`,
    clientOrderId,
    market: p.market.market,
    numbers: p.market,
    side: p.side,
    type: p.type,
    price: p.price,
    trigger: p.trigger,
    amount,
    amountText: p.amountText !== null && amount === p.amount ? p.amountText : str(amount),
    filled: ZERO,
    cost: ZERO,
    fee: ZERO,
    status: 'open',
    closeReason: null,
    createdAt: time,
    updatedAt: time,
    need,
    hold: null,
    oco: null,
    ocoId: p.ocoGroup,
    trades: [],
    down: touchedGoingDown(p.type, p.side),
    levelExact: level ?? ZERO,
    levelText,
    level: level === null ? Number.NaN : +levelText,
    pathKey: 0,
  };
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

export function toView(o: OrderRecord): PaperOrder {
  const n = o.trades.length;
  // One fill (the usual case): the order's totals are that trade's figures, already as text.
  const only = n === 1 ? o.trades[0] : undefined;
  const view: Mutable<PaperOrder> = {
    orderId: o.orderId,
    clientOrderId: o.clientOrderId,
    symbol: o.market.symbol,
    side: o.side,
    type: o.type,
    status: o.status,
    amount: o.amountText,
    filled: n === 0 ? '0' : (only?.amount ?? str(o.filled)),
    remaining: n === 0 ? o.amountText : o.status === 'filled' ? '0' : str(o.amount.minus(o.filled)),
    cost: n === 0 ? '0' : (only?.cost ?? str(o.cost)),
    fee: n === 0 ? '0' : (only?.fee ?? str(o.fee)),
    trades: o.trades.slice(),
    createdAt: isoAt(o.createdAt),
    updatedAt: isoAt(o.updatedAt),
  };
  // Optional fields are set only when present (exactOptionalPropertyTypes), without spreads: hot enough.
  if (o.price !== null) view.price = o.levelText;
  if (o.trigger !== null) view.triggerPrice = o.levelText;
  if (o.ocoId !== null) view.ocoGroup = o.ocoId;
  if (n > 0) view.averagePrice = only?.price ?? str(o.cost.div(o.filled));
  if (o.closeReason !== null) view.closeReason = o.closeReason;
  return view;
}
