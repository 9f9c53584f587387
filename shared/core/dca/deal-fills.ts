// The reducer's answer to a fill, by the kind of order that filled: the base order opens the
// position, a safety fill moves the average and with it every exit, a take-profit or stop ends the
// deal, a progressive target moves the stop. Partial fills wait for the order to complete, except
// that an exit's partial fill shrinks the other exits (stop or take-profit) to what is left. Every
// fill is booked, even one for an order the deal already cancelled: the money moved, so the exits
// follow it.
import type Big from 'big.js';
import { dec, str } from '../money/decimal.js';
import { exitAll } from './deal-close.js';
import { liveExitPrices, tighter } from './deal-exits.js';
import { type DealLedger, dealLedger, openAverage } from './deal-figures.js';
import { safetyOrder } from './deal-orders.js';
import { desiredStop, placeTakeProfits, protectPosition, setStop } from './deal-protection.js';
import type { Deal, DealOrderState } from './deal-state.js';
import type { DealEvent, DealStep } from './deal-types.js';
import { DealUpdate } from './deal-update.js';
import { type DcaLevel, tryPlanDca } from './plan.js';

type FilledEvent = Extract<DealEvent, { type: 'filled' }>;

/** The deal's order with that id; own keys only, so no id can reach the prototype. */
export function orderState(deal: Deal, clientOrderId: string): DealOrderState | undefined {
  return Object.hasOwn(deal.orders, clientOrderId) ? deal.orders[clientOrderId] : undefined;
}

export function applyFill(deal: Deal, event: FilledEvent): DealStep<Deal> {
  const state = orderState(deal, event.clientOrderId);
  if (state === undefined || deal.fills.some((f) => f.tradeId === event.tradeId)) {
    return { deal, commands: [] };
  }
  const u = new DealUpdate(deal, event.at);
  const late = state.status !== 'open';
  const { order } = state;
  u.orders[order.clientOrderId] = {
    ...state,
    status: event.orderDone ? 'filled' : state.status,
    filledAmount: str(dec(state.filledAmount).plus(event.amount)),
  };
  u.fills.push({
    clientOrderId: order.clientOrderId,
    tradeId: event.tradeId,
    kind: order.kind,
    side: order.side,
    price: event.price,
    amount: event.amount,
    cost: event.cost,
    fee: event.fee,
    ...(event.feeCurrency === 'base' ? { feeCurrency: 'base' as const } : {}),
    at: event.at,
  });
  u.record({
    type: 'OrderFilled',
    at: event.at,
    clientOrderId: order.clientOrderId,
    tradeId: event.tradeId,
    price: event.price,
    amount: event.amount,
    orderDone: event.orderDone,
    late,
  });
  const ledger = dealLedger(u.fills, u.side);
  const price = dec(event.price);
  if (u.status === 'closing') {
    // The exit in flight decides; once none is left, sweep what remains (or close on dust).
    if (u.openOrders('exit').length === 0) exitAll(u, u.pendingCloseReason ?? 'requested', ledger, price);
    return u.build();
  }
  if (u.status === 'opening') {
    if (order.kind === 'base' && event.orderDone) onBaseDone(u, ledger);
    return u.build();
  }
  if (
    late &&
    order.kind === 'take-profit' &&
    order.level !== undefined &&
    u.config.progressive !== undefined &&
    event.orderDone
  ) {
    // A target that completed after a safety fill had cancelled and re-split the targets: it
    // counts (the stop moves, the later targets re-split over what is open, this one is not re-placed).
    u.targetsHit = Math.max(u.targetsHit, order.level);
    if (placeTakeProfits(u, ledger)) onTargetDone(u, order.level, ledger, price);
    return u.build();
  }
  if (late && !(order.kind === 'stop-loss' && event.orderDone)) {
    // A fill that raced our cancel: the exits follow the amount that is really open now.
    if (placeTakeProfits(u, ledger)) resizeStop(u, ledger);
    return u.build();
  }
  switch (order.kind) {
    case 'safety':
      if (event.orderDone) onSafetyDone(u, order.level ?? 0, ledger);
      break;
    case 'take-profit':
      if (order.level !== undefined && u.config.progressive !== undefined) {
        if (event.orderDone) onTargetDone(u, order.level, ledger, price);
        else resizeStop(u, ledger);
      } else if (event.orderDone) {
        exitAll(u, 'take-profit', ledger, price);
      } else {
        replaceExitPair(u, ledger);
      }
      break;
    case 'stop-loss':
      // A stop firing in parts: the take-profit side shrinks so the two never sell more than is open.
      if (event.orderDone) exitAll(u, 'stop-loss', ledger, price);
      else placeTakeProfits(u, ledger);
      break;
    default:
      // A base or exit fill while open can only be late; the exits follow the open amount.
      if (placeTakeProfits(u, ledger)) resizeStop(u, ledger);
  }
  return u.build();
}

