// A DCA deal's whole ladder from its parameters and base price: every order's price and size, and
// what the position looks like (average entry, take-profit, stop-loss) once filled down to each level.
// Sums and products are exact; divisions (amount, average) carry big.js's 20 decimal places. Nothing
// else is rounded unless market rules are given: then safety prices go to the tick (half up),
// amounts down to the step, and exit prices to the tick on the safe side (see exit-prices.ts).
import type Big from 'big.js';
import { type DecimalString, dec, floorToStep, isDecimalString, roundToTick, str } from '../money/decimal.js';
import { type ExitPrices, exitFractions, exitPrices } from './exit-prices.js';
import { dcaParameterErrors } from './parameter-checks.js';
import type { DcaParameters } from './params.js';
import { DcaPlanError } from './plan-error.js';
import { safetySteps } from './safety-steps.js';

/** The market's precision and limits, as ccxt reports them. */
export interface DcaMarketRules {
  readonly tickSize: DecimalString;
  readonly amountStep: DecimalString;
  readonly minNotional: DecimalString;
  readonly minAmount?: DecimalString;
}

export interface DcaLevel {
  /** 0 is the base order, 1..N the safety orders in the order they fill. */
  readonly index: number;
  readonly kind: 'base' | 'safety';
  /** Total deviation of the level's unrounded price from the base price, in %. */
  readonly deviationPercent: DecimalString;
  /** The base order's is the base price as given (a market fill or the caller's limit price). */
  readonly price: DecimalString;
  /** The order's cost in quote: its configured size, or amount × price once rounded to the market. */
  readonly quote: DecimalString;
  /** Base amount: quote / price, floored to the amount step when market rules are given. */
  readonly amount: DecimalString;
  readonly cumulativeQuote: DecimalString;
  readonly cumulativeAmount: DecimalString;
  /** cumulativeQuote / cumulativeAmount: the average entry once every order down to here filled. */
  readonly averageEntry: DecimalString;
  readonly takeProfitPrice: DecimalString;
  readonly trailingActivationPrice?: DecimalString;
  readonly stopLossPrice?: DecimalString;
}

export interface DcaPlan {
  readonly side: 'long' | 'short';
  readonly market: 'spot' | 'futures';
  readonly leverage: number;
  readonly basePrice: DecimalString;
  readonly levels: readonly DcaLevel[];
  readonly maxActiveSafetyOrders: number;
  /** Funds the whole ladder needs: the sum of every order's quote. */
  readonly totalQuote: DecimalString;
  /** totalQuote / leverage: what a futures account must hold as margin; equals totalQuote on spot. */
  readonly marginQuote: DecimalString;
  /** The deepest level's deviation from the base price, in %. */
  readonly maxDeviationPercent: DecimalString;
}

export type DcaPlanResult =
  | { readonly ok: true; readonly plan: DcaPlan }
  | { readonly ok: false; readonly error: DcaPlanError };

function positiveExit(value: Big, what: string, level: number): DecimalString {
  if (value.lte(0)) {
    throw new DcaPlanError(
      'DCA.EXIT_PRICE_NOT_POSITIVE',
      `the ${what} at level ${level} rounds to ${str(value)}`,
      {
        level,
      },
    );
  }
  return str(value);
}

function exitFields(exits: ExitPrices, level: number) {
  return {
    takeProfitPrice: positiveExit(exits.takeProfit, 'take-profit', level),
    ...(exits.trailingActivation === undefined
      ? {}
      : { trailingActivationPrice: positiveExit(exits.trailingActivation, 'trailing activation', level) }),
    ...(exits.stopLoss === undefined
      ? {}
      : { stopLossPrice: positiveExit(exits.stopLoss, 'stop-loss', level) }),
  };
}

/** Every level must have a price above zero and lie further from the entry than the one before. */
function checkLevelPrice(
  order: { readonly index: number; readonly price: Big; readonly deviation: Big },
  previousPrice: Big | undefined,
  side: 'long' | 'short',
): void {
  const { index, price } = order;
  if (price.lte(0)) {
    throw new DcaPlanError(
      'DCA.LEVEL_PRICE_NOT_POSITIVE',
      `safety order ${index}: price ${str(price)} at a ${str(order.deviation)}% deviation is not above zero`,
      { level: index },
    );
  }
  if (
    previousPrice !== undefined &&
    (side === 'long' ? price.gte(previousPrice) : price.lte(previousPrice))
  ) {
    throw new DcaPlanError(
      'DCA.LEVELS_NOT_DISTINCT',
      `safety order ${index} at ${str(price)} is not beyond level ${index - 1} at ${str(previousPrice)}: the deviation is too small for the tick`,
      { level: index },
    );
  }
}

