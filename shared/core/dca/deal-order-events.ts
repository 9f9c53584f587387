// Orders that end without filling: refused by the exchange, or cancelled by it (expiry, a user,
// an OCO sibling). Acknowledgements of cancels the deal asked for change nothing. Otherwise the
// deal never stays unprotected without saying so: a refused take-profit becomes one the deal watches
// on price events (it exits at market when the price reaches it; the stop stays), a refused or
// dropped stop becomes a watched one too, and a dropped take-profit rests again. A final exit the
// exchange refuses below its minimums closes the deal on dust rather than retrying forever.
import { dec } from '../money/decimal.js';
import { closeDeal, exitAll } from './deal-close.js';
import { sellableAmount } from './deal-exits.js';
import { dealLedger } from './deal-figures.js';
import { onBaseDone, orderState } from './deal-fills.js';
import { placeTakeProfits, protectPosition, setStop, watchStop } from './deal-protection.js';
import type { Deal } from './deal-state.js';
import type { DealEvent, DealStep } from './deal-types.js';
import { DealUpdate } from './deal-update.js';

type RejectedEvent = Extract<DealEvent, { type: 'rejected' }>;
type CancelledEvent = Extract<DealEvent, { type: 'cancelled' }>;

export function applyRejected(deal: Deal, event: RejectedEvent): DealStep<Deal> {
  const state = orderState(deal, event.clientOrderId);
  if (state?.status !== 'open') return { deal, commands: [] };
  const u = new DealUpdate(deal, event.at);
  const { order } = state;
  u.setOrderStatus(order.clientOrderId, 'rejected');
  u.record({ type: 'OrderRejected', at: u.at, clientOrderId: order.clientOrderId, reason: event.reason });
  const ledger = dealLedger(u.fills, u.side);
  switch (order.kind) {
    case 'base':
      if (ledger.openAmount.gt(0)) {
        onBaseDone(u, ledger);
      } else {
        u.moveTo('failed');
        u.closeReason = 'base-order-rejected';
        u.closedAt = u.at;
        u.record({ type: 'DealFailed', at: u.at, reason: 'base-order-rejected' });
      }
      break;
    case 'safety':
      // Bookkeeping only: the level is skipped, the exits already cover what is open.
      break;
    case 'take-profit':
      if (u.takeProfitId === order.clientOrderId) u.takeProfitId = undefined;
      u.record({ type: 'TakeProfitRejected', at: u.at, clientOrderId: order.clientOrderId });
      if (u.status === 'open' && order.level === undefined && order.price !== undefined) {
        // Not a market dump labelled take-profit: the deal watches the level and keeps its stop.
        u.watchedTakeProfit = order.price;
      } else {
        exitAll(u, 'take-profit', ledger, order.price === undefined ? undefined : dec(order.price));
      }
      break;
    case 'stop-loss':
      if (u.stop?.clientOrderId === order.clientOrderId) watchStop(u, 'rejected');
      break;
    case 'exit':
      u.record({ type: 'ExitRejected', at: u.at, clientOrderId: order.clientOrderId });
      if (
        refusedBelowMinimum(event.reason) ||
        sellableAmount(ledger.openAmount, ledger.lastFillPrice, u.config.rules) === null
      ) {
        // Nothing can sell what is left (the price moved below the minimum notional since the
        // exit was sized): it is dust, reported on the closed deal with its cost booked as a loss.
        closeDeal(u, u.pendingCloseReason ?? 'requested', ledger.openAmount);
      }
      // Otherwise no automatic retry (it would loop against an exchange that keeps refusing); a
      // new close-requested event places a fresh exit, and abandonExit ends a hopeless one.
      break;
  }
  return u.build();
}

export function applyCancelled(deal: Deal, event: CancelledEvent): DealStep<Deal> {
  const state = orderState(deal, event.clientOrderId);
  if (state?.status !== 'open') return { deal, commands: [] };
  const u = new DealUpdate(deal, event.at);
  const { order } = state;
  u.setOrderStatus(order.clientOrderId, 'cancelled');
  u.record({ type: 'OrderCancelled', at: u.at, clientOrderId: order.clientOrderId, by: 'exchange' });
  const ledger = dealLedger(u.fills, u.side);
  const partlyFilled = dec(state.filledAmount).gt(0);
  switch (order.kind) {
    case 'base':
      if (ledger.openAmount.gt(0)) {
        onBaseDone(u, ledger);
      } else {
        u.moveTo('cancelled');
        u.closedAt = u.at;
        u.record({ type: 'DealCancelled', at: u.at });
      }
      break;
    case 'safety':
      if (partlyFilled && u.status === 'open') protectPosition(u, ledger);
      break;
    case 'take-profit':
      if (u.takeProfitId === order.clientOrderId) u.takeProfitId = undefined;
      if (u.status === 'open' && placeTakeProfits(u, ledger) && u.stop !== undefined) {
        setStop(u, dec(u.stop.price), ledger);
      }
      break;
    case 'stop-loss':
      if (u.stop?.clientOrderId === order.clientOrderId) watchStop(u, 'cancelled');
      break;
    case 'exit':
      if (u.status === 'closing') exitAll(u, u.pendingCloseReason ?? 'requested', ledger, undefined);
      break;
  }
  return u.build();
}

/** Auto-stop, the kill switch or a user: cancel everything and exit the whole open amount at market. */
export function applyCloseRequest(deal: Deal, at: number): DealStep<Deal> {
  const u = new DealUpdate(deal, at);
  const ledger = dealLedger(u.fills, u.side);
  if (deal.status === 'closing' && u.openOrders('exit').length > 0) return { deal, commands: [] };
  if (deal.status === 'opening' && ledger.entryAmount.eq(0)) {
    u.cancelAll();
    u.moveTo('cancelled');
    u.closeReason = 'requested';
    u.closedAt = at;
    u.record({ type: 'DealCancelled', at });
    return u.build();
  }
  exitAll(u, deal.pendingCloseReason ?? 'requested', ledger, undefined);
  return u.build();
}

/** The exchange's refusal says the order is below its minimum amount or notional. */
function refusedBelowMinimum(reason: string): boolean {
  return /min-notional|min-amount|minimum/i.test(reason);
}

/**
 * Gives up on a deal whose exits keep being refused: everything is cancelled and the deal closes
 * with its open amount recorded as dust (cost booked as a loss) and the reason in its history.
 * For a caller that bounds its retries (the backtester); a deal never decides this on its own.
 */
export function abandonExit(deal: Deal, reason: string, at: number): DealStep<Deal> {
  if (deal.status !== 'closing') return { deal, commands: [] };
  const u = new DealUpdate(deal, at);
  u.record({ type: 'ExitAbandoned', at, reason });
  closeDeal(u, deal.pendingCloseReason ?? 'requested', dealLedger(u.fills, u.side).openAmount);
  return u.build();
}
