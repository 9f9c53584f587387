// Checks on DCA parameters that need no price: signs, ranges, how fields fit together, whether a
// long's ladder reaches zero, and the funds limit. Returns every problem; planDca throws the first.
import type Big from 'big.js';
import { type DecimalString, dec, isDecimalString, str } from '../money/decimal.js';
import type { DcaParameters } from './params.js';
import { DcaPlanError } from './plan-error.js';
import { safetyOrderCount, safetySteps } from './safety-steps.js';

const FORMULA_FIELDS = ['safetyOrderQuote', 'priceDeviationPercent', 'stepScale', 'volumeScale'] as const;

function invalid(parameter: string, message: string): DcaPlanError {
  return new DcaPlanError('DCA.INVALID_PARAMETER', message, { parameter });
}

function decimalEntries(params: DcaParameters): Array<readonly [string, DecimalString]> {
  const entries: Array<readonly [string, DecimalString | undefined]> = [
    ['baseOrderQuote', params.baseOrderQuote],
    ['takeProfitPercent', params.takeProfitPercent],
    ['stopLossPercent', params.stopLossPercent],
    ['maxFundsQuote', params.maxFundsQuote],
    ['trailingTakeProfit.activationPercent', params.trailingTakeProfit?.activationPercent],
    ['trailingTakeProfit.deviationPercent', params.trailingTakeProfit?.deviationPercent],
    ...FORMULA_FIELDS.map((field) => [field, params[field]] as const),
    ...(params.customSafetySteps ?? []).flatMap((step, i) => [
      [`customSafetySteps.${i}.deviationPercent`, step.deviationPercent] as const,
      [`customSafetySteps.${i}.quote`, step.quote] as const,
    ]),
  ];
  return entries.flatMap(([name, value]) => (value === undefined ? [] : [[name, value] as const]));
}

function wholeNumberErrors(params: DcaParameters): DcaPlanError[] {
  const fields: Array<readonly [string, number | undefined, number]> = [
    ['leverage', params.leverage, 1],
    ['maxSafetyOrders', params.maxSafetyOrders, 0],
    ['maxActiveSafetyOrders', params.maxActiveSafetyOrders, 0],
    ['stopLossTimeoutSeconds', params.stopLossTimeoutSeconds, 0],
    ['cooldownSeconds', params.cooldownSeconds, 0],
  ];
  return fields.flatMap(([name, value, min]) =>
    value === undefined || (Number.isInteger(value) && value >= min)
      ? []
      : [invalid(name, `${name} must be a whole number ≥ ${min}, got ${value}`)],
  );
}

function sizeErrors(params: DcaParameters): DcaPlanError[] {
  const errors: DcaPlanError[] = [];
  const base = dec(params.baseOrderQuote);
  if (base.lt(0)) {
    errors.push(
      new DcaPlanError('DCA.NEGATIVE_SIZE', `baseOrderQuote ${params.baseOrderQuote} is negative`, {
        parameter: 'baseOrderQuote',
        level: 0,
      }),
    );
  } else if (base.eq(0)) {
    errors.push(invalid('baseOrderQuote', 'baseOrderQuote must be greater than zero'));
  }
  if (params.market === 'spot' && params.leverage !== 1) {
    errors.push(
      invalid('leverage', `spot trades without leverage: leverage must be 1, got ${params.leverage}`),
    );
  }
  return errors;
}

function positive(value: DecimalString | undefined, name: string, errors: DcaPlanError[]): void {
  if (value !== undefined && dec(value).lte(0))
    errors.push(invalid(name, `${name} must be greater than zero`));
}

