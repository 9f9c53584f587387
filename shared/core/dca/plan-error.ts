// The one error a DCA plan can fail with: a stable code for callers to branch on, a message that
// names the parameter or level at fault, and those names as fields for forms that point at them.

export type DcaPlanErrorCode =
  | 'DCA.INVALID_PARAMETER'
  | 'DCA.NEGATIVE_SIZE'
  | 'DCA.LEVEL_PRICE_NOT_POSITIVE'
  | 'DCA.EXIT_PRICE_NOT_POSITIVE'
  | 'DCA.LEVELS_NOT_DISTINCT'
  | 'DCA.BELOW_MIN_NOTIONAL'
  | 'DCA.BELOW_MIN_AMOUNT'
  | 'DCA.FUNDS_EXCEED_LIMIT';

export class DcaPlanError extends Error {
  override readonly name = 'DcaPlanError';
  /** The parameter at fault, as a path into DcaParameters, e.g. "customSafetySteps.2.quote". */
  readonly parameter: string | undefined;
  /** The level at fault: 0 is the base order, 1..N the safety orders. */
  readonly level: number | undefined;

  constructor(
    readonly code: DcaPlanErrorCode,
    message: string,
    where: { readonly parameter?: string; readonly level?: number } = {},
  ) {
    super(message);
    this.parameter = where.parameter;
    this.level = where.level;
  }
}
