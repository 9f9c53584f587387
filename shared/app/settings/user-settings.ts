// A trader's settings: DCA defaults, risk limits, take-profit mode, symbol lists, auto-trade, the
// per-user kill switch and notification preferences. One document per user, replaced whole and
// versioned: an update names the version it was based on, so two tabs cannot silently overwrite
// each other (409 instead). Every change is audited; the kill switch gets its own event. With 2FA
// on, an update that raises risk (risk-changes.ts) needs a fresh second factor.
import { z } from 'zod';
import { dcaParametersSchema } from '../../core/dca/params.js';
import { AppError } from '../../http/errors.js';
import type { AuditLog } from '../../ports/security.js';
import type { SecondFactorProof, TwoFactorOutcome } from '../auth/two-factor.js';
import { describeRiskChanges, type RiskRaisingChange, riskRaisingChanges } from './risk-changes.js';

const positiveDecimal = z
  .string()
  .regex(/^\d{1,12}(\.\d{1,8})?$/, 'a positive decimal, e.g. "250" or "12.5"')
  .refine((v) => Number(v) > 0, 'must be above zero');
const symbol = z
  .string()
  .regex(/^[A-Z0-9]{2,12}\/[A-Z0-9]{2,12}(:[A-Z0-9]{2,12})?$/, 'a symbol like "BTC/USDT"');

export const userSettingsSchema = z
  .object({
    dcaDefaults: dcaParametersSchema,
    risk: z
      .object({
        /** Open positions at once across all accounts; the product's default is 50. */
        maxOpenPositions: z.number().int().min(1).max(500),
        maxQuotePerPosition: positiveDecimal.optional(),
        dailyLossLimitQuote: positiveDecimal.optional(),
      })
      .strict(),
    takeProfitMode: z.enum(['single', 'progressive']),
    symbols: z
      .object({
        /** Empty: every symbol a signal names may be traded (minus the blacklist). */
        whitelist: z.array(symbol).max(500),
        blacklist: z.array(symbol).max(500),
      })
      .strict()
      .refine((s) => !s.whitelist.some((x) => s.blacklist.includes(x)), {
        message: 'a symbol cannot be on both lists',
        path: ['blacklist'],
      }),
    autoTrade: z.boolean(),
    /** Stops all new trading for this user at once, whatever the accounts say. */
    killSwitch: z.boolean(),
    notifications: z.object({ email: z.boolean(), push: z.boolean(), telegram: z.boolean() }).strict(),
  })
  .strict();

export type UserSettings = z.infer<typeof userSettingsSchema>;

export const DEFAULT_SETTINGS: UserSettings = userSettingsSchema.parse({
  dcaDefaults: {
    side: 'long',
    baseOrderQuote: '10',
    safetyOrderQuote: '20',
    priceDeviationPercent: '1',
    stepScale: '1.2',
    volumeScale: '1.5',
    maxSafetyOrders: 5,
    takeProfitPercent: '1.5',
  },
  risk: { maxOpenPositions: 50 },
  takeProfitMode: 'single',
  symbols: { whitelist: [], blacklist: [] },
  autoTrade: false,
  killSwitch: false,
  notifications: { email: true, push: true, telegram: false },
});

export interface StoredSettings {
  readonly settings: UserSettings;
  /** 0 until the user first saves; each save adds one. */
  readonly version: number;
  readonly updatedAt: string | null;
}

export interface SettingsRepository {
  get(userId: string): Promise<StoredSettings | null>;
  /** Stores `settings` as version expectedVersion + 1 if the stored version is still `expectedVersion`. */
  replace(
    userId: string,
    settings: UserSettings,
    expectedVersion: number,
    at: string,
  ): Promise<StoredSettings>;
}

export class SettingsVersionConflict extends Error {
  override readonly name = 'SettingsVersionConflict';
  constructor(readonly currentVersion: number) {
    super(`the settings changed since version you edited (now version ${currentVersion})`);
  }
}

export async function getSettings(repository: SettingsRepository, userId: string): Promise<StoredSettings> {
  return (await repository.get(userId)) ?? { settings: DEFAULT_SETTINGS, version: 0, updatedAt: null };
}

