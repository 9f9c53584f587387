// What auto-stop reads and decides: the rule settings (one zod schema, for config and HTTP), the
// plain snapshot of one user's trading it evaluates, and the shape of its decisions.
import { z } from 'zod';
import { type DecimalString, dec, isDecimalString } from '../money/decimal.js';

/** An instant as an ISO-8601 string or epoch milliseconds. */
export type Instant = string | number;

const positiveDecimal = z
  .string()
  .refine((v) => isDecimalString(v) && dec(v).gt(0), 'must be a decimal greater than zero, e.g. "50"');

export const autoStopRulesSchema = z
  .object({
    positionTimeoutSeconds: z.number().int().positive().optional(),
    /** Loss of one position, as % of its margin (cost / leverage) or in quote; either trips. */
    maxLossPerPosition: z
      .object({ percent: positiveDecimal.optional(), quote: positiveDecimal.optional() })
      .strict()
      .optional(),
    /** Realized loss over the current UTC day, in quote: pauses entries until the next UTC midnight. */
    dailyLossLimitQuote: positiveDecimal.optional(),
    /** Drop of equity from its peak, in %: pauses entries until a person resumes them. */
    maxDrawdown: z
      .object({ percent: positiveDecimal, closePositions: z.boolean().default(false) })
      .strict()
      .optional(),
    /** This many losing trades in a row pause entries for coolDownSeconds after the last one. */
    consecutiveLosses: z
      .object({ count: z.number().int().positive(), coolDownSeconds: z.number().int().positive() })
      .strict()
      .optional(),
  })
  .strict();

export type AutoStopRulesInput = z.input<typeof autoStopRulesSchema>;
export type AutoStopRules = z.infer<typeof autoStopRulesSchema>;

export interface OpenPositionRisk {
  readonly positionId: string;
  readonly symbol: string;
  readonly openedAt: Instant;
  /** What the entries cost, in quote (average entry × open amount). */
  readonly costQuote: DecimalString;
  readonly leverage: number;
  /** Marked to the current price, net of fees paid; negative is a loss. */
  readonly unrealizedPnlQuote: DecimalString;
}

export interface ClosedTrade {
  readonly closedAt: Instant;
  /** Negative is a loss. */
  readonly realizedPnlQuote: DecimalString;
}

export interface KillSwitch {
  readonly engaged: boolean;
  /** Also close what is open, not only stop opening. */
  readonly closePositions: boolean;
  readonly reason?: string;
}

export interface AutoStopSnapshot {
  readonly openPositions: readonly OpenPositionRisk[];
  readonly closedTrades: readonly ClosedTrade[];
  /** The account's equity over time (any order); points after `now` are ignored. */
  readonly equity: readonly { readonly at: Instant; readonly equityQuote: DecimalString }[];
  readonly userKillSwitch?: KillSwitch;
  readonly globalKillSwitch?: KillSwitch;
}

export type AutoStopRuleName =
  | 'POSITION_TIMEOUT'
  | 'MAX_LOSS_PER_POSITION'
  | 'DAILY_LOSS_LIMIT'
  | 'MAX_DRAWDOWN'
  | 'CONSECUTIVE_LOSSES'
  | 'USER_KILL_SWITCH'
  | 'GLOBAL_KILL_SWITCH';

export interface RuleFired {
  readonly rule: AutoStopRuleName;
  readonly code: `AUTO_STOP.${AutoStopRuleName}`;
  readonly reason: string;
}

export interface PositionToClose {
  readonly positionId: string;
  readonly symbol: string;
  /** Every rule that wants it closed. */
  readonly rules: readonly RuleFired[];
}

export interface EntryPause extends RuleFired {
  /** ISO instant entries may resume; null until a person resumes them. */
  readonly until: string | null;
}

export type EntryDecision =
  | { readonly paused: false }
  | {
      readonly paused: true;
      /** The latest resume instant over all pauses; null while any lasts until a person resumes. */
      readonly until: string | null;
      readonly pauses: readonly EntryPause[];
    };

export interface AutoStopDecision {
  readonly close: readonly PositionToClose[];
  readonly entries: EntryDecision;
}

export class AutoStopInputError extends Error {
  override readonly name = 'AutoStopInputError';
  readonly code = 'AUTO_STOP.INVALID_INSTANT';
}
