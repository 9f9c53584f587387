// A DCA deal as a pure reducer: openDeal plans it and asks for the base order, applyDealEvent
// takes one exchange event (fill, cancel, reject, price, close request) and returns the next deal
// with the commands to carry out. Live trading, demo and the backtester all drive this one reducer.
// The handlers live next door by event kind; this module holds the entry points and the rules
// every event shares: terminal deals never change, and an event that changes nothing returns the
// very same deal object with no commands (the backtester skips work on identity).
import type { DecimalString } from '../money/decimal.js';
import { TERMINAL_STATUSES } from '../positions/position.js';
import { dealConfigErrors } from './deal-config-checks.js';
import { applyFill } from './deal-fills.js';
import { applyCancelled, applyCloseRequest, applyRejected } from './deal-order-events.js';
import { baseOrder } from './deal-orders.js';
import { applyPrice } from './deal-price.js';
import type { Deal } from './deal-state.js';
import type { DealConfig, DealEvent, DealStep } from './deal-types.js';
import { DealUpdate } from './deal-update.js';
import { planDca } from './plan.js';
import { DcaPlanError } from './plan-error.js';

export { dealConfigErrors } from './deal-config-checks.js';
export { type DealFigures, dealFigures } from './deal-figures.js';
export { abandonExit } from './deal-order-events.js';
export { dealOrderIds } from './deal-orders.js';
export { dealWantsPrice } from './deal-price.js';
export type {
  Deal,
  DealFill,
  DealHistoryEvent,
  DealOrderState,
  DealStop,
  StopWatchReason,
  TrailingStopState,
  TrailingTakeProfitState,
} from './deal-state.js';

const NO_COMMANDS: readonly never[] = Object.freeze([]);

/**
 * Plans the deal and asks for the base order only: safety orders, take-profit and stop follow
 * its fill. Throws DcaPlanError for a bad configuration or plan (validate first, or use tryOpenDeal).
 */
export function openDeal(config: DealConfig, basePrice: DecimalString, at: number): DealStep<Deal> {
  const [problem] = dealConfigErrors(config, basePrice);
  if (problem !== undefined) throw problem;
  const plan = planDca(config.params, basePrice, config.rules);
  const planned: Deal = {
    config,
    status: 'planned',
    plan,
    orders: {},
    fills: [],
    events: [{ type: 'DealOpened', at, basePrice }],
    stop: undefined,
    trailingTakeProfit: undefined,
    trailingStop: undefined,
    takeProfitId: undefined,
    watchedTakeProfit: undefined,
    revision: 0,
    nextSafetyLevel: 1,
    targetsHit: 0,
    pendingCloseReason: undefined,
    closeReason: undefined,
    dust: undefined,
    openedAt: at,
    closedAt: undefined,
    updatedAt: at,
  };
  const u = new DealUpdate(planned, at);
  u.moveTo('opening');
  u.place(baseOrder(config, plan));
  return u.build();
}

export type OpenDealResult =
  | { readonly ok: true; readonly step: DealStep<Deal> }
  | { readonly ok: false; readonly error: DcaPlanError };

/** openDeal as a value, for callers that branch instead of catching. */
export function tryOpenDeal(config: DealConfig, basePrice: DecimalString, at: number): OpenDealResult {
  try {
    return { ok: true, step: openDeal(config, basePrice, at) };
  } catch (error) {
    if (error instanceof DcaPlanError) return { ok: false, error };
    throw error;
  }
}

/** The reducer: the next deal and the commands an event calls for. */
export function applyDealEvent(deal: Deal, event: DealEvent): DealStep<Deal> {
  if (TERMINAL_STATUSES.includes(deal.status)) return { deal, commands: NO_COMMANDS };
  switch (event.type) {
    case 'price':
      return applyPrice(deal, event);
    case 'filled':
      return applyFill(deal, event);
    case 'cancelled':
      return applyCancelled(deal, event);
    case 'rejected':
      return applyRejected(deal, event);
    case 'close-requested':
      return applyCloseRequest(deal, event.at);
  }
}
