// A market's rules as exact numbers, parsed once per engine rather than per order, with shortcuts
// for the usual power-of-ten steps and ticks (a digit count instead of a big.js division).
import Big from 'big.js';
import { dec, floorToStep, str } from '../money/decimal.js';
import type { PaperEngineError, PaperMarket } from './engine-types.js';

export interface MarketNumbers {
  readonly market: PaperMarket;
  readonly step: Big;
  /** Decimal places of the step when it is 1, 0.1, 0.01…; null for steps like 0.5 or 10. */
  readonly stepPlaces: number | null;
  readonly tick: Big | null;
  readonly tickPlaces: number | null;
  readonly minAmount: Big;
  readonly minNotional: Big;
}

/** Digits after the point of an exact decimal. */
function places(value: Big): number {
  return Math.max(0, value.c.length - value.e - 1);
}

function powerOfTenPlaces(value: Big): number | null {
  return value.c.length === 1 && value.c[0] === 1 && value.e <= 0 ? -value.e : null;
}

export function marketNumbers(market: PaperMarket): MarketNumbers {
  const step = dec(market.rules.amountStep);
  const tick = market.priceTick === undefined ? null : dec(market.priceTick);
  return {
    market,
    step,
    stepPlaces: powerOfTenPlaces(step),
    tick,
    tickPlaces: tick === null ? null : powerOfTenPlaces(tick),
    minAmount: dec(market.rules.minAmount),
    minNotional: dec(market.rules.minNotional),
  };
}

/** Rounds an amount down to the step: never more than asked for (or than the funds allow). */
export function floorAmount(value: Big, m: MarketNumbers): Big {
  if (m.stepPlaces === null) return floorToStep(value, m.market.rules.amountStep);
  return places(value) <= m.stepPlaces ? value : value.round(m.stepPlaces, Big.roundDown);
}

/** Its own constructor: a division that rounds down to a set number of places, exactly. */
const Truncating = Big();
Truncating.RM = Big.roundDown;

/**
 * floor(numerator / denominator) to the step, for positive values. With a power-of-ten step the
 * division stops at the step's places, rounding down (exact and much faster than dividing to
 * 20 places and flooring, which could also round a 0.…9999 quotient up past the step).
 */
export function floorQuotient(numerator: Big, denominator: Big, m: MarketNumbers): Big {
  if (m.stepPlaces === null) return floorToStep(numerator.div(denominator), m.market.rules.amountStep);
  Truncating.DP = m.stepPlaces;
  // All big.js constructors share one prototype: dec() copies the result back to the default one.
  return dec(new Truncating(numerator).div(denominator));
}

/** True when a price is not a multiple of the market's tick (a market without a tick takes any). */
export function offTick(price: Big | null, m: MarketNumbers): boolean {
  if (price === null || m.tick === null) return false;
  if (m.tickPlaces !== null) return places(price) > m.tickPlaces;
  return !price.mod(m.tick).eq(0);
}

/** Minimum amount and notional, checked where the price is known. */
export function sizeProblem(amount: Big, price: Big, m: MarketNumbers): PaperEngineError | null {
  if (amount.c[0] === 0 || amount.lt(m.minAmount)) {
    return {
      code: 'min-notional',
      message: `amount ${str(amount)} is below the minimum ${str(m.minAmount)}`,
    };
  }
  const notional = amount.times(price);
  if (notional.lt(m.minNotional)) {
    return {
      code: 'min-notional',
      message: `order value ${str(notional)} is below the minimum notional ${str(m.minNotional)}`,
    };
  }
  return null;
}
