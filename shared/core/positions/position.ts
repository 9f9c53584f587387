// A position as a state machine over an append-only event list. Amount, average entry and fees are
// derived from fills, never stored twice. The full DCA engine (safety orders, progressive take-profit,
// auto-stop) builds on this; the walking skeleton uses a base order and one take-profit.
import { type DecimalString, dec, str } from '../money/decimal.js';
import type { PaperFill } from '../paper/matching.js';

export type PositionStatus = 'planned' | 'opening' | 'open' | 'closing' | 'closed' | 'cancelled' | 'failed';

/** The one transition table: a move it does not list is refused. */
const TRANSITIONS: Readonly<Record<PositionStatus, readonly PositionStatus[]>> = {
  planned: ['opening', 'cancelled', 'failed'],
  opening: ['open', 'cancelled', 'failed'],
  open: ['closing', 'closed'],
  closing: ['open', 'closed'],
  closed: [],
  cancelled: [],
  failed: [],
};

export const TERMINAL_STATUSES: readonly PositionStatus[] = ['closed', 'cancelled', 'failed'];

export interface Fill extends Omit<PaperFill, 'feeCurrency'> {
  /**
   * What the fee was charged in: the quote, or the base asset (Binance and Bybit take a spot buy's
   * fee from the coin bought, so less is held than was bought).
   */
  readonly feeCurrency: 'quote' | 'base';
  /** The exchange's trade id: a fill seen twice is applied once. */
  readonly tradeId: string;
  readonly clientOrderId: string;
  readonly side: 'buy' | 'sell';
  readonly at: string;
}

export interface OrderRef {
  readonly clientOrderId: string;
  readonly kind: 'base' | 'take-profit';
  readonly side: 'buy' | 'sell';
  readonly type: 'market' | 'limit';
  readonly price?: DecimalString;
  readonly amount?: DecimalString;
  readonly quoteAmount?: DecimalString;
  readonly status: 'placing' | 'open' | 'filled' | 'cancelled' | 'rejected';
}

export type PositionEvent =
  | { readonly type: 'PositionPlanned'; readonly at: string }
  | { readonly type: 'OrderPlaced'; readonly at: string; readonly clientOrderId: string }
  | {
      readonly type: 'OrderFilled';
      readonly at: string;
      readonly clientOrderId: string;
      readonly tradeId: string;
    }
  | {
      readonly type: 'OrderRejected';
      readonly at: string;
      readonly clientOrderId: string;
      readonly reason: string;
    }
  | {
      readonly type: 'StatusChanged';
      readonly at: string;
      readonly from: PositionStatus;
      readonly to: PositionStatus;
    };

export interface Position {
  readonly positionId: string;
  readonly userId: string;
  readonly accountId: string;
  readonly signalKey: string;
  readonly symbol: string;
  readonly side: 'long' | 'short';
  readonly status: PositionStatus;
  readonly quoteAmount: DecimalString;
  readonly takeProfitPrice: DecimalString;
  readonly stopLossPrice?: DecimalString;
  readonly orders: readonly OrderRef[];
  readonly fills: readonly Fill[];
  readonly events: readonly PositionEvent[];
  readonly createdAt: string;
  readonly updatedAt: string;
  /** Optimistic-locking version: every stored change is conditional on it. */
  readonly version: number;
}

export class IllegalTransition extends Error {
  override readonly name = 'IllegalTransition';
}

export function canTransition(from: PositionStatus, to: PositionStatus): boolean {
  return TRANSITIONS[from].includes(to);
}

export function transition(position: Position, to: PositionStatus, at: string): Position {
  if (!canTransition(position.status, to)) {
    throw new IllegalTransition(`position ${position.positionId}: ${position.status} → ${to} is not allowed`);
  }
  return {
    ...position,
    status: to,
    updatedAt: at,
    events: [...position.events, { type: 'StatusChanged', at, from: position.status, to }],
  };
}

