// Carries out one DCA deal's commands on the paper engine and feeds what happened back to the deal,
// the way a live executor would: a placement's immediate fills come back as 'filled' events, a
// refusal as 'rejected', a confirmed cancel as 'cancelled'. Events are applied in the order they
// happened, from one queue (no recursion): a bar's fills first, since the exchange made them all
// before the replay could react, then what each reaction caused. A step's commands run at once,
// in the order the deal gave them.
//
// The deal's take-profit and stop-loss are both sells of the whole position; on a spot account the
// second would find the base already reserved by the first. They go to the engine as one
// one-cancels-other group (one reservation, the first fill cancels the other), the exchange
// feature they stand for. An exit leg that would fill at once (a take-profit already below the
// last close after a safety fill) cannot rest in a group: as an OCO would, its immediate execution
// cancels the other legs first. A leg the engine refuses reaches the deal as 'rejected' (and an
// OCO sibling the engine cancelled as 'cancelled'): the deal then watches its stop (the loop checks
// it against each bar's adverse extreme). A partial take-profit fill cancels the stop in the engine
// (OCO); the deal re-places the take-profit remainder and the stop, which form a new group here.
import { abandonExit, applyDealEvent, type Deal } from '../dca/deal.js';
import type { DealCommand, DealEvent, DealOrder } from '../dca/deal-types.js';
import { dec } from '../money/decimal.js';
import type { PaperEngine } from '../paper/engine.js';
import type { PaperOrderRequest, PaperTrade } from '../paper/engine-types.js';

const ZERO = dec(0);
/** Refused exits retried (one a bar) before the deal gives up and closes on dust. */
export const MAX_EXIT_RETRIES = 5;
const TERMINAL = new Set(['closed', 'cancelled', 'failed']);

/** True once a deal has nothing left to do. */
export const dealIsOver = (deal: Deal): boolean => TERMINAL.has(deal.status);

/** The single take-profit and the stop-loss; progressive targets (with a level) stay out of the group. */
const isExitLeg = (order: DealOrder) =>
  order.side === 'sell' &&
  (order.kind === 'stop-loss' || (order.kind === 'take-profit' && order.level === undefined));

export class DealExecutor {
  deal: Deal | null = null;
  /** Base bought and quote spent / base sold and quote received by the current deal (fees apart). */
  bought = ZERO;
  spent = ZERO;
  sold = ZERO;
  received = ZERO;
  ordersPlaced = 0;
  fills = 0;
  /**
   * Fills that reached the deal after it had closed (it cancelled an order the same bar had already
   * filled, and a closed deal never changes): their cash flow, net of fees, and their fees. A late
   * buy is sold at once at market so the account never keeps base no deal accounts for.
   */
  lateFills = 0;
  lateFlow = ZERO;
  lateFees = ZERO;
  /** Base a late buy left that no market order could sell (below the step or the minimums). */
  lateDust = ZERO;
  /** The last refusal's reason in the current deal, to explain a refused entry. */
  lastRejection: string | null = null;
  /** Set whenever the account's balances may have moved; the loop clears it after re-reading them. */
  balancesMoved = false;
  /** Client ids of the current deal's exit legs still believed open, for the OCO emulation. */
  private readonly exitLegs = new Set<string>();
  private readonly pending: DealEvent[] = [];
  private exitGroup = '';
  private exitRetries = 0;
  private dealPrefix = '';

  constructor(
    private readonly engine: PaperEngine,
    private readonly symbol: string,
  ) {}

  /** Starts tracking a freshly opened deal and carries out its first commands. */
  start(dealId: string, deal: Deal, commands: readonly DealCommand[], at: number): void {
    this.deal = deal;
    this.exitGroup = `${dealId}-exits`;
    this.dealPrefix = `${dealId}-`;
    this.bought = ZERO;
    this.spent = ZERO;
    this.sold = ZERO;
    this.received = ZERO;
    this.exitLegs.clear();
    this.lastRejection = null;
    this.lateFills = 0;
    this.lateFlow = ZERO;
    this.lateFees = ZERO;
    this.lateDust = ZERO;
    this.exitRetries = 0;
    this.run(commands, at);
    this.drain(at);
  }

