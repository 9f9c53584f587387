// Where a DCA deal exits once filled down to a level: take-profit, trailing activation and
// stop-loss prices, from the average entry (or the base order / base price, as configured).
import Big from 'big.js';
import { type DecimalString, dec } from '../money/decimal.js';
import type { DcaParameters } from './params.js';

/** Exit distances as fractions (percent / 100), worked out once per plan. */
export interface ExitFractions {
  readonly takeProfit: Big;
  readonly trailingActivation: Big | undefined;
  readonly stopLoss: Big | undefined;
}

export interface ExitPrices {
  readonly takeProfit: Big;
  readonly trailingActivation: Big | undefined;
  readonly stopLoss: Big | undefined;
}

/**
 * Exit prices round up to the tick for a long and down for a short, so a take-profit never asks
 * less profit than configured and a stop-loss never risks more loss than configured.
 */
function roundExit(value: Big, side: 'long' | 'short', tickSize: DecimalString | undefined): Big {
  if (tickSize === undefined) return value;
  const tick = dec(tickSize);
  return value
    .div(tick)
    .round(0, side === 'long' ? Big.roundUp : Big.roundDown)
    .times(tick);
}

/**
 * The price at which closing everything earns `fraction` of the whole cost (total: Q(1 ± f)/A, i.e.
 * the average × (1 ± f)) or of the base order's cost (base, 3Commas' take_profit_type "base":
 * (Q ± B·f)/A, i.e. the average ± B·f/A).
 */
function profitPrice(
  fraction: Big,
  params: DcaParameters,
  filled: { readonly average: Big; readonly amount: Big; readonly baseQuote: Big },
): Big {
  const direction = params.side === 'long' ? 1 : -1;
  if (params.takeProfitType === 'total') return filled.average.times(dec(1).plus(fraction.times(direction)));
  return filled.average.plus(filled.baseQuote.times(fraction).div(filled.amount).times(direction));
}

/** The exit prices once filled down to a level; on the tick when one is given. */
export function exitPrices(
  fractions: ExitFractions,
  params: DcaParameters,
  filled: { readonly average: Big; readonly amount: Big; readonly baseQuote: Big; readonly basePrice: Big },
  tickSize: DecimalString | undefined,
): ExitPrices {
  const { side } = params;
  const stopReference = params.stopLossFrom === 'base-price' ? filled.basePrice : filled.average;
  const stopFactor = (f: Big) => dec(1).minus(side === 'long' ? f : f.neg());
  return {
    takeProfit: roundExit(profitPrice(fractions.takeProfit, params, filled), side, tickSize),
    trailingActivation:
      fractions.trailingActivation === undefined
        ? undefined
        : roundExit(profitPrice(fractions.trailingActivation, params, filled), side, tickSize),
    stopLoss:
      fractions.stopLoss === undefined
        ? undefined
        : roundExit(stopReference.times(stopFactor(fractions.stopLoss)), side, tickSize),
  };
}

/** Dividing by 100 always terminates, so the fractions are exact. */
export function exitFractions(params: DcaParameters): ExitFractions {
  const fraction = (percent: DecimalString | undefined) =>
    percent === undefined ? undefined : dec(percent).div(100);
  return {
    takeProfit: dec(params.takeProfitPercent).div(100),
    trailingActivation: fraction(params.trailingTakeProfit?.activationPercent),
    stopLoss: fraction(params.stopLossPercent),
  };
}
