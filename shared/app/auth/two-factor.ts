// The second factor: a TOTP code or a single-use recovery code, checked against the user's active
// TOTP record. Login plugs it in after the password, before any session exists; sensitive actions
// (adding an exchange key, changing the password) call `requireSecondFactor`. A code is accepted
// once: its time step is recorded conditionally, so neither a replay nor two concurrent uses of one
// code pass. A recovery code is removed conditionally, and its use audited.
import { Forbidden } from '../../http/errors.js';
import type { UserAuth } from '../../ports/auth-repositories.js';
import type { AuditLog, RateLimiter, RateRule, SecretBox } from '../../ports/security.js';
import type { ActiveTotp, TwoFactorRepository } from '../../ports/two-factor.js';
import { enforceRate } from './rate-rules.js';
import { matchingStep, recoveryCodeHash } from './totp.js';

/** What a request carries for the second factor (at most one of the two; schemas enforce it). */
export interface SecondFactorProof {
  readonly totpCode?: string | undefined;
  readonly recoveryCode?: string | undefined;
}

export type TwoFactorOutcome = 'not-enrolled' | 'totp' | 'recovery-code' | 'required' | 'failed';

export interface TwoFactorStep {
  check(user: UserAuth, proof: SecondFactorProof, now: Date, ip?: string): Promise<TwoFactorOutcome>;
}

/** Without TOTP wiring (tests of login alone): passes users without 2FA, never skips one with it. */
export const passwordOnly: TwoFactorStep = {
  check: async (user) => (user.totpEnabled ? 'required' : 'not-enrolled'),
};

/** The sealed secret's context: bound to the user, and to this purpose only. */
export const totpSecretContext = (userId: string) => ({ userId, purpose: 'totp' });

/**
 * Code checks outside login (confirming, disabling, sensitive actions), per user: with a stolen
 * access token, 5 guesses per 15 minutes. Login counts its attempts in the account lockout instead.
 */
export const SECOND_FACTOR_RATE_RULE = {
  name: 'second-factor-user',
  limit: 5,
  windowSeconds: 15 * 60,
} as const satisfies RateRule;

export const SECOND_FACTOR_TOO_MANY = {
  code: 'TOTP.TOO_MANY_ATTEMPTS',
  message: 'Too many second-factor attempts; try again later',
} as const;

export interface SecondFactorDeps {
  readonly totp: TwoFactorRepository;
  readonly secretBox: SecretBox;
  readonly audit: AuditLog;
}

/**
 * Checks the proof against an active record: 'totp' or 'recovery-code' when it passed (and was used
 * up), 'required' when there was none, 'failed' when it was wrong, replayed or already used.
 */
export async function verifySecondFactor(
  deps: SecondFactorDeps,
  record: ActiveTotp,
  proof: SecondFactorProof,
  now: Date,
  ip?: string,
): Promise<'totp' | 'recovery-code' | 'required' | 'failed'> {
  const { userId } = record;
  if (proof.totpCode !== undefined) {
    const secret = await deps.secretBox.open(record.secret, totpSecretContext(userId));
    const step = matchingStep(secret, proof.totpCode, now);
    // A step at or before the last accepted one is a replay (or an older code): refused, and the
    // conditional write refuses it too when two requests race with the same code.
    if (step === null || step <= record.lastUsedStep) return 'failed';
    return (await deps.totp.markStepUsed(userId, step)) ? 'totp' : 'failed';
  }
  if (proof.recoveryCode !== undefined) {
    const hash = recoveryCodeHash(proof.recoveryCode);
    if (hash === null || !(await deps.totp.consumeRecoveryCode(userId, hash))) return 'failed';
    await deps.audit.append({
      userId,
      type: 'totp.recovery-code-used',
      at: now.toISOString(),
      actor: 'user',
      ...(ip === undefined ? {} : { ip }),
      details: { codesLeft: Math.max(0, record.recoveryCodesLeft - 1) },
    });
    return 'recovery-code';
  }
  return 'required';
}

/** Login's second-factor step on the TOTP records. */
export function totpLoginStep(deps: SecondFactorDeps): TwoFactorStep {
  return {
    async check(user, proof, now, ip) {
      if (!user.totpEnabled) return 'not-enrolled';
      const record = await deps.totp.get(user.userId);
      // The credentials say 2FA is on but no active factor is stored: fail closed, never skip.
      if (record?.status !== 'active') {
        return proof.totpCode === undefined && proof.recoveryCode === undefined ? 'required' : 'failed';
      }
      return verifySecondFactor(deps, record, proof, now, ip);
    },
  };
}

export const TWO_FACTOR_REQUIRED = {
  code: 'AUTH.TWO_FACTOR_REQUIRED',
  message: 'A second-factor code (authenticator or recovery code) is required',
} as const;

export const INVALID_SECOND_FACTOR = {
  code: 'AUTH.INVALID_SECOND_FACTOR',
  message: 'The second-factor code is wrong, expired or already used',
} as const;

export interface RequireSecondFactorDeps extends SecondFactorDeps {
  readonly limiter: RateLimiter;
}

/**
 * The step-up check of a sensitive action by a signed-in user: passes when 2FA is off or the proof
 * is valid (and uses it up); otherwise 403 AUTH.TWO_FACTOR_REQUIRED (nothing given) or 403
 * AUTH.INVALID_SECOND_FACTOR (wrong, replayed, used), and 429 after too many attempts. 403, not 401:
 * the access token is fine, the action asks for more.
 */
export async function requireSecondFactor(
  deps: RequireSecondFactorDeps,
  userId: string,
  proof: SecondFactorProof,
  now: Date,
  ip?: string,
): Promise<TwoFactorOutcome> {
  const record = await deps.totp.get(userId);
  if (record?.status !== 'active') return 'not-enrolled';
  if (proof.totpCode === undefined && proof.recoveryCode === undefined) {
    throw new Forbidden(TWO_FACTOR_REQUIRED.code, TWO_FACTOR_REQUIRED.message);
  }
  await enforceRate(deps.limiter, SECOND_FACTOR_RATE_RULE, userId, now, SECOND_FACTOR_TOO_MANY);
  const outcome = await verifySecondFactor(deps, record, proof, now, ip);
  if (outcome === 'required' || outcome === 'failed') {
    throw new Forbidden(INVALID_SECOND_FACTOR.code, INVALID_SECOND_FACTOR.message);
  }
  await deps.limiter.reset(SECOND_FACTOR_RATE_RULE, userId, now);
  return outcome;
}