export function onBaseDone(u: DealUpdate, ledger: DealLedger): void {
  u.moveTo('open');
  u.record({
    type: 'PositionOpened',
    at: u.at,
    averageEntry: (openAverage(ledger) ?? dec(0)).toFixed(),
    amount: ledger.openAmount.toFixed(),
  });
  if (ledger.openAmount.lte(0)) {
    exitAll(u, 'requested', ledger, undefined);
    return;
  }
  anchorLadder(u, ledger);
  topUpSafetyOrders(u);
  protectPosition(u, ledger);
}

/**
 * Re-plans the ladder from the base order's actual average fill price (3Commas measures the safety
 * deviations from the base order's fill, not from the signal's price). Runs before any safety order
 * is placed. A ladder the market rules refuse at the new anchor keeps the original plan.
 */
function anchorLadder(u: DealUpdate, ledger: DealLedger): void {
  if (u.nextSafetyLevel !== 1 || ledger.basePrice === undefined) return;
  const anchor = str(ledger.basePrice);
  if (anchor === u.plan.basePrice) return;
  const result = tryPlanDca(u.config.params, anchor, u.config.rules);
  if (result.ok) u.plan = result.plan;
}

function onSafetyDone(u: DealUpdate, level: number, ledger: DealLedger): void {
  u.record({
    type: 'SafetyOrderFilled',
    at: u.at,
    level,
    averageEntry: (openAverage(ledger) ?? dec(0)).toFixed(),
    openAmount: ledger.openAmount.toFixed(),
  });
  topUpSafetyOrders(u);
  protectPosition(u, ledger);
}

/** Keeps maxActiveSafetyOrders resting, placing the next levels of the plan in order. */
function topUpSafetyOrders(u: DealUpdate): void {
  const { levels, maxActiveSafetyOrders } = u.plan;
  let resting = u.openOrders('safety').length;
  while (resting < maxActiveSafetyOrders && u.nextSafetyLevel < levels.length) {
    u.place(safetyOrder(u.config, levels[u.nextSafetyLevel] as DcaLevel));
    u.nextSafetyLevel += 1;
    resting += 1;
  }
}

function onTargetDone(u: DealUpdate, target: number, ledger: DealLedger, price: Big): void {
  u.record({ type: 'TargetHit', at: u.at, target, price: price.toFixed() });
  u.targetsHit = Math.max(u.targetsHit, target);
  if (u.openOrders('take-profit').length === 0) {
    exitAll(u, 'progressive-complete', ledger, price);
    return;
  }
  if (u.config.progressive?.trailingStopPercent !== undefined && u.trailingStop === undefined) {
    const best = price.toFixed();
    u.trailingStop = { best, bestShadow: Number(best) };
  }
  // After a target the stop only tightens; it never falls back to the configured level.
  const desired = desiredStop(u, ledger, liveExitPrices(u.config, ledger));
  const current = u.stop === undefined ? undefined : dec(u.stop.price);
  setStop(u, desired === undefined ? current : tighter(u.side, desired, current), ledger);
}

/**
 * After a partial take-profit fill: an exchange OCO cancels the stop on the take-profit's first
 * fill, even a partial one, and the remainder keeps the base reserved, so a stop placed alone would
 * be refused and only watched. The take-profit remainder and the stop are re-placed together (a
 * new pair), so the stop rests again.
 */
function replaceExitPair(u: DealUpdate, ledger: DealLedger): void {
  const stop = u.stop;
  u.cancel(u.takeProfitId);
  u.takeProfitId = undefined;
  if (stop !== undefined) {
    u.cancel(stop.clientOrderId);
    const keep = stop.watchedBecause === 'timeout' || stop.watchedBecause === 'below-minimum';
    u.stop = { ...stop, clientOrderId: undefined, watchedBecause: keep ? stop.watchedBecause : undefined };
  }
  if (!placeTakeProfits(u, ledger)) return;
  if (stop !== undefined) setStop(u, dec(stop.price), ledger);
}

/** The stop follows the open amount at its current price (after a partial exit fill). */
function resizeStop(u: DealUpdate, ledger: DealLedger): void {
  if (u.stop !== undefined) setStop(u, dec(u.stop.price), ledger);
}
