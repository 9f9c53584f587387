// The safety-order ladder before any price is known: each order's deviation and quote size, from
// the 3Commas formula or from an explicit list of custom steps.
import type Big from 'big.js';
import { dec } from '../money/decimal.js';
import type { DcaParameters } from './params.js';

export interface SafetyStep {
  /** 1..N */
  readonly index: number;
  /**
   * from-base: the total deviation of this order from the base price, in %;
   * from-previous: its deviation from the previous order's price, in %.
   */
  readonly deviationPercent: Big;
  readonly quote: Big;
  /** Where the numbers came from, to name in an error. */
  readonly parameter: string;
}

/** How many safety orders the parameters describe. */
export function safetyOrderCount(params: DcaParameters): number {
  return params.customSafetySteps?.length ?? params.maxSafetyOrders ?? 0;
}

/**
 * Safety order i (1..N) deviates by dev × ss^(i−1) from its predecessor and costs SO × vs^(i−1);
 * from the base that sums to dev × (1 + ss + … + ss^(i−1)). Only products and sums: exact in big.js.
 */
export function safetySteps(params: DcaParameters): SafetyStep[] {
  if (params.customSafetySteps !== undefined) {
    return params.customSafetySteps.map((step, i) => ({
      index: i + 1,
      deviationPercent: dec(step.deviationPercent),
      quote: dec(step.quote),
      parameter: `customSafetySteps.${i}`,
    }));
  }
  const count = params.maxSafetyOrders ?? 0;
  const stepScale = dec(params.stepScale ?? '1');
  const volumeScale = dec(params.volumeScale ?? '1');
  let stepDeviation = dec(params.priceDeviationPercent ?? '0');
  let quote = dec(params.safetyOrderQuote ?? '0');
  let totalDeviation = dec(0);
  const steps: SafetyStep[] = [];
  for (let index = 1; index <= count; index++) {
    totalDeviation = totalDeviation.plus(stepDeviation);
    steps.push({
      index,
      deviationPercent: params.deviationMode === 'from-base' ? totalDeviation : stepDeviation,
      quote,
      parameter: 'priceDeviationPercent',
    });
    stepDeviation = stepDeviation.times(stepScale);
    quote = quote.times(volumeScale);
  }
  return steps;
}
