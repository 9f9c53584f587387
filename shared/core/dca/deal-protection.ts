// The exits that guard an open deal, kept in step with what is actually open: the take-profit
// (one limit, progressive target limits, or an armed trailing take-profit) and the stop (a resting
// stop-market, or a stop the deal watches on price events). Each function places or replaces
// orders only when what should rest differs from what rests, so a repeat call issues nothing.
import type Big from 'big.js';
import { dec, str } from '../money/decimal.js';
import { exitAll } from './deal-close.js';
import { breakEvenStop, type LiveExitPrices, liveExitPrices, sellableAmount, tighter } from './deal-exits.js';
import type { DealLedger } from './deal-figures.js';
import { stopOrder, takeProfitOrder, targetOrder } from './deal-orders.js';
import type { StopWatchReason } from './deal-state.js';
import type { DealUpdate } from './deal-update.js';
import { movedStopPrice, splitTargets, trailingStopLevel } from './progressive-take-profit.js';

/** Take-profit and stop for the whole open amount: after the base fill and each safety fill. */
export function protectPosition(u: DealUpdate, ledger: DealLedger): void {
  const exits = liveExitPrices(u.config, ledger);
  if (exits === undefined || !placeTakeProfits(u, ledger, exits)) return;
  setStop(u, desiredStop(u, ledger, exits), ledger);
}

/** Re-rests the take-profit side; false when it had to exit instead (nothing placeable is left). */
export function placeTakeProfits(
  u: DealUpdate,
  ledger: DealLedger,
  exits = liveExitPrices(u.config, ledger),
): boolean {
  if (exits === undefined) {
    exitAll(
      u,
      u.config.progressive === undefined ? 'take-profit' : 'progressive-complete',
      ledger,
      undefined,
    );
    return false;
  }
  if (u.config.progressive !== undefined) return placeTargets(u, ledger);
  const trailing = u.config.params.trailingTakeProfit;
  if (trailing !== undefined && exits.trailingActivation !== undefined) {
    armTrailingTakeProfit(u, exits.trailingActivation);
    return true;
  }
  return replaceTakeProfit(u, exits.takeProfit, ledger);
}

function replaceTakeProfit(u: DealUpdate, price: Big, ledger: DealLedger): boolean {
  const amount = sellableAmount(ledger.openAmount, price, u.config.rules);
  if (amount === null) {
    exitAll(u, 'take-profit', ledger, price);
    return false;
  }
  const previous = u.takeProfitId;
  const current = previous === undefined ? undefined : u.orders[previous];
  if (
    current?.status === 'open' &&
    current.order.price === str(price) &&
    dec(current.order.amount ?? '0')
      .minus(current.filledAmount)
      .eq(amount)
  ) {
    return true;
  }
  u.cancel(previous);
  const order = takeProfitOrder(u.config, u.nextRevision(), price, amount);
  u.place(order);
  u.takeProfitId = order.clientOrderId;
  u.watchedTakeProfit = undefined;
  if (previous !== undefined) {
    u.record({
      type: 'TakeProfitReplaced',
      at: u.at,
      from: previous,
      to: order.clientOrderId,
      price: str(price),
      amount: str(amount),
    });
  }
  return true;
}

/** Rests one limit per target still to come, re-split over the open amount when it changed. */
function placeTargets(u: DealUpdate, ledger: DealLedger): boolean {
  const legs = splitTargets(u.config, ledger.openAmount, u.targetsHit + 1);
  const resting = u.openOrders('take-profit');
  const unchanged =
    legs.length === resting.length &&
    legs.every((leg, i) => {
      const state = resting[i];
      return (
        state !== undefined &&
        state.order.level === leg.target &&
        state.order.price === leg.price &&
        dec(state.order.amount ?? '0')
          .minus(state.filledAmount)
          .eq(leg.amount)
      );
    });
  if (unchanged) return true;
  for (const state of resting) u.cancel(state.order.clientOrderId);
  if (legs.length === 0) {
    exitAll(u, 'progressive-complete', ledger, undefined);
    return false;
  }
  for (const leg of legs) u.place(targetOrder(u.config, leg.target, u.nextRevision(), leg.price, leg.amount));
  u.record({ type: 'TargetsSplit', at: u.at, amounts: legs.map((leg) => str(leg.amount)) });
  return true;
}