function orderSize(
  index: number,
  price: Big,
  quote: Big,
  rules: DcaMarketRules | undefined,
): { readonly amount: Big; readonly quote: Big } {
  if (rules === undefined) return { amount: quote.div(price), quote };
  const amount = floorToStep(quote.div(price), rules.amountStep);
  const notional = amount.times(price);
  const what = index === 0 ? 'the base order' : `safety order ${index}`;
  if (rules.minAmount !== undefined && amount.lt(rules.minAmount)) {
    throw new DcaPlanError(
      'DCA.BELOW_MIN_AMOUNT',
      `${what}: amount ${str(amount)} at ${str(price)} is below the market's minimum ${rules.minAmount}`,
      { level: index },
    );
  }
  if (amount.eq(0) || notional.lt(rules.minNotional)) {
    throw new DcaPlanError(
      'DCA.BELOW_MIN_NOTIONAL',
      `${what}: ${str(quote)} quote buys ${str(amount)} at ${str(price)}, worth ${str(notional)}, below the minimum notional ${rules.minNotional}`,
      { level: index },
    );
  }
  return { amount, quote: notional };
}

/** Safety prices before rounding, with each one's total deviation from the base price. */
function rawSafetyPrices(params: DcaParameters, base: Big) {
  const direction = params.side === 'long' ? -1 : 1;
  let previous = base;
  return safetySteps(params).map((step) => {
    const factor = dec(1).plus(step.deviationPercent.times(direction).div(100));
    // from-previous chains on the unrounded previous price, so tick rounding never compounds.
    const price = (params.deviationMode === 'from-base' ? base : previous).times(factor);
    previous = price;
    const deviation =
      params.deviationMode === 'from-base'
        ? step.deviationPercent
        : price.minus(base).abs().div(base).times(100);
    return { index: step.index, price, deviation, quote: step.quote };
  });
}

function checkPriceInput(name: string, value: DecimalString | undefined, zeroAllowed: boolean): void {
  if (value === undefined) return;
  if (isDecimalString(value) && (zeroAllowed ? dec(value).gte(0) : dec(value).gt(0))) return;
  throw new DcaPlanError(
    'DCA.INVALID_PARAMETER',
    `${name} must be a decimal ${zeroAllowed ? 'of at least' : 'greater than'} zero, got "${value}"`,
    { parameter: name },
  );
}

function checkPriceInputs(basePrice: DecimalString, rules: DcaMarketRules | undefined): void {
  checkPriceInput('basePrice', basePrice, false);
  checkPriceInput('tickSize', rules?.tickSize, false);
  checkPriceInput('amountStep', rules?.amountStep, false);
  checkPriceInput('minNotional', rules?.minNotional, true);
  checkPriceInput('minAmount', rules?.minAmount, true);
}

/** Builds the plan; throws DcaPlanError naming the parameter or level at fault. */
export function planDca(params: DcaParameters, basePrice: DecimalString, rules?: DcaMarketRules): DcaPlan {
  const [first] = dcaParameterErrors(params);
  if (first !== undefined) throw first;
  checkPriceInputs(basePrice, rules);
  const base = dec(basePrice);
  const side = params.side;
  const fractions = exitFractions(params);
  const orders = [
    { index: 0, price: base, deviation: dec(0), quote: dec(params.baseOrderQuote) },
    ...rawSafetyPrices(params, base).map((order) => ({
      ...order,
      price: rules === undefined ? order.price : roundToTick(order.price, rules.tickSize),
    })),
  ];
  const levels: DcaLevel[] = [];
  let cumulativeQuote = dec(0);
  let cumulativeAmount = dec(0);
  let baseQuote = dec(0);
  let previousPrice: Big | undefined;
  for (const order of orders) {
    const { index, price } = order;
    checkLevelPrice(order, previousPrice, side);
    previousPrice = price;
    const size = orderSize(index, price, order.quote, rules);
    if (index === 0) baseQuote = size.quote;
    cumulativeQuote = cumulativeQuote.plus(size.quote);
    cumulativeAmount = cumulativeAmount.plus(size.amount);
    // A single fill's average is its price; dividing back through an amount rounded to 20 places
    // would drift in the last digit.
    const average = index === 0 ? price : cumulativeQuote.div(cumulativeAmount);
    const filled = { average, amount: cumulativeAmount, baseQuote, basePrice: base };
    levels.push({
      index,
      kind: index === 0 ? 'base' : 'safety',
      deviationPercent: str(order.deviation),
      price: str(price),
      quote: str(size.quote),
      amount: str(size.amount),
      cumulativeQuote: str(cumulativeQuote),
      cumulativeAmount: str(cumulativeAmount),
      averageEntry: str(average),
      ...exitFields(exitPrices(fractions, params, filled, rules?.tickSize), index),
    });
  }
  const safetyCount = orders.length - 1;
  return {
    side,
    market: params.market,
    leverage: params.leverage,
    basePrice,
    levels,
    maxActiveSafetyOrders: params.maxActiveSafetyOrders ?? safetyCount,
    totalQuote: str(cumulativeQuote),
    marginQuote: str(cumulativeQuote.div(params.leverage)),
    maxDeviationPercent: str(orders[safetyCount]?.deviation ?? dec(0)),
  };
}

/** planDca as a value: the engine and the backtester branch on the result instead of catching. */
export function tryPlanDca(
  params: DcaParameters,
  basePrice: DecimalString,
  rules?: DcaMarketRules,
): DcaPlanResult {
  try {
    return { ok: true, plan: planDca(params, basePrice, rules) };
  } catch (error) {
    if (error instanceof DcaPlanError) return { ok: false, error };
    throw error;
  }
}
