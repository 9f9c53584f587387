// Decimal arithmetic for money and quantities. Values at rest are decimal strings; maths goes
// through big.js so no amount ever passes through a binary float.
import Big from 'big.js';

/** A decimal number written as a string, e.g. "0.00125". */
export type DecimalString = string;

const DECIMAL = /^-?(?:\d+)(?:\.\d+)?$/;

export function isDecimalString(value: string): boolean {
  return DECIMAL.test(value);
}

export function dec(value: DecimalString | number | Big): Big {
  return new Big(value);
}

/** Rounds down to a multiple of `step` (an exchange's amount step): never more than asked for. */
export function floorToStep(value: Big, step: DecimalString): Big {
  const s = dec(step);
  return value.div(s).round(0, Big.roundDown).times(s);
}

/** The smallest multiple of `step` at or above `value` (a positive value). */
export function ceilToStep(value: Big, step: DecimalString): Big {
  const floored = floorToStep(value, step);
  return floored.eq(value) ? floored : floored.plus(step);
}

/** Rounds to a multiple of `tick`, half up (an exchange's price tick). */
export function roundToTick(value: Big, tick: DecimalString): Big {
  const t = dec(tick);
  return value.div(t).round(0, Big.roundHalfUp).times(t);
}

/** Canonical string form: no exponent, no trailing zeros. */
export function str(value: Big): DecimalString {
  const fixed = value.toFixed();
  return fixed.includes('.') ? fixed.replace(/0+$/, '').replace(/\.$/, '') : fixed;
}