function armTrailingTakeProfit(u: DealUpdate, activation: Big): void {
  const activationPrice = str(activation);
  if (u.trailingTakeProfit?.activationPrice === activationPrice) return;
  // A safety fill moves the activation; a trail already running starts over from the new level.
  u.trailingTakeProfit = {
    activationPrice,
    activationShadow: Number(activationPrice),
    extreme: undefined,
    extremeShadow: Number.NaN,
    exitPrice: undefined,
    exitShadow: Number.NaN,
  };
  u.record({ type: 'TrailingTakeProfitArmed', at: u.at, activationPrice });
}

/** The configured stop, tightened by the progressive stop move and the trailing stop. */
export function desiredStop(
  u: DealUpdate,
  ledger: DealLedger,
  exits: LiveExitPrices | undefined,
): Big | undefined {
  const { side } = u.config.params;
  let stop = exits?.stopLoss;
  const moved = movedStopPrice(u.config, u.targetsHit, breakEvenStop(u.config, ledger));
  if (moved !== undefined) stop = tighter(side, moved, stop);
  const trailing =
    u.trailingStop === undefined ? undefined : trailingStopLevel(u.config, dec(u.trailingStop.best));
  if (trailing !== undefined) stop = tighter(side, trailing, stop);
  return stop;
}

/**
 * Puts the stop at `price` for the whole open amount: a cancel and a new stop-market when the price
 * or the amount changed, or a new watched level. Watched instead of resting with a timeout (the
 * exchange cannot time a stop), after the exchange refused or dropped one, or below the minimums.
 */
export function setStop(u: DealUpdate, price: Big | undefined, ledger: DealLedger): void {
  if (price === undefined) return;
  const current = u.stop;
  const to = str(price);
  const amount = sellableAmount(ledger.openAmount, price, u.config.rules);
  // A stop the exchange refused or dropped stays watched at that price (no churn against a refusing
  // exchange), but never for good: a new price (a fill moved the average, a target moved it) tries
  // to rest it again.
  const sticky =
    (current?.watchedBecause === 'rejected' || current?.watchedBecause === 'cancelled') &&
    current.price === to;
  const watchReason: StopWatchReason | undefined =
    u.config.params.stopLossTimeoutSeconds > 0
      ? 'timeout'
      : sticky
        ? current?.watchedBecause
        : amount === null
          ? 'below-minimum'
          : undefined;
  if (watchReason !== undefined || amount === null) {
    if (current?.clientOrderId === undefined && current?.price === to) return;
    u.cancel(current?.clientOrderId);
    const reason = watchReason ?? 'below-minimum';
    if (current?.watchedBecause !== reason) u.record({ type: 'StopWatched', at: u.at, reason });
    u.stop = {
      price: to,
      priceShadow: Number(to),
      clientOrderId: undefined,
      watchedBecause: reason,
      beyondSince: undefined,
    };
    recordMove(u, current?.price, to, ledger.openAmount, undefined);
    return;
  }
  const resting = current?.clientOrderId === undefined ? undefined : u.orders[current.clientOrderId];
  if (resting?.status === 'open' && current?.price === to && resting.order.amount === str(amount)) return;
  u.cancel(current?.clientOrderId);
  const order = stopOrder(u.config, u.nextRevision(), to, amount);
  u.place(order);
  u.stop = {
    price: to,
    priceShadow: Number(to),
    clientOrderId: order.clientOrderId,
    watchedBecause: undefined,
    beyondSince: undefined,
  };
  recordMove(u, current?.price, to, amount, order.clientOrderId);
}

/** Turns the current stop into a watched one (its order was refused or dropped). */
export function watchStop(u: DealUpdate, reason: StopWatchReason): void {
  const current = u.stop;
  if (current === undefined) return;
  u.stop = { ...current, clientOrderId: undefined, watchedBecause: reason, beyondSince: undefined };
  u.record({ type: 'StopWatched', at: u.at, reason });
}

function recordMove(
  u: DealUpdate,
  from: string | undefined,
  to: string,
  amount: Big,
  clientOrderId: string | undefined,
): void {
  u.record({ type: 'StopMoved', at: u.at, from, to, amount: str(amount), clientOrderId });
}
