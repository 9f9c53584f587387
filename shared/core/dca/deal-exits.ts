// Where a live deal exits, worked out from its actual fills rather than the plan: the take-profit
// and trailing activation from the running average entry, the stop from the average, the base
// order's fill or the signal's price, and what amount an exit can actually sell. Every comparison
// is written once for a long and mirrored for a short through `side`.
import Big from 'big.js';
import { dec, floorToStep } from '../money/decimal.js';
import type { DealLedger } from './deal-figures.js';
import { openAverage } from './deal-figures.js';
import type { DealConfig } from './deal-types.js';
import { exitFractions, exitPrices } from './exit-prices.js';
import type { DcaMarketRules } from './plan.js';

export type Side = 'long' | 'short';

/** True when `a` lies further in the profit direction than `b` (long: higher). */
export function better(side: Side, a: Big, b: Big): boolean {
  return side === 'long' ? a.gt(b) : a.lt(b);
}

/** The price has reached a take-profit level (long: at or above it). */
export function reached(side: Side, price: Big, level: Big): boolean {
  return side === 'long' ? price.gte(level) : price.lte(level);
}

/** The price is at or past a stop (long: at or below it). */
export function beyondStop(side: Side, price: Big, stop: Big): boolean {
  return side === 'long' ? price.lte(stop) : price.gte(stop);
}

/** Of two stops, the one that gives back less (long: the higher). */
export function tighter(side: Side, a: Big, b: Big | undefined): Big {
  return b === undefined || better(side, a, b) ? a : b;
}

/**
 * Exit prices go to the tick as exit-prices.ts rounds them (long: up, short: down), so a target
 * never asks less profit and a stop never risks more loss than configured.
 */
export function exitOnTick(value: Big, side: Side, tickSize: string): Big {
  const tick = dec(tickSize);
  return value
    .div(tick)
    .round(0, side === 'long' ? Big.roundUp : Big.roundDown)
    .times(tick);
}

/** `price` moved against the position by `percent` (long: down): a trailing level. */
export function retraced(side: Side, price: Big, percent: Big): Big {
  const fraction = percent.div(100);
  return price.times(side === 'long' ? dec(1).minus(fraction) : dec(1).plus(fraction));
}

/**
 * What an exit can sell: the open amount floored to the step, or null when that is nothing or
 * below the market's minimum amount or notional at `price` (the remainder is then dust).
 */
export function sellableAmount(openAmount: Big, price: Big | undefined, rules: DcaMarketRules): Big | null {
  const amount = floorToStep(openAmount, rules.amountStep);
  if (amount.lte(0)) return null;
  if (rules.minAmount !== undefined && amount.lt(rules.minAmount)) return null;
  if (price !== undefined && amount.times(price).lt(rules.minNotional)) return null;
  return amount;
}

export interface LiveExitPrices {
  readonly takeProfit: Big;
  readonly trailingActivation: Big | undefined;
  /** From the signal's price, or the parameters' % from the average or the base order. */
  readonly stopLoss: Big | undefined;
  readonly average: Big;
}

/** Exit prices for what is open now; undefined when nothing is. */
export function liveExitPrices(config: DealConfig, ledger: DealLedger): LiveExitPrices | undefined {
  const average = openAverage(ledger);
  if (average === undefined) return undefined;
  const { params, rules } = config;
  const exits = exitPrices(
    exitFractions(params),
    params,
    {
      average,
      amount: ledger.openAmount,
      baseQuote: ledger.baseQuote.gt(0) ? ledger.baseQuote : ledger.openCost,
      basePrice: ledger.basePrice ?? average,
    },
    rules.tickSize,
  );
  return {
    takeProfit: exits.takeProfit,
    trailingActivation: exits.trailingActivation,
    stopLoss: config.stopLossPrice === undefined ? exits.stopLoss : dec(config.stopLossPrice),
    average,
  };
}

/** The stop at the open amount's average entry, on the tick. */
export function breakEvenStop(config: DealConfig, ledger: DealLedger): Big | undefined {
  const average = openAverage(ledger);
  return average === undefined ? undefined : exitOnTick(average, config.params.side, config.rules.tickSize);
}
