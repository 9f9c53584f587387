// How the paper engine's orders move money: reservations for resting orders (one shared hold per
// one-cancels-other group), fills paid from the reservation first and then from free funds, and
// the release of whatever a closed order still holds. Exact big.js throughout.
import type Big from 'big.js';
import { dec, str } from '../money/decimal.js';
import type { BalanceBook } from './engine-balances.js';
import { floorAmount, floorQuotient } from './engine-market.js';
import { isoAt, type OcoGroup, type OrderRecord, type Pricing, slipped } from './engine-orders.js';
import type { PaperEngineError, PaperTrade } from './engine-types.js';

const ZERO = dec(0);

/** What is left of an order; the order's own amount (and its text) while nothing has filled. */
const remainingOf = (o: OrderRecord): Big => (o.filled.c[0] === 0 ? o.amount : o.amount.minus(o.filled));

export class OrderLedger {
  private readonly groups = new Map<string, OcoGroup>();

  constructor(
    readonly book: BalanceBook,
    readonly pricing: Pricing,
    /** Share of a bar's volume our limits may take; null: no cap. */
    readonly participation: Big | null,
  ) {}

  /**
   * Fills the orders a bar touched, in path order. Limits share the bar's capacity
   * (participation × volume, floored to the step); what does not fit stays open.
   */
  fillInPathOrder(touched: readonly OrderRecord[], open: string, volume: string | null, time: number) {
    let capacity: Big | null | undefined;
    const out: PaperTrade[] = [];
    for (const o of touched) {
      if (o.status !== 'open') continue; // an OCO sibling filled first
      if (o.type !== 'limit') {
        const trade = this.fillTriggered(o, open, time);
        if (trade) out.push(trade);
        continue;
      }
      if (capacity === undefined) {
        const share = this.participation && volume !== null ? dec(volume).times(this.participation) : null;
        capacity = share === null ? null : floorAmount(share, o.numbers);
      }
      let amount = remainingOf(o);
      if (capacity !== null) {
        if (capacity.lt(amount)) amount = capacity;
        capacity = capacity.minus(amount);
      }
      if (amount.gt(0)) out.push(this.fill(o, amount, o.levelExact, 'maker', time, false));
    }
    return out;
  }

  /**
   * Sets aside what a resting order may spend. An OCO leg joins its group's hold, topping it up
   * to the largest leg's need: the first leg to fill cancels the others, so one hold covers all.
   */
  reserve(o: OrderRecord, currency: string, groupId: string | null): PaperEngineError | null {
    const group = groupId === null ? undefined : this.groups.get(groupId);
    if (group && (group.symbol !== o.market.symbol || group.side !== o.side)) {
      return {
        code: 'invalid-order',
        message: `OCO group ${group.id} holds ${group.side} orders on ${group.symbol}`,
      };
    }
    const extra = group ? (o.need.gt(group.hold.amount) ? o.need.minus(group.hold.amount) : ZERO) : o.need;
    if (this.book.free(currency).lt(extra)) {
      return {
        code: 'insufficient-funds',
        message: `not enough ${currency}: the order reserves ${str(extra)}`,
      };
    }
    this.book.reserve(currency, extra);
    if (groupId === null) {
      o.hold = { currency, amount: extra };
      return null;
    }
    const g = group ?? {
      id: groupId,
      symbol: o.market.symbol,
      side: o.side,
      legs: [],
      hold: { currency, amount: ZERO },
    };
    this.groups.set(g.id, g);
    g.hold.amount = g.hold.amount.plus(extra);
    g.legs.push(o);
    o.oco = g;
    o.hold = g.hold;
    return null;
  }

  /** A triggered stop or take-profit: a taker fill in full, or what the funds still cover for a buy. */
  fillTriggered(o: OrderRecord, open: string, time: number): PaperTrade | null {
    let reference = o.levelExact;
    if (o.type === 'stop-market') {
      // Gapped through: the stop becomes a market order at the open, the conservative price.
      const opened = dec(open);
      if (o.down ? opened.lt(reference) : opened.gt(reference)) reference = opened;
    }
    const price = slipped(reference, o.side, this.pricing);
    let amount = remainingOf(o);
    if (o.side === 'sell') return this.fill(o, amount, price, 'taker', time, false);
    // A buy stop that gapped up may cost more than it reserved: it takes what the funds cover.
    const perUnit = price.times(this.pricing.takerGross);
    const available = this.book.free(o.market.quote).plus(o.hold?.amount ?? ZERO);
    if (amount.times(perUnit).lte(available)) return this.fill(o, amount, price, 'taker', time, false);
    amount = floorQuotient(available, perUnit, o.numbers);
    if (amount.gt(0)) return this.fill(o, amount, price, 'taker', time, true);
    this.leaveGroup(o);
    this.close(o, o.filled.gt(0) ? 'cancelled' : 'rejected', 'insufficient-funds', time);
    return null;
  }