  /**
   * The fills a bar produced, in the engine's path order. Everything a bar causes is stamped with
   * its close (`at`): the replay learns of fills when the bar has closed and reacts then, so a deal
   * is never shorter than the bars it was exposed to.
   */
  onFills(trades: readonly PaperTrade[], at: number): void {
    for (const t of trades) {
      this.pending.push(this.fillEvent(t, at));
      if (this.exitLegs.has(t.clientOrderId)) this.ocoSiblingsCancelled(t.clientOrderId, at);
    }
    this.drain(at);
  }

  /** Applies one event (a price observation, a close request) and everything it leads to. */
  apply(event: DealEvent, at: number): void {
    this.pending.push(event);
    this.drain(at);
  }

  /**
   * A deal left closing with no exit order (the exchange refused it: the deal had not yet heard of
   * a fill that sold part of the position) does not retry by itself; a close request places a fresh
   * exit for what its fills say is open. The loop calls this once per bar, so a market that keeps
   * refusing costs one attempt a bar; after MAX_EXIT_RETRIES the deal is abandoned (closed, the open
   * amount recorded as dust and the reason in its history), so no deal can stall the replay.
   */
  retryStalledExit(at: number): void {
    const deal = this.deal;
    if (deal === null || deal.status !== 'closing') return;
    for (const state of Object.values(deal.orders)) {
      if (state.status === 'open' && state.order.kind === 'exit') return;
    }
    if (this.exitRetries >= MAX_EXIT_RETRIES) {
      const reason = `exit refused ${this.exitRetries + 1} times (last: ${this.lastRejection ?? '?'})`;
      const step = abandonExit(deal, reason, at);
      this.deal = step.deal;
      this.run(step.commands, at);
      this.drain(at);
      return;
    }
    this.exitRetries++;
    this.apply({ type: 'close-requested', reason: 'exit refused, retried', at }, at);
  }

  private drain(at: number): void {
    // Index walk over a growing queue: events caused by commands are appended and applied in turn.
    for (let k = 0; k < this.pending.length; k++) {
      const event = this.pending[k];
      if (event === undefined || this.deal === null) break;
      const step = applyDealEvent(this.deal, event);
      if (event.type === 'filled' && step.deal === this.deal && dealIsOver(this.deal)) {
        this.settleLateFill(event, at);
        continue;
      }
      this.deal = step.deal;
      if (step.commands.length > 0) this.run(step.commands, at);
    }
    this.pending.length = 0;
  }

  private run(commands: readonly DealCommand[], at: number): void {
    for (const command of commands) {
      if (command.type === 'cancel') this.cancel(command.clientOrderId, at);
      else this.place(command.order, at);
    }
  }

  private cancel(clientOrderId: string, at: number): void {
    this.exitLegs.delete(clientOrderId);
    const result = this.engine.cancel(clientOrderId);
    // A cancel that finds the order already filled (earlier in this bar) confirms nothing: its
    // fill is on its way as an event. One the engine never saw is as good as cancelled.
    if (!result.ok || result.value.status === 'cancelled') {
      this.pending.push({ type: 'cancelled', clientOrderId, at });
    }
  }

  private place(order: DealOrder, at: number): void {
    // The account may hold base no deal owns (dust a closed deal could not sell). A deal acting on
    // a stale view (a fill of this bar it has not heard of yet) must not sell that: it may sell
    // only what it bought and has not sold, as an account holding nothing else would enforce.
    const held = this.bought.minus(this.sold);
    if (order.side === 'sell' && order.amount !== undefined && dec(order.amount).gt(held)) {
      const reason = `insufficient-funds: the deal holds ${held.toFixed()}, not ${order.amount}`;
      this.reject(order.clientOrderId, reason, at);
      return;
    }
    const exitLeg = isExitLeg(order);
    let request = toRequest(order, this.symbol, exitLeg ? this.exitGroup : null);
    let result = this.engine.place(request);
    if (!result.ok && exitLeg && result.error.message.startsWith('an OCO leg must rest')) {
      for (const id of [...this.exitLegs]) this.cancel(id, at);
      request = toRequest(order, this.symbol, null);
      result = this.engine.place(request);
    }
    this.ordersPlaced++;
    this.balancesMoved = true;
    if (!result.ok) {
      this.reject(order.clientOrderId, `${result.error.code}: ${result.error.message}`, at);
      return;
    }
    const { order: placed, trades, duplicate } = result.value;
    if (duplicate) {
      this.reject(order.clientOrderId, `duplicate client order id (the first is ${placed.status})`, at);
      return;
    }
    if (placed.status === 'open' && request.ocoGroup !== undefined) this.exitLegs.add(order.clientOrderId);
    for (const t of trades) this.pending.push(this.fillEvent(t, at));
  }