/** The top-level sections whose content differs, in the schema's order. */
export function changedSections(before: UserSettings, after: UserSettings): string[] {
  return (Object.keys(userSettingsSchema.shape) as (keyof UserSettings)[]).filter(
    (section) => JSON.stringify(before[section]) !== JSON.stringify(after[section]),
  );
}

/**
 * The step-up check (requireSecondFactor of two-factor.ts, through secondFactorCheckFor in the
 * function): resolves 'not-enrolled' when the user has no 2FA, 'totp' / 'recovery-code' when the
 * proof passed (and is used up); throws 403 AUTH.TWO_FACTOR_REQUIRED / AUTH.INVALID_SECOND_FACTOR,
 * or 429 after too many attempts in the per-user second-factor limiter the other step-ups share.
 */
export type SettingsSecondFactorCheck = (
  userId: string,
  proof: SecondFactorProof,
  now: Date,
  ip: string,
) => Promise<TwoFactorOutcome>;

export interface UpdateSettingsDeps {
  readonly settings: SettingsRepository;
  readonly audit: AuditLog;
  /** Required, not defaulted: a wiring that forgot it must not compile rather than skip the check. */
  readonly secondFactor: SettingsSecondFactorCheck;
}

export interface SettingsUpdate extends SecondFactorProof {
  readonly expectedVersion: number;
  readonly settings: UserSettings;
}

export async function updateSettings(
  deps: UpdateSettingsDeps,
  userId: string,
  update: SettingsUpdate,
  context: { readonly at: string; readonly ip: string },
): Promise<StoredSettings> {
  const before = await getSettings(deps.settings, userId);
  // The version first: a stale save fails anyway, and must not use up the code (a TOTP step is
  // accepted once, the next is up to 30 s away) nor count in the attempt limiter. It also makes the
  // risk comparison below run against the very version the conditional write replaces.
  if (before.version !== update.expectedVersion) throw new SettingsVersionConflict(before.version);
  const sections = changedSections(before.settings, update.settings);
  if (sections.length === 0) return before;
  const raising = riskRaisingChanges(before.settings, update.settings);
  // Only risk-raising saves ask; a code sent along with any other save is ignored, not checked, so
  // a wrong or stale code can never stand between a trader and the kill switch.
  const secondFactor =
    raising.length === 0 ? 'not-asked' : await stepUp(deps, userId, update, raising, context);
  const stored = await deps.settings.replace(userId, update.settings, update.expectedVersion, context.at);
  await deps.audit.append({
    userId,
    type: 'settings.changed',
    at: context.at,
    actor: 'user',
    ip: context.ip,
    details: {
      sections: sections.join(','),
      version: stored.version,
      ...(raising.length === 0 ? {} : { riskRaising: [...new Set(raising.map((c) => c.field))].join(',') }),
      // Which kind of factor passed, never the code: 'totp' or 'recovery-code'.
      ...(secondFactor === 'totp' || secondFactor === 'recovery-code' ? { secondFactor } : {}),
    },
  });
  if (before.settings.killSwitch !== update.settings.killSwitch) {
    await deps.audit.append({
      userId,
      type: 'kill-switch.changed',
      at: context.at,
      actor: 'user',
      ip: context.ip,
      details: { on: update.settings.killSwitch },
    });
  }
  return stored;
}

/** The second factor for a risk-raising save; its 403 names what needs the code. */
async function stepUp(
  deps: UpdateSettingsDeps,
  userId: string,
  update: SettingsUpdate,
  raising: readonly RiskRaisingChange[],
  context: { readonly at: string; readonly ip: string },
): Promise<TwoFactorOutcome> {
  const proof = { totpCode: update.totpCode, recoveryCode: update.recoveryCode };
  try {
    return await deps.secondFactor(userId, proof, new Date(context.at), context.ip);
  } catch (error) {
    if (error instanceof AppError && error.status === 403) {
      throw new AppError(
        403,
        error.code,
        `${error.message}: this update raises trading risk (${describeRiskChanges(raising)})`,
        { riskRaisingChanges: raising },
      );
    }
    throw error;
  }
}
