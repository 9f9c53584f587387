// A deal's numbers, derived from its fills in the order they happened (never stored twice).
// Average-cost accounting: each exit realizes against the running average of what is open then,
// so fills that interleave (a safety order filling between two targets) are priced right. The
// only division is an exit's share of the open cost, and what it takes from the open cost is what
// it realizes, so realized + open cost + open entry fees reconcile with the cash flow exactly.
import type Big from 'big.js';
import { type DecimalString, dec, str } from '../money/decimal.js';
import type { Deal, DealFill } from './deal-state.js';
import type { DealCloseReason, DealStatus } from './deal-types.js';

const ZERO = dec(0);

export interface DealLedger {
  readonly entryAmount: Big;
  readonly entryCost: Big;
  readonly exitAmount: Big;
  /** Base amount still held: entries minus exits. */
  readonly openAmount: Big;
  /** What the open amount cost, at the running average. */
  readonly openCost: Big;
  /** The entry fees the open amount still carries (an exit takes its share into realized PnL). */
  readonly openEntryFees: Big;
  /** Net of exit fees and of the closed share's entry fees. */
  readonly realizedPnl: Big;
  readonly fees: Big;
  /** Quote received minus quote paid, fees included (a long's buys are negative). */
  readonly netQuoteFlow: Big;
  /** The base order's average fill price and cost; undefined before its first fill. */
  readonly basePrice: Big | undefined;
  readonly baseQuote: Big;
  readonly lastFillPrice: Big | undefined;
}

/** Replays the fills; `side` decides which fills enter (long: buys) and which exit. */
export function dealLedger(fills: readonly DealFill[], side: 'long' | 'short'): DealLedger {
  const entrySide = side === 'long' ? 'buy' : 'sell';
  const direction = side === 'long' ? 1 : -1;
  let entryAmount = ZERO;
  let entryCost = ZERO;
  let exitAmount = ZERO;
  let openAmount = ZERO;
  let openCost = ZERO;
  let openEntryFees = ZERO;
  let realized = ZERO;
  let fees = ZERO;
  let flow = ZERO;
  let baseAmount = ZERO;
  let baseQuote = ZERO;
  let lastFillPrice: Big | undefined;
  for (const fill of fills) {
    const amount = dec(fill.amount);
    const cost = dec(fill.cost);
    const fee = dec(fill.fee);
    fees = fees.plus(fee);
    lastFillPrice = dec(fill.price);
    if (fill.side === entrySide) {
      entryAmount = entryAmount.plus(amount);
      entryCost = entryCost.plus(cost);
      openAmount = openAmount.plus(amount);
      openCost = openCost.plus(cost);
      openEntryFees = openEntryFees.plus(fee);
      flow = flow.minus(cost.times(direction)).minus(fee);
      if (fill.kind === 'base') {
        baseAmount = baseAmount.plus(amount);
        baseQuote = baseQuote.plus(cost);
      }
      continue;
    }
    // An exit beyond what is open (a race the reducer never asks for) realizes against nothing.
    const basis = openAmount.gt(0) ? openCost.times(amount).div(openAmount) : ZERO;
    const feeShare = openAmount.gt(0) ? openEntryFees.times(amount).div(openAmount) : ZERO;
    realized = realized.plus(cost.minus(basis).times(direction)).minus(feeShare).minus(fee);
    exitAmount = exitAmount.plus(amount);
    openAmount = openAmount.minus(amount);
    openCost = openCost.minus(basis);
    openEntryFees = openEntryFees.minus(feeShare);
    flow = flow.plus(cost.times(direction)).minus(fee);
  }
  return {
    entryAmount,
    entryCost,
    exitAmount,
    openAmount,
    openCost,
    openEntryFees,
    realizedPnl: realized,
    fees,
    netQuoteFlow: flow,
    basePrice: baseAmount.gt(0) ? baseQuote.div(baseAmount) : undefined,
    baseQuote,
    lastFillPrice,
  };
}

/** The running average of the open amount; undefined when nothing is open. */
export function openAverage(ledger: DealLedger): Big | undefined {
  return ledger.openAmount.gt(0) ? ledger.openCost.div(ledger.openAmount) : undefined;
}

export interface DealFigures {
  readonly status: DealStatus;
  /** The open amount's average entry; once flat, the average of every entry. Null before a fill. */
  readonly averageEntry: DecimalString | null;
  readonly openAmount: DecimalString;
  /** The open amount valued at its average cost. */
  readonly openCost: DecimalString;
  readonly openEntryFees: DecimalString;
  /** Exact: realizedPnl − direction × openCost − openEntryFees = netQuoteFlow (direction: long 1, short −1). */
  readonly realizedPnl: DecimalString;
  readonly netQuoteFlow: DecimalString;
  readonly fees: DecimalString;
  readonly entryAmount: DecimalString;
  readonly exitAmount: DecimalString;
  readonly safetyOrdersFilled: number;
  readonly closeReason?: DealCloseReason;
  readonly dust?: DecimalString;
  readonly openedAt: number;
  readonly closedAt?: number;
}

export function dealFigures(deal: Deal): DealFigures {
  const side = deal.config.params.side;
  const raw = dealLedger(deal.fills, side);
  const ledger = bookDust(raw, deal, side);
  const average =
    openAverage(raw) ?? (raw.entryAmount.gt(0) ? raw.entryCost.div(raw.entryAmount) : undefined);
  const safetyOrdersFilled = Object.values(deal.orders).filter(
    (o) => o.order.kind === 'safety' && o.status === 'filled',
  ).length;
  return {
    status: deal.status,
    averageEntry: average === undefined ? null : str(average.round(12)),
    openAmount: str(ledger.openAmount),
    openCost: str(ledger.openCost),
    openEntryFees: str(ledger.openEntryFees),
    realizedPnl: str(ledger.realizedPnl),
    netQuoteFlow: str(ledger.netQuoteFlow),
    fees: str(ledger.fees),
    entryAmount: str(ledger.entryAmount),
    exitAmount: str(ledger.exitAmount),
    safetyOrdersFilled,
    ...(deal.closeReason === undefined ? {} : { closeReason: deal.closeReason }),
    ...(deal.dust === undefined ? {} : { dust: deal.dust }),
    openedAt: deal.openedAt,
    ...(deal.closedAt === undefined ? {} : { closedAt: deal.closedAt }),
  };
}

/**
 * A closed deal's dust is booked as a loss of its cost: it leaves the open cost (and its entry
 * fees) for realized PnL, valued at nothing. The amount stays reported (openAmount, Deal.dust); an
 * account that still holds it values it separately (the backtester marks it at each close).
 * realizedPnl − direction × openCost − openEntryFees = netQuoteFlow still holds exactly.
 */
function bookDust(ledger: DealLedger, deal: Deal, side: 'long' | 'short'): DealLedger {
  if (deal.dust === undefined || deal.status !== 'closed') return ledger;
  if (ledger.openCost.eq(0) && ledger.openEntryFees.eq(0)) return ledger;
  const direction = side === 'long' ? 1 : -1;
  return {
    ...ledger,
    realizedPnl: ledger.realizedPnl.minus(ledger.openCost.times(direction)).minus(ledger.openEntryFees),
    openCost: ZERO,
    openEntryFees: ZERO,
  };
}
