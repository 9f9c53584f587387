// Progressive take-profit for multi-target signals: how the open amount is split over the targets
// still to come, and where the stop goes after each target fills. Pure functions of the config and
// the amounts; the reducer places and replaces the orders (deal-protection.ts).
import type Big from 'big.js';
import { type DecimalString, dec, floorToStep, str } from '../money/decimal.js';
import { exitOnTick, retraced, sellableAmount } from './deal-exits.js';
import type { DealConfig, ProgressiveTakeProfit, StopMoveMode } from './deal-types.js';

export interface TargetLeg {
  /** 1..n, the target's place in the signal. */
  readonly target: number;
  readonly price: DecimalString;
  readonly amount: Big;
}

/** Target prices on the tick, rounded the way that never asks less profit (long: up). */
export function targetPrice(config: DealConfig, target: number): DecimalString {
  const spec = config.progressive?.targets[target - 1];
  if (spec === undefined) throw new RangeError(`deal ${config.dealId} has no target ${target}`);
  return str(exitOnTick(dec(spec.price), config.params.side, config.rules.tickSize));
}

/**
 * Splits the open amount over targets `from`..n by their weights (even when none are given):
 * each share floored to the step, the last target taking all the rest. A share too small to be
 * an order (below the minimums at its price) rolls into the next target; a final remainder that
 * cannot stand alone joins the last leg that can. No legs when even the whole cannot.
 */
export function splitTargets(config: DealConfig, openAmount: Big, from: number): TargetLeg[] {
  const progressive = config.progressive as ProgressiveTakeProfit;
  const { rules } = config;
  const remaining = progressive.targets.slice(from - 1);
  const total = floorToStep(openAmount, rules.amountStep);
  if (remaining.length === 0 || total.lte(0)) return [];
  const weights = remaining.map((t) => dec(t.weight ?? 1));
  const weightSum = weights.reduce((sum, w) => sum.plus(w), dec(0));
  const legs: TargetLeg[] = [];
  let allotted = dec(0);
  let carry = dec(0);
  remaining.forEach((_, i) => {
    const target = from + i;
    const last = i === remaining.length - 1;
    const share = last
      ? total.minus(allotted)
      : floorToStep(total.times(weights[i] as Big).div(weightSum), rules.amountStep);
    allotted = allotted.plus(share);
    const price = targetPrice(config, target);
    const amount = share.plus(carry);
    if (sellableAmount(amount, dec(price), rules)?.eq(amount)) {
      legs.push({ target, price, amount });
      carry = dec(0);
    } else {
      carry = amount;
    }
  });
  const lastLeg = legs.at(-1);
  if (carry.gt(0) && lastLeg !== undefined) {
    legs[legs.length - 1] = { ...lastLeg, amount: lastLeg.amount.plus(carry) };
  }
  return legs;
}

/**
 * Where the stop belongs once targets 1..`targetsHit` have filled, per the stop-move mode; undefined
 * when the mode leaves it where it is. `breakEven` is the stop at the average entry.
 */
export function movedStopPrice(
  config: DealConfig,
  targetsHit: number,
  breakEven: Big | undefined,
): Big | undefined {
  const mode: StopMoveMode = config.progressive?.stopMove ?? 'none';
  const behind = mode === 'moving-2-target' ? 2 : 1;
  if (mode === 'none' || targetsHit < behind) return undefined;
  if (mode === 'break-even' || targetsHit === behind) return breakEven;
  return dec(targetPrice(config, targetsHit - behind));
}

/** The trailing stop's level `trailingStopPercent` behind the best price, on the tick. */
export function trailingStopLevel(config: DealConfig, best: Big): Big | undefined {
  const percent = config.progressive?.trailingStopPercent;
  if (percent === undefined) return undefined;
  const { side } = config.params;
  return exitOnTick(retraced(side, best, dec(percent)), side, config.rules.tickSize);
}
