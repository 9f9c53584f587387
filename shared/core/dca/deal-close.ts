// How a deal ends: every resting order is cancelled and one market exit sells the whole open
// amount (floored to the step). What no order can sell, below the step or the market's minimums,
// is recorded as dust on the closed deal: reported, never silently lost.
import type Big from 'big.js';
import { str } from '../money/decimal.js';
import { sellableAmount } from './deal-exits.js';
import type { DealLedger } from './deal-figures.js';
import { exitOrder } from './deal-orders.js';
import type { DealCloseReason } from './deal-types.js';
import type { DealUpdate } from './deal-update.js';

/**
 * Cancels everything and exits at market, or closes at once when nothing sellable is left.
 * `price` is the best guess of where the exit fills, for the minimum-notional check; the last
 * fill's price when the caller has none.
 */
export function exitAll(
  u: DealUpdate,
  reason: DealCloseReason,
  ledger: DealLedger,
  price: Big | undefined,
): void {
  u.cancelAll();
  u.stop = undefined;
  u.trailingTakeProfit = undefined;
  u.trailingStop = undefined;
  u.watchedTakeProfit = undefined;
  // A base order that filled in part and then stopped is an open position too.
  if (u.status === 'opening') u.moveTo('open');
  const amount = sellableAmount(ledger.openAmount, price ?? ledger.lastFillPrice, u.config.rules);
  if (amount === null) {
    closeDeal(u, reason, ledger.openAmount);
    return;
  }
  u.moveTo('closing');
  if (u.pendingCloseReason === undefined) u.record({ type: 'ExitStarted', at: u.at, reason });
  u.pendingCloseReason ??= reason;
  u.place(exitOrder(u.config, u.nextRevision(), amount));
}

export function closeDeal(u: DealUpdate, reason: DealCloseReason, openAmount: Big): void {
  u.cancelAll();
  if (openAmount.gt(0)) {
    u.dust = str(openAmount);
    u.record({ type: 'DustRecorded', at: u.at, amount: u.dust });
  }
  u.watchedTakeProfit = undefined;
  u.moveTo('closed');
  u.closeReason = reason;
  u.pendingCloseReason = undefined;
  u.closedAt = u.at;
  u.record({ type: 'DealClosed', at: u.at, reason });
}