  private reject(clientOrderId: string, reason: string, at: number): void {
    this.lastRejection = reason;
    this.pending.push({ type: 'rejected', clientOrderId, reason, at });
  }

  /** The engine cancels the other legs of a group silently when one fills; the deal hears of it. */
  private ocoSiblingsCancelled(filledId: string, at: number): void {
    for (const id of this.exitLegs) {
      if (id === filledId) continue;
      const o = this.engine.orderByClientId(id);
      if (o?.status === 'cancelled') {
        this.exitLegs.delete(id);
        this.pending.push({ type: 'cancelled', clientOrderId: id, at });
      }
    }
    const self = this.engine.orderByClientId(filledId);
    if (self?.status !== 'open') this.exitLegs.delete(filledId);
  }

  private settleLateFill(event: Extract<DealEvent, { type: 'filled' }>, at: number): void {
    if (!event.clientOrderId.startsWith(this.dealPrefix)) return;
    this.lateFills++;
    const fee = dec(event.fee);
    this.lateFees = this.lateFees.plus(fee);
    const isBuy = this.engine.orderByClientId(event.clientOrderId)?.side === 'buy';
    if (!isBuy) {
      this.lateFlow = this.lateFlow.plus(dec(event.cost)).minus(fee);
      return;
    }
    this.lateFlow = this.lateFlow.minus(dec(event.cost)).minus(fee);
    const result = this.engine.place({
      symbol: this.symbol,
      side: 'sell',
      type: 'market',
      clientOrderId: `${event.clientOrderId}-late`,
      amount: event.amount,
    });
    this.ordersPlaced++;
    this.balancesMoved = true;
    if (!result.ok) {
      this.lateDust = this.lateDust.plus(event.amount);
      return;
    }
    for (const t of result.value.trades) {
      this.fillEvent(t, at); // books the sale in sold/received; the closed deal needs no event
      const tradeFee = dec(t.fee);
      this.lateFees = this.lateFees.plus(tradeFee);
      this.lateFlow = this.lateFlow.plus(dec(t.cost)).minus(tradeFee);
    }
  }

  private fillEvent(t: PaperTrade, at: number): DealEvent {
    this.fills++;
    this.balancesMoved = true;
    const amount = dec(t.amount);
    const cost = dec(t.cost);
    if (t.side === 'buy') {
      this.bought = this.bought.plus(amount);
      this.spent = this.spent.plus(cost);
    } else {
      this.sold = this.sold.plus(amount);
      this.received = this.received.plus(cost);
    }
    return {
      type: 'filled',
      clientOrderId: t.clientOrderId,
      tradeId: t.tradeId,
      price: t.price,
      amount: t.amount,
      cost: t.cost,
      fee: t.fee,
      at,
      orderDone: t.orderStatus !== 'open',
    };
  }
}

function toRequest(order: DealOrder, symbol: string, ocoGroup: string | null): PaperOrderRequest {
  const request: {
    -readonly [K in keyof PaperOrderRequest]: PaperOrderRequest[K];
  } = { symbol, side: order.side, type: order.orderType, clientOrderId: order.clientOrderId };
  if (order.amount !== undefined) request.amount = order.amount;
  if (order.quoteAmount !== undefined) request.quoteAmount = order.quoteAmount;
  if (order.price !== undefined) request.price = order.price;
  if (order.triggerPrice !== undefined) request.triggerPrice = order.triggerPrice;
  if (ocoGroup !== null) request.ocoGroup = ocoGroup;
  return request;
}
