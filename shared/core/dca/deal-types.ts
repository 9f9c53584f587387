// The vocabulary of a DCA deal: its configuration, the commands it issues to an exchange and the
// events it reacts to. The deal itself is a pure reducer (deal.ts): live execution, demo trading
// and the backtester feed it events and carry out its commands, so all three trade the same way.
import type { DecimalString } from '../money/decimal.js';
import type { PositionStatus } from '../positions/position.js';
import type { DcaParameters } from './params.js';
import type { DcaMarketRules } from './plan.js';

/** What happens to the stop after each progressive target fills. */
export type StopMoveMode =
  /** The stop stays where it was. */
  | 'none'
  /** After the first target, the stop moves to the average entry (break-even); then stays. */
  | 'break-even'
  /** After TP1 to break-even, after each later target to the previous target's price. */
  | 'moving-target'
  /** As moving-target, but one step further behind: after TPn the stop goes to TP(n−2) (break-even after TP2). */
  | 'moving-2-target';

export interface ProgressiveTakeProfit {
  /** Targets in the order they are reached; weights default to an even split of the position. */
  readonly targets: readonly { readonly price: DecimalString; readonly weight?: number }[];
  readonly stopMove: StopMoveMode;
  /** Optional trailing stop distance in %, active once the first target has filled. */
  readonly trailingStopPercent?: DecimalString;
}

export interface DealConfig {
  /** Stable id; every client order id derives from it, so a replay issues the same ids. */
  readonly dealId: string;
  readonly symbol: string;
  readonly params: DcaParameters;
  readonly rules: DcaMarketRules;
  /** From a multi-target signal: replaces the single take-profit of `params`. */
  readonly progressive?: ProgressiveTakeProfit;
  /** From the signal: an explicit stop price that overrides `params.stopLossPercent`. */
  readonly stopLossPrice?: DecimalString;
}

export type DealOrderKind = 'base' | 'safety' | 'take-profit' | 'stop-loss' | 'exit';

export interface DealOrder {
  /** ≤ 36 characters of [A-Za-z0-9-]: valid on Binance, Bybit, Phemex and Kraken Futures. */
  readonly clientOrderId: string;
  readonly kind: DealOrderKind;
  /** Safety order level (1..N) or progressive target index (1..n); absent for the others. */
  readonly level?: number;
  readonly side: 'buy' | 'sell';
  readonly orderType: 'market' | 'limit' | 'stop-market';
  readonly amount?: DecimalString;
  /** Market buys by quote (the base order). */
  readonly quoteAmount?: DecimalString;
  readonly price?: DecimalString;
  readonly triggerPrice?: DecimalString;
  /**
   * Set on every exit-side order (take-profits, targets, stops, market exits): on futures an exit
   * that fires after the position is gone must never open a reverse one. A spot venue may ignore it.
   */
  readonly reduceOnly?: boolean;
}

export type DealCommand =
  | { readonly type: 'place'; readonly order: DealOrder }
  | { readonly type: 'cancel'; readonly clientOrderId: string };

/** Times are epoch milliseconds (the backtester works in numbers; adapters convert). */
export type DealEvent =
  | {
      readonly type: 'filled';
      readonly clientOrderId: string;
      /** A fill seen twice (same trade id) is applied once. */
      readonly tradeId: string;
      readonly price: DecimalString;
      readonly amount: DecimalString;
      readonly cost: DecimalString;
      readonly fee: DecimalString;
      /**
       * What the fee was charged in; 'quote' when absent. Binance spot charges a buy's fee in the
       * base asset: the position then holds the amount less the fee.
       */
      readonly feeCurrency?: 'quote' | 'base';
      readonly at: number;
      /** True when this fill completed the order (false for a partial fill). */
      readonly orderDone: boolean;
    }
  | { readonly type: 'cancelled'; readonly clientOrderId: string; readonly at: number }
  | {
      readonly type: 'rejected';
      readonly clientOrderId: string;
      readonly reason: string;
      readonly at: number;
    }
  /** A price observation (tick or bar close): drives trailing take-profit/stop and timeouts. */
  | { readonly type: 'price'; readonly price: DecimalString; readonly at: number }
  /** Auto-stop, kill switch or a user: close the deal at market now. */
  | { readonly type: 'close-requested'; readonly reason: string; readonly at: number };

export type DealCloseReason =
  | 'take-profit'
  | 'trailing-take-profit'
  | 'stop-loss'
  | 'stop-loss-timeout'
  | 'progressive-complete'
  | 'requested'
  | 'base-order-rejected';

export interface DealStep<TDeal> {
  readonly deal: TDeal;
  readonly commands: readonly DealCommand[];
}

export type { PositionStatus as DealStatus };