function customStepErrors(params: DcaParameters, steps: NonNullable<DcaParameters['customSafetySteps']>) {
  const errors: DcaPlanError[] = [];
  for (const field of FORMULA_FIELDS) {
    if (params[field] !== undefined) {
      errors.push(
        invalid(field, `${field} cannot be combined with customSafetySteps, which replace the formula`),
      );
    }
  }
  if (params.maxSafetyOrders !== undefined && params.maxSafetyOrders !== steps.length) {
    errors.push(
      invalid(
        'maxSafetyOrders',
        `maxSafetyOrders ${params.maxSafetyOrders} contradicts the ${steps.length} customSafetySteps`,
      ),
    );
  }
  let previous: Big | undefined;
  steps.forEach((step, i) => {
    const quote = dec(step.quote);
    const where = { parameter: `customSafetySteps.${i}.quote`, level: i + 1 };
    if (quote.lt(0)) {
      errors.push(
        new DcaPlanError(
          'DCA.NEGATIVE_SIZE',
          `customSafetySteps[${i}].quote ${step.quote} is negative`,
          where,
        ),
      );
    } else if (quote.eq(0)) {
      errors.push(invalid(where.parameter, `customSafetySteps[${i}].quote must be greater than zero`));
    }
    const deviation = dec(step.deviationPercent);
    const name = `customSafetySteps.${i}.deviationPercent`;
    if (deviation.lte(0)) {
      errors.push(invalid(name, `customSafetySteps[${i}].deviationPercent must be greater than zero`));
    } else if (params.deviationMode === 'from-base' && previous !== undefined && deviation.lte(previous)) {
      // From the base, each deviation is a total: a step that does not go further would sit on or
      // before its predecessor and fill out of order.
      errors.push(
        invalid(
          name,
          `customSafetySteps[${i}].deviationPercent ${step.deviationPercent} must exceed the previous step's ${str(previous)} (from-base deviations are totals)`,
        ),
      );
    }
    previous = deviation;
  });
  return errors;
}

function formulaErrors(params: DcaParameters): DcaPlanError[] {
  const errors: DcaPlanError[] = [];
  const count = params.maxSafetyOrders ?? 0;
  if (params.safetyOrderQuote !== undefined && dec(params.safetyOrderQuote).lt(0)) {
    errors.push(
      new DcaPlanError('DCA.NEGATIVE_SIZE', `safetyOrderQuote ${params.safetyOrderQuote} is negative`, {
        parameter: 'safetyOrderQuote',
      }),
    );
  } else if (count > 0) {
    if (params.safetyOrderQuote === undefined) {
      errors.push(invalid('safetyOrderQuote', `safetyOrderQuote is required with maxSafetyOrders ${count}`));
    }
    positive(params.safetyOrderQuote, 'safetyOrderQuote', errors);
  }
  if (count > 0 && params.priceDeviationPercent === undefined) {
    errors.push(
      invalid('priceDeviationPercent', `priceDeviationPercent is required with maxSafetyOrders ${count}`),
    );
  }
  positive(params.priceDeviationPercent, 'priceDeviationPercent', errors);
  positive(params.stepScale, 'stepScale', errors);
  positive(params.volumeScale, 'volumeScale', errors);
  return errors;
}

/** A long's safety order at 100 % or more below its reference would have a price at or below zero. */
function ladderReachesZero(params: DcaParameters): DcaPlanError[] {
  if (params.side === 'short') return [];
  const reference = params.deviationMode === 'from-base' ? 'the base price' : 'the previous safety order';
  const step = safetySteps(params).find((s) => s.deviationPercent.gte(100));
  if (step === undefined) return [];
  return [
    new DcaPlanError(
      'DCA.LEVEL_PRICE_NOT_POSITIVE',
      `safety order ${step.index} sits ${str(step.deviationPercent)}% below ${reference}: its price would be at or below zero`,
      { parameter: step.parameter, level: step.index },
    ),
  ];
}

