// Which parts of a settings update let the platform put more of the trader's money at risk. With
// 2FA on, those need a fresh second factor (see updateSettings); everything else — lowering a
// limit, turning the kill switch on, notifications, the take-profit mode — never does, so a trader
// (or whoever helps them) can always stop trading quickly. The platform never withdraws, so these
// are the "withdrawal-relevant" settings of the accounts issue. Pure: no I/O, no clock.
import type Big from 'big.js';
import type { DcaParameters } from '../../core/dca/params.js';
import { safetySteps } from '../../core/dca/safety-steps.js';
import { dec, str } from '../../core/money/decimal.js';
import type { UserSettings } from './user-settings.js';

export interface RiskRaisingChange {
  /** The setting's path in the document, e.g. "risk.maxOpenPositions". */
  readonly field: string;
  /** What happened to it, e.g. "raised from 50 to 80". */
  readonly change: string;
}

/** At most this many symbols are named per list change; the rest are counted. */
const SYMBOLS_NAMED = 5;

/**
 * The risk-raising changes from `before` to `after`, in document order; empty when the update only
 * lowers risk or is neutral. Rules:
 * - killSwitch turned off; autoTrade turned on;
 * - risk.maxOpenPositions raised; risk.maxQuotePerPosition / risk.dailyLossLimitQuote raised or
 *   removed (no limit is the most a limit can be raised);
 * - dcaDefaults (the money of one deal): baseOrderQuote, leverage raised; the formula's
 *   safetyOrderQuote, maxSafetyOrders, volumeScale raised (absent: 0, 0, 1 — what the plan uses);
 *   when either side uses customSafetySteps, which replace the formula, the safety orders' total
 *   quote raised; stopLossPercent widened or removed (a deal may lose more before it is stopped);
 * - symbols: whitelist entries added while it was non-empty, or the whitelist emptied (empty means
 *   every symbol); blacklist entries removed.
 * Neutral by choice: side, market (leverage is what a futures deal adds, and it is covered), the
 * take-profit and trailing figures (they change when a deal closes, not what it may spend),
 * maxFundsQuote (a check of the sizes above, which are compared themselves), maxActiveSafetyOrders
 * (when orders rest on the book, not how much they spend).
 */
export function riskRaisingChanges(before: UserSettings, after: UserSettings): RiskRaisingChange[] {
  const changes: RiskRaisingChange[] = [];
  changes.push(...dcaChanges(before.dcaDefaults, after.dcaDefaults));

  if (after.risk.maxOpenPositions > before.risk.maxOpenPositions) {
    changes.push(raised('risk.maxOpenPositions', before.risk.maxOpenPositions, after.risk.maxOpenPositions));
  }
  for (const limit of ['maxQuotePerPosition', 'dailyLossLimitQuote'] as const) {
    const change = limitChange(before.risk[limit], after.risk[limit]);
    if (change) changes.push({ field: `risk.${limit}`, change });
  }

  changes.push(...symbolChanges(before.symbols, after.symbols));
  if (!before.autoTrade && after.autoTrade) changes.push({ field: 'autoTrade', change: 'turned on' });
  if (before.killSwitch && !after.killSwitch) changes.push({ field: 'killSwitch', change: 'turned off' });
  return changes;
}

/** One line naming every change, for the 403's message. */
export function describeRiskChanges(changes: readonly RiskRaisingChange[]): string {
  return changes.map((c) => `${c.field} ${c.change}`).join('; ');
}

function dcaChanges(before: DcaParameters, after: DcaParameters): RiskRaisingChange[] {
  const changes: RiskRaisingChange[] = [];
  const higher = (field: string, from: string, to: string) => {
    if (dec(to).gt(dec(from))) changes.push(raised(`dcaDefaults.${field}`, from, to));
  };
  higher('baseOrderQuote', before.baseOrderQuote, after.baseOrderQuote);
  if (before.customSafetySteps === undefined && after.customSafetySteps === undefined) {
    higher('safetyOrderQuote', before.safetyOrderQuote ?? '0', after.safetyOrderQuote ?? '0');
    higher('maxSafetyOrders', String(before.maxSafetyOrders ?? 0), String(after.maxSafetyOrders ?? 0));
    higher('volumeScale', before.volumeScale ?? '1', after.volumeScale ?? '1');
  } else {
    // Custom steps on either side: the per-field formula comparison means nothing, the total does.
    higher('safetyOrders', str(safetyTotal(before)), str(safetyTotal(after)));
  }
  higher('leverage', String(before.leverage), String(after.leverage));
  const stopLoss = limitChange(before.stopLossPercent, after.stopLossPercent);
  if (stopLoss) changes.push({ field: 'dcaDefaults.stopLossPercent', change: stopLoss });
  return changes;
}

function safetyTotal(params: DcaParameters): Big {
  return safetySteps(params).reduce((sum, step) => sum.plus(step.quote), dec(0));
}

/** A limit where absent means none: raising it or removing it raises risk; adding one lowers it. */
function limitChange(before: string | undefined, after: string | undefined): string | null {
  if (before === undefined) return null;
  if (after === undefined) return `removed (was ${before}, now no limit)`;
  return dec(after).gt(dec(before)) ? `raised from ${before} to ${after}` : null;
}

function symbolChanges(before: UserSettings['symbols'], after: UserSettings['symbols']): RiskRaisingChange[] {
  const changes: RiskRaisingChange[] = [];
  // An empty whitelist allows every symbol: from empty, any list narrows; to empty, it widens.
  if (before.whitelist.length > 0) {
    if (after.whitelist.length === 0) {
      changes.push({ field: 'symbols.whitelist', change: 'emptied (every symbol may be traded)' });
    } else {
      const added = after.whitelist.filter((s) => !before.whitelist.includes(s));
      if (added.length > 0) changes.push({ field: 'symbols.whitelist', change: `added ${named(added)}` });
    }
  }
  const removed = before.blacklist.filter((s) => !after.blacklist.includes(s));
  if (removed.length > 0) changes.push({ field: 'symbols.blacklist', change: `removed ${named(removed)}` });
  return changes;
}

function named(symbols: readonly string[]): string {
  const shown = symbols.slice(0, SYMBOLS_NAMED).join(', ');
  const more = symbols.length - SYMBOLS_NAMED;
  return more > 0 ? `${shown} and ${more} more` : shown;
}

function raised(field: string, from: string | number, to: string | number): RiskRaisingChange {
  return { field, change: `raised from ${from} to ${to}` };
}
