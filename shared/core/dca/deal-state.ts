// What a DCA deal remembers between events: its orders and their states, its fills, its history,
// the current stop and the trailing trackers. Figures (amounts, average, PnL) are not stored here:
// deal-figures.ts derives them from the fills. Plain readonly data, so a deal serializes as JSON.
import type { DecimalString } from '../money/decimal.js';
import type { DealCloseReason, DealConfig, DealOrder, DealOrderKind, DealStatus } from './deal-types.js';
import type { DcaPlan } from './plan.js';

export interface DealOrderState {
  readonly order: DealOrder;
  /** open: resting or in flight; cancelled as soon as the deal asks for it (a late fill still counts). */
  readonly status: 'open' | 'filled' | 'cancelled' | 'rejected';
  readonly filledAmount: DecimalString;
}

export interface DealFill {
  readonly clientOrderId: string;
  readonly tradeId: string;
  readonly kind: DealOrderKind;
  readonly side: 'buy' | 'sell';
  readonly price: DecimalString;
  readonly amount: DecimalString;
  readonly cost: DecimalString;
  readonly fee: DecimalString;
  /** Present only for a fee charged in the base asset (absent: quote). */
  readonly feeCurrency?: 'base';
  readonly at: number;
}

/** Why the deal watches its stop on price events instead of resting a stop-market order. */
export type StopWatchReason = 'timeout' | 'rejected' | 'cancelled' | 'below-minimum';

export interface DealStop {
  readonly price: DecimalString;
  /** Float copy of `price` for the price-event fast path; exact decisions use `price`. */
  readonly priceShadow: number;
  /** The resting stop-market order; undefined while the deal watches the price itself. */
  readonly clientOrderId: string | undefined;
  readonly watchedBecause: StopWatchReason | undefined;
  /** With a stop-loss timeout: when the current run of prices beyond the stop began. */
  readonly beyondSince: number | undefined;
}

/** 3Commas' trailing take-profit: arms at the activation price, exits on a retrace from the extreme. */
export interface TrailingTakeProfitState {
  readonly activationPrice: DecimalString;
  readonly activationShadow: number;
  /** The best price since activation; undefined until armed. */
  readonly extreme: DecimalString | undefined;
  readonly extremeShadow: number;
  /** extreme moved back by the deviation: a price at or past it exits. */
  readonly exitPrice: DecimalString | undefined;
  readonly exitShadow: number;
}

/** The progressive trailing stop, armed by the first target's fill. */
export interface TrailingStopState {
  readonly best: DecimalString;
  readonly bestShadow: number;
}

export type DealHistoryEvent =
  | { readonly type: 'DealOpened'; readonly at: number; readonly basePrice: DecimalString }
  | {
      readonly type: 'StatusChanged';
      readonly at: number;
      readonly from: DealStatus;
      readonly to: DealStatus;
    }
  | {
      readonly type: 'OrderPlaced';
      readonly at: number;
      readonly clientOrderId: string;
      readonly kind: DealOrderKind;
    }
  | {
      readonly type: 'OrderCancelled';
      readonly at: number;
      readonly clientOrderId: string;
      /** deal: the deal asked for it; exchange: it went away on its own (expiry, OCO, a user). */
      readonly by: 'deal' | 'exchange';
    }
  | {
      readonly type: 'OrderRejected';
      readonly at: number;
      readonly clientOrderId: string;
      readonly reason: string;
    }
  | {
      readonly type: 'OrderFilled';
      readonly at: number;
      readonly clientOrderId: string;
      readonly tradeId: string;
      readonly price: DecimalString;
      readonly amount: DecimalString;
      readonly orderDone: boolean;
      /** The order had already been cancelled, replaced or rejected: the fill raced the cancel. */
      readonly late: boolean;
    }
  | {
      readonly type: 'PositionOpened';
      readonly at: number;
      readonly averageEntry: DecimalString;
      readonly amount: DecimalString;
    }
  | {
      readonly type: 'SafetyOrderFilled';
      readonly at: number;
      readonly level: number;
      readonly averageEntry: DecimalString;
      readonly openAmount: DecimalString;
    }
  | {
      readonly type: 'TakeProfitReplaced';
      readonly at: number;
      readonly from: string | undefined;
      readonly to: string;
      readonly price: DecimalString;
      readonly amount: DecimalString;
    }
  | { readonly type: 'TargetsSplit'; readonly at: number; readonly amounts: readonly DecimalString[] }
  | {
      readonly type: 'TargetHit';
      readonly at: number;
      readonly target: number;
      readonly price: DecimalString;
    }
  | {
      readonly type: 'StopMoved';
      readonly at: number;
      readonly from: DecimalString | undefined;
      readonly to: DecimalString;
      readonly amount: DecimalString;
      readonly clientOrderId: string | undefined;
    }
  | { readonly type: 'StopWatched'; readonly at: number; readonly reason: StopWatchReason }
  | {
      readonly type: 'TrailingTakeProfitArmed';
      readonly at: number;
      readonly activationPrice: DecimalString;
    }
  | { readonly type: 'TrailingStarted'; readonly at: number; readonly price: DecimalString }
  | { readonly type: 'TakeProfitRejected'; readonly at: number; readonly clientOrderId: string }
  | { readonly type: 'ExitStarted'; readonly at: number; readonly reason: DealCloseReason }
  | { readonly type: 'ExitRejected'; readonly at: number; readonly clientOrderId: string }
  | { readonly type: 'DustRecorded'; readonly at: number; readonly amount: DecimalString }
  /** The exits kept being refused: the deal gave up and closed, the open amount becoming dust. */
  | { readonly type: 'ExitAbandoned'; readonly at: number; readonly reason: string }
  | { readonly type: 'DealClosed'; readonly at: number; readonly reason: DealCloseReason }
  | { readonly type: 'DealFailed'; readonly at: number; readonly reason: DealCloseReason }
  | { readonly type: 'DealCancelled'; readonly at: number };

export interface Deal {
  readonly config: DealConfig;
  readonly status: DealStatus;
  readonly plan: DcaPlan;
  /** Every order the deal ever issued, by client order id. */
  readonly orders: Readonly<Record<string, DealOrderState>>;
  readonly fills: readonly DealFill[];
  readonly events: readonly DealHistoryEvent[];
  readonly stop: DealStop | undefined;
  readonly trailingTakeProfit: TrailingTakeProfitState | undefined;
  readonly trailingStop: TrailingStopState | undefined;
  /**
   * A take-profit the exchange refused: the deal watches its price on price events and exits at
   * market when the price reaches it (undefined while a take-profit order rests, or none is due).
   */
  readonly watchedTakeProfit: DecimalString | undefined;
  /** The single take-profit order resting now (not progressive, not trailing). */
  readonly takeProfitId: string | undefined;
  /** Counter behind every replaceable order's id (-tp, -t<k>r, -sl, -x): ids never repeat. */
  readonly revision: number;
  /** The next safety level to place (1..N; N + 1 when all are placed). */
  readonly nextSafetyLevel: number;
  /** The highest progressive target whose order completed (0 before the first). */
  readonly targetsHit: number;
  /** Why the deal is exiting while it is closing; becomes closeReason once the exit completes. */
  readonly pendingCloseReason: DealCloseReason | undefined;
  readonly closeReason: DealCloseReason | undefined;
  /** Base amount left over at close that no order could sell (below the step or the minimums). */
  readonly dust: DecimalString | undefined;
  readonly openedAt: number;
  readonly closedAt: number | undefined;
  readonly updatedAt: number;
}