function exitErrors(params: DcaParameters): DcaPlanError[] {
  const errors: DcaPlanError[] = [];
  const short = params.side === 'short';
  positive(params.takeProfitPercent, 'takeProfitPercent', errors);
  if (short && dec(params.takeProfitPercent).gte(100)) {
    errors.push(
      new DcaPlanError(
        'DCA.EXIT_PRICE_NOT_POSITIVE',
        `a short's take-profit ${params.takeProfitPercent}% below the entry is at or below zero`,
        { parameter: 'takeProfitPercent' },
      ),
    );
  }
  const trailing = params.trailingTakeProfit;
  if (trailing !== undefined) {
    positive(trailing.activationPercent, 'trailingTakeProfit.activationPercent', errors);
    positive(trailing.deviationPercent, 'trailingTakeProfit.deviationPercent', errors);
    // 3Commas' rule: a trail wider than its activation could close the deal below its entry.
    if (dec(trailing.deviationPercent).gte(trailing.activationPercent)) {
      errors.push(
        invalid(
          'trailingTakeProfit.deviationPercent',
          `trailing deviation ${trailing.deviationPercent}% must be smaller than its activation ${trailing.activationPercent}%`,
        ),
      );
    }
    if (short && dec(trailing.activationPercent).gte(100)) {
      errors.push(
        new DcaPlanError(
          'DCA.EXIT_PRICE_NOT_POSITIVE',
          `a short's trailing activation ${trailing.activationPercent}% below the entry is at or below zero`,
          { parameter: 'trailingTakeProfit.activationPercent' },
        ),
      );
    }
  }
  if (params.stopLossPercent === undefined) {
    if (params.stopLossTimeoutSeconds > 0) {
      errors.push(invalid('stopLossTimeoutSeconds', 'stopLossTimeoutSeconds needs a stopLossPercent'));
    }
  } else {
    positive(params.stopLossPercent, 'stopLossPercent', errors);
    if (!short && dec(params.stopLossPercent).gte(100)) {
      errors.push(
        new DcaPlanError(
          'DCA.EXIT_PRICE_NOT_POSITIVE',
          `a long's stop-loss ${params.stopLossPercent}% below its reference is at or below zero`,
          { parameter: 'stopLossPercent' },
        ),
      );
    }
  }
  return errors;
}

/** The configured (unrounded) sizes; rounding to the market only ever lowers them. */
function fundsErrors(params: DcaParameters): DcaPlanError[] {
  if (params.maxFundsQuote === undefined) return [];
  const limit = dec(params.maxFundsQuote);
  if (limit.lte(0)) return [invalid('maxFundsQuote', 'maxFundsQuote must be greater than zero')];
  const total = safetySteps(params).reduce((sum, s) => sum.plus(s.quote), dec(params.baseOrderQuote));
  const needed = total.div(params.leverage);
  if (needed.lte(limit)) return [];
  const what = params.leverage === 1 ? 'in total' : `as margin (${str(total)} at ${params.leverage}×)`;
  return [
    new DcaPlanError(
      'DCA.FUNDS_EXCEED_LIMIT',
      `the plan needs ${str(needed)} quote ${what} but maxFundsQuote is ${params.maxFundsQuote}`,
      { parameter: 'maxFundsQuote' },
    ),
  ];
}

export function dcaParameterErrors(params: DcaParameters): DcaPlanError[] {
  const malformed = decimalEntries(params).filter(([, value]) => !isDecimalString(value));
  const notWhole = wholeNumberErrors(params);
  if (malformed.length > 0 || notWhole.length > 0) {
    // Nothing numeric can be checked on values that are not numbers.
    return [
      ...malformed.map(([name, value]) =>
        invalid(name, `${name} must be a decimal number written as a string, got "${value}"`),
      ),
      ...notWhole,
    ];
  }
  const sizeAndLadder = [
    ...sizeErrors(params),
    ...(params.customSafetySteps === undefined
      ? formulaErrors(params)
      : customStepErrors(params, params.customSafetySteps)),
  ];
  const count = safetyOrderCount(params);
  if (params.maxActiveSafetyOrders !== undefined && params.maxActiveSafetyOrders > count) {
    sizeAndLadder.push(
      invalid(
        'maxActiveSafetyOrders',
        `maxActiveSafetyOrders ${params.maxActiveSafetyOrders} exceeds the ${count} safety orders`,
      ),
    );
  }
  // The ladder and funds figures mean nothing while the sizes or steps themselves are wrong.
  const dependent = sizeAndLadder.length > 0 ? [] : [...ladderReachesZero(params), ...fundsErrors(params)];
  return [...sizeAndLadder, ...exitErrors(params), ...dependent];
}
