// Checks on a deal's configuration beyond the DCA parameters (planDca checks those): the deal id
// that every client order id derives from, the signal's stop price and its progressive targets.
// Same error type and codes as the plan, so callers handle one kind of error.
import { type DecimalString, dec, isDecimalString } from '../money/decimal.js';
import { DEAL_ID_PATTERN, MAX_TARGETS } from './deal-orders.js';
import type { DealConfig } from './deal-types.js';
import { DcaPlanError } from './plan-error.js';

function invalid(parameter: string, message: string): DcaPlanError {
  return new DcaPlanError('DCA.INVALID_PARAMETER', message, { parameter });
}

const positiveDecimal = (value: DecimalString) => isDecimalString(value) && dec(value).gt(0);

function targetErrors(config: DealConfig): DcaPlanError[] {
  const progressive = config.progressive;
  if (progressive === undefined) return [];
  const { targets } = progressive;
  const errors: DcaPlanError[] = [];
  if (targets.length === 0 || targets.length > MAX_TARGETS) {
    errors.push(
      invalid('progressive.targets', `between 1 and ${MAX_TARGETS} targets, got ${targets.length}`),
    );
  }
  const sign = config.params.side === 'long' ? 1 : -1;
  targets.forEach((target, i) => {
    const where = `progressive.targets.${i}`;
    if (!positiveDecimal(target.price)) {
      errors.push(
        invalid(`${where}.price`, `a target price must be a decimal above zero, got "${target.price}"`),
      );
      return;
    }
    if (target.weight !== undefined && !(Number.isFinite(target.weight) && target.weight > 0)) {
      errors.push(invalid(`${where}.weight`, `a target weight must be above zero, got ${target.weight}`));
    }
    const previous = targets[i - 1];
    if (previous !== undefined && positiveDecimal(previous.price)) {
      if (dec(target.price).minus(previous.price).times(sign).lte(0)) {
        errors.push(
          invalid(
            `${where}.price`,
            `targets must be in the order they are reached: ${target.price} after ${previous.price}`,
          ),
        );
      }
    }
  });
  const trailing = progressive.trailingStopPercent;
  if (trailing !== undefined && !(positiveDecimal(trailing) && dec(trailing).lt(100))) {
    errors.push(
      invalid('progressive.trailingStopPercent', `must be above 0 and below 100, got "${trailing}"`),
    );
  }
  return errors;
}

/** Every problem with the deal's own fields; planDca reports the parameters' problems. */
export function dealConfigErrors(config: DealConfig, basePrice: DecimalString): DcaPlanError[] {
  const errors: DcaPlanError[] = [];
  if (!DEAL_ID_PATTERN.test(config.dealId)) {
    errors.push(invalid('dealId', `a deal id is 1 to 24 characters of [A-Za-z0-9-], got "${config.dealId}"`));
  }
  const stop = config.stopLossPrice;
  if (stop !== undefined) {
    if (!positiveDecimal(stop)) {
      errors.push(invalid('stopLossPrice', `the stop price must be a decimal above zero, got "${stop}"`));
    } else if (positiveDecimal(basePrice)) {
      const sign = config.params.side === 'long' ? 1 : -1;
      if (dec(basePrice).minus(stop).times(sign).lte(0)) {
        errors.push(
          invalid(
            'stopLossPrice',
            `a ${config.params.side} stop at ${stop} is not on the loss side of ${basePrice}`,
          ),
        );
      }
    }
  }
  return [...errors, ...targetErrors(config)];
}
