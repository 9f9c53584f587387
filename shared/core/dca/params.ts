// 3Commas-compatible DCA parameters as one zod schema, so HTTP, the CLI and stored bot settings parse
// them alike. The schema also runs every check that needs no price (dcaParameterErrors).
import { z } from 'zod';
import { dcaParameterErrors } from './parameter-checks.js';

// A decimal number written as a string, e.g. "1.5". Its format, sign and range are checked by
// dcaParameterErrors, so each problem is reported once, with the same DCA code whether the parameters
// came through this schema or were built in code.
const decimal = z.string();

const customSafetyStepSchema = z
  .object({
    /** from-base: total deviation from the base price; from-previous: deviation from the previous order. */
    deviationPercent: decimal,
    quote: decimal,
  })
  .strict();

export const dcaParametersSchema = z
  .object({
    side: z.enum(['long', 'short']),
    market: z.enum(['spot', 'futures']).default('spot'),
    /** Futures only; spot must be 1. */
    leverage: z.number().int().min(1).max(125).default(1),
    /** Base order size in quote (USDT). */
    baseOrderQuote: decimal,
    /** First safety order size in quote; required with maxSafetyOrders > 0 unless custom steps. */
    safetyOrderQuote: decimal.optional(),
    /** Price deviation to the first safety order, in %. */
    priceDeviationPercent: decimal.optional(),
    /** Safety order step scale (3Commas martingale_step_coefficient); 1 when absent. */
    stepScale: decimal.optional(),
    /** Safety order volume scale (3Commas martingale_volume_coefficient); 1 when absent. */
    volumeScale: decimal.optional(),
    maxSafetyOrders: z.number().int().min(0).max(200).optional(),
    /** How many safety orders sit on the book at once; all of them when absent. */
    maxActiveSafetyOrders: z.number().int().min(0).max(200).optional(),
    deviationMode: z.enum(['from-base', 'from-previous']).default('from-base'),
    /** Replaces the formula (priceDeviationPercent, scales, safetyOrderQuote, maxSafetyOrders). */
    customSafetySteps: z.array(customSafetyStepSchema).min(1).max(200).optional(),
    takeProfitPercent: decimal,
    /** total: % of the whole position's cost (from the average entry); base: % of the base order's cost. */
    takeProfitType: z.enum(['total', 'base']).default('total'),
    trailingTakeProfit: z
      .object({ activationPercent: decimal, deviationPercent: decimal })
      .strict()
      .optional(),
    stopLossPercent: decimal.optional(),
    stopLossFrom: z.enum(['average-entry', 'base-price']).default('average-entry'),
    /** How long the price must stay past the stop before it closes the position. */
    stopLossTimeoutSeconds: z.number().int().min(0).default(0),
    /** Pause between one deal's close and the next deal on the same symbol. */
    cooldownSeconds: z.number().int().min(0).default(0),
    /** Most quote the plan may need: total for spot, margin (total / leverage) for futures. */
    maxFundsQuote: decimal.optional(),
  })
  .strict()
  .superRefine((params, ctx) => {
    for (const error of dcaParameterErrors(params)) {
      ctx.addIssue({
        code: 'custom',
        message: `${error.code}: ${error.message}`,
        path: error.parameter === undefined ? [] : error.parameter.split('.').map(pathSegment),
      });
    }
  });

function pathSegment(segment: string): string | number {
  return /^\d+$/.test(segment) ? Number(segment) : segment;
}

export type DcaParametersInput = z.input<typeof dcaParametersSchema>;
export type DcaParameters = z.infer<typeof dcaParametersSchema>;