  /** Books one fill; `last` ends the order after it even if part remains (funds ran out). */
  fill(o: OrderRecord, amount: Big, price: Big, liquidity: 'maker' | 'taker', time: number, last: boolean) {
    const { base, quote } = o.market;
    const cost = amount.times(price);
    const fee = cost.times(liquidity === 'maker' ? this.pricing.maker : this.pricing.taker);
    if (o.side === 'buy') {
      this.pay(o, quote, cost.plus(fee));
      this.book.credit(base, amount);
    } else {
      this.pay(o, base, amount);
      this.book.credit(quote, cost.minus(fee));
    }
    o.filled = o.filled.plus(amount);
    o.cost = o.cost.plus(cost);
    o.fee = o.fee.plus(fee);
    o.updatedAt = time;
    if (o.oco) this.cancelSiblings(o, time);
    const done = o.filled.eq(o.amount);
    if (done || last) this.close(o, done ? 'filled' : 'cancelled', done ? null : 'insufficient-funds', time);
    const trade: PaperTrade = {
      tradeId: `${o.orderId}-${o.trades.length + 1}`,
      orderId: o.orderId,
      clientOrderId: o.clientOrderId,
      symbol: o.market.symbol,
      side: o.side,
      orderType: o.type,
      liquidity,
      price: str(price),
      amount: amount === o.amount ? o.amountText : str(amount),
      cost: str(cost),
      fee: str(fee),
      feeCurrency: quote,
      at: isoAt(time),
      time,
      orderStatus: o.status,
    };
    o.trades.push(trade);
    return trade;
  }

  /** Takes an order out of its OCO group, shrinking the shared hold to what the other legs need. */
  leaveGroup(o: OrderRecord): void {
    const group = o.oco;
    if (!group) return;
    o.oco = null;
    group.legs.splice(group.legs.indexOf(o), 1);
    if (group.legs.length === 0) {
      this.groups.delete(group.id); // the leaving order keeps the hold; closing it releases it
      return;
    }
    const keep = group.legs.reduce((max, leg) => (leg.need.gt(max) ? leg.need : max), ZERO);
    if (group.hold.amount.gt(keep)) this.book.release(group.hold.currency, group.hold.amount.minus(keep));
    group.hold.amount = keep;
    o.hold = null;
  }

  /** Closes an order and gives back what its reservation still holds. */
  close(o: OrderRecord, status: 'filled' | 'cancelled' | 'rejected', reason: string | null, time: number) {
    o.status = status;
    o.closeReason = reason;
    o.updatedAt = time;
    const hold = o.hold;
    if (hold?.amount.gt(0)) this.book.release(hold.currency, hold.amount);
    if (hold) hold.amount = ZERO;
    o.hold = null;
  }

  private pay(o: OrderRecord, currency: string, amount: Big): void {
    const hold = o.hold;
    if (hold === null || hold.amount.c[0] === 0) {
      this.book.debitFree(currency, amount);
    } else if (hold.amount.gte(amount)) {
      this.book.debitUsed(currency, amount); // the usual case: the reservation covers the fill
      hold.amount = hold.amount.minus(amount);
    } else {
      this.book.debitUsed(currency, hold.amount);
      this.book.debitFree(currency, amount.minus(hold.amount));
      hold.amount = ZERO;
    }
  }

  /** One-cancels-other: the first fill of a leg cancels the others; the filled leg keeps the hold. */
  private cancelSiblings(o: OrderRecord, time: number): void {
    const group = o.oco;
    if (!group) return;
    for (const leg of group.legs) {
      if (leg === o) continue;
      leg.status = 'cancelled';
      leg.closeReason = 'oco';
      leg.updatedAt = time;
      leg.hold = null;
      leg.oco = null;
    }
    o.oco = null;
    this.groups.delete(group.id);
  }
}
