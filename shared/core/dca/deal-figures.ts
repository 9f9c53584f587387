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
  /** Base the entries brought into the position: net of fees charged in base. */
  readonly entryAmount: Big;
  /** What entryAmount cost at the fill prices (a base fee's value is an entry fee instead). */
  readonly entryCost: Big;
  /** Base the exits took out of the position (a base fee on an exit included). */
  readonly exitAmount: Big;
  /** Base amount still held: entries minus exits. */
  readonly openAmount: Big;
  /** What the open amount cost, at the running average. */
  readonly openCost: Big;
  /** The entry fees the open amount still carries (an exit takes its share into realized PnL). */
  readonly openEntryFees: Big;
  /** Net of exit fees and of the closed share's entry fees. */
  readonly realizedPnl: Big;
  /** In quote; a fee charged in base is valued at its fill's price. */
  readonly fees: Big;
  /** Quote received minus quote paid, quote fees included (a long's buys are negative). */
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
    const price = dec(fill.price);
    // A fee charged in base changes the base the position holds by the fee (a long holds less, a
    // short owes more) and is valued at the fill's price in quote.
    const baseFee = fill.feeCurrency === 'base' ? dec(fill.fee) : ZERO;
    const fee = fill.feeCurrency === 'base' ? baseFee.times(price) : dec(fill.fee);
    const quoteFee = fill.feeCurrency === 'base' ? ZERO : fee;
    const baseFeeValue = fee.minus(quoteFee);
    fees = fees.plus(fee);
    lastFillPrice = price;
    if (fill.side === entrySide) {
      // What the position gained: the amount less (long) or plus (short) the base fee, at the
      // fill's price; the fee's value goes to the entry fees, so cost + fees still match the cash.
      const held = amount.minus(baseFee.times(direction));
      entryAmount = entryAmount.plus(held);
      entryCost = entryCost.plus(cost.minus(baseFeeValue.times(direction)));
      openAmount = openAmount.plus(held);
      openCost = openCost.plus(cost.minus(baseFeeValue.times(direction)));
      openEntryFees = openEntryFees.plus(fee);
      flow = flow.minus(cost.times(direction)).minus(quoteFee);
      if (fill.kind === 'base') {
        baseAmount = baseAmount.plus(amount);
        baseQuote = baseQuote.plus(cost);
      }
      continue;
    }
    // An exit also gives up (long) or covers less (short) by its base fee: the position shrinks by
    // `gone`, and the fee's base is booked as sold at the fill's price and paid as the fee.
    const gone = amount.plus(baseFee.times(direction));
    const proceeds = cost.plus(baseFeeValue.times(direction));
    // An exit beyond what is open (a race the reducer never asks for) realizes against nothing.
    const basis = openAmount.gt(0) ? openCost.times(gone).div(openAmount) : ZERO;
    const feeShare = openAmount.gt(0) ? openEntryFees.times(gone).div(openAmount) : ZERO;
    realized = realized.plus(proceeds.minus(basis).times(direction)).minus(feeShare).minus(fee);
    exitAmount = exitAmount.plus(gone);
    openAmount = openAmount.minus(gone);
    openCost = openCost.minus(basis);
    openEntryFees = openEntryFees.minus(feeShare);
    flow = flow.plus(cost.times(direction)).minus(quoteFee);
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