export function planPosition(input: {
  readonly positionId: string;
  readonly userId: string;
  readonly accountId: string;
  readonly signalKey: string;
  readonly symbol: string;
  readonly side: 'long' | 'short';
  readonly quoteAmount: DecimalString;
  readonly takeProfitPrice: DecimalString;
  readonly stopLossPrice?: DecimalString | undefined;
  readonly at: string;
}): Position {
  const { stopLossPrice, at, ...rest } = input;
  return {
    ...rest,
    ...(stopLossPrice === undefined ? {} : { stopLossPrice }),
    status: 'planned',
    orders: [],
    fills: [],
    events: [{ type: 'PositionPlanned', at }],
    createdAt: at,
    updatedAt: at,
    version: 0,
  };
}

export function recordOrderPlaced(position: Position, order: OrderRef, at: string): Position {
  if (position.orders.some((o) => o.clientOrderId === order.clientOrderId)) return position;
  return {
    ...position,
    orders: [...position.orders, order],
    updatedAt: at,
    events: [...position.events, { type: 'OrderPlaced', at, clientOrderId: order.clientOrderId }],
  };
}

/** Applies a fill once (deduplicated by trade id) and marks its order filled. */
export function recordFill(position: Position, fill: Fill): Position {
  if (position.fills.some((f) => f.tradeId === fill.tradeId)) return position;
  return {
    ...position,
    fills: [...position.fills, fill],
    orders: position.orders.map((o) =>
      o.clientOrderId === fill.clientOrderId ? { ...o, status: 'filled' } : o,
    ),
    updatedAt: fill.at,
    events: [
      ...position.events,
      { type: 'OrderFilled', at: fill.at, clientOrderId: fill.clientOrderId, tradeId: fill.tradeId },
    ],
  };
}

export interface PositionFigures {
  /** Base amount still held (entries minus exits). */
  readonly openAmount: DecimalString;
  readonly averageEntry: DecimalString | null;
  readonly fees: DecimalString;
  readonly realizedPnl: DecimalString;
}

/**
 * Derives amount, average entry, fees and realized PnL from the fills. A fee taken in the base asset
 * shrinks what is held and is counted in quote at its fill's price, so the PnL of a position closed
 * in full is what was received minus what was paid, whatever the fee currency.
 */
export function positionFigures(position: Position): PositionFigures {
  const entrySide = position.side === 'long' ? 'buy' : 'sell';
  let entryBought = dec(0);
  let entryAmount = dec(0);
  let entryCost = dec(0);
  let entryFees = dec(0);
  let exitAmount = dec(0);
  let exitCost = dec(0);
  let exitFees = dec(0);
  // A base fee on an exit leaves as base (the cost basis covers it); reported, not charged twice.
  let exitBaseFeeValue = dec(0);
  for (const f of position.fills) {
    const baseFee = f.feeCurrency === 'base' ? dec(f.fee) : dec(0);
    const feeInQuote = f.feeCurrency === 'base' ? dec(f.fee).times(f.price) : dec(f.fee);
    if (f.side === entrySide) {
      entryBought = entryBought.plus(f.amount);
      entryAmount = entryAmount.plus(f.amount).minus(baseFee);
      entryCost = entryCost.plus(f.cost);
      entryFees = entryFees.plus(feeInQuote);
    } else {
      exitAmount = exitAmount.plus(f.amount).plus(baseFee);
      exitCost = exitCost.plus(f.cost);
      if (f.feeCurrency === 'base') exitBaseFeeValue = exitBaseFeeValue.plus(feeInQuote);
      else exitFees = exitFees.plus(feeInQuote);
    }
  }
  if (entryAmount.lte(0)) {
    return { openAmount: '0', averageEntry: null, fees: str(exitFees), realizedPnl: str(exitFees.neg()) };
  }
  const average = entryCost.div(entryBought);
  const direction = position.side === 'long' ? 1 : -1;
  const gross = exitCost.minus(average.times(exitAmount)).times(direction);
  // The closed share carries its part of the entry fees; the rest stays with the open amount.
  const closedEntryFees = entryFees.times(exitAmount).div(entryAmount);
  return {
    openAmount: str(entryAmount.minus(exitAmount)),
    averageEntry: str(average.round(12)),
    fees: str(entryFees.plus(exitFees).plus(exitBaseFeeValue)),
    realizedPnl: str(gross.minus(exitFees).minus(closedEntryFees).round(12)),
  };
}
