// Password change by the signed-in user: the current password (counted in the account's login
// lockout, so a stolen access token buys no extra guesses), the second factor when 2FA is on, the
// policy for the new one, then the new hash, written only over the hash just checked.
//
// Answer: 204, and EVERY session of the user is revoked, the caller's own included, so the client
// logs in again with the new password. Chosen over handing this device a fresh pair: whoever made
// the change necessary may hold any of the sessions, "every" then has no exception to get wrong,
// and the function needs no token-signing key. Access tokens already issued run out within 15
// minutes (they are not checked against sessions), as after logout everywhere.
import { checkPasswordPolicy } from '../../core/security/password-policy.js';
import { Conflict, Forbidden, Unauthorized, ValidationError } from '../../http/errors.js';
import type { SessionRepository, UserAuth, UserAuthRepository } from '../../ports/auth-repositories.js';
import type { Clock } from '../../ports/clock.js';
import type { AuditLog, PasswordHasher, RateLimiter } from '../../ports/security.js';
import { emailRateKey, enforceRate, RATE_RULES } from './rate-rules.js';
import { type SecondFactorProof, TWO_FACTOR_REQUIRED } from './two-factor.js';

/**
 * SEAM FOR 2FA (the TOTP work wires it in functions/api/auth/change-password.ts, e.g. with
 * `requireSecondFactor` of two-factor.ts): the step-up check of this sensitive action. It resolves
 * when the user has no 2FA or the proof passes (using the code up), and throws otherwise (403
 * AUTH.TWO_FACTOR_REQUIRED / AUTH.INVALID_SECOND_FACTOR, 429 after too many attempts). It runs after
 * the current password was accepted, so a wrong password uses up no code.
 */
export type SecondFactorGate = (
  user: UserAuth,
  proof: SecondFactorProof,
  now: Date,
  ip: string,
) => Promise<unknown>;

/** Until the gate is wired: users without 2FA pass; a user with 2FA on is refused, never let through. */
export const secondFactorNotWired: SecondFactorGate = async (user) => {
  if (user.totpEnabled) throw new Forbidden(TWO_FACTOR_REQUIRED.code, TWO_FACTOR_REQUIRED.message);
};

export interface ChangePasswordDeps {
  readonly users: UserAuthRepository;
  readonly sessions: SessionRepository;
  readonly hasher: PasswordHasher;
  readonly limiter: RateLimiter;
  readonly audit: AuditLog;
  readonly clock: Clock;
  /** Default: secondFactorNotWired (see the seam above). */
  readonly secondFactor?: SecondFactorGate;
}

export interface ChangePasswordInput extends SecondFactorProof {
  readonly currentPassword: string;
  readonly newPassword: string;
}

export const WRONG_CURRENT_PASSWORD = {
  code: 'AUTH.INVALID_PASSWORD',
  message: 'The current password is wrong',
} as const;

/** The same refusal as login's lockout: it is the same count. */
const ACCOUNT_LOCKED = {
  code: 'AUTH.LOCKED',
  message: 'Too many failed attempts for this account; try again later',
} as const;

export async function changePassword(
  deps: ChangePasswordDeps,
  userId: string,
  input: ChangePasswordInput,
  request: { readonly ip: string },
): Promise<{ readonly revokedSessions: number }> {
  const now = deps.clock.now();
  const at = now.toISOString();
  const user = await deps.users.get(userId);
  // A valid token for a user who is gone: the token is what is wrong.
  if (!user) throw new Unauthorized('AUTH.INVALID_TOKEN', 'The access token is missing, expired or invalid');
  if (user.status !== 'active') throw new Forbidden('AUTH.ACCOUNT_DISABLED', 'This account is disabled');

  // Before anything is counted: a weak new password is a typing matter, not a guess.
  const problems = checkPasswordPolicy(input.newPassword, { email: user.email });
  if (input.newPassword === input.currentPassword) {
    problems.push('the new password must differ from the current one');
  }
  if (problems.length > 0) {
    throw new ValidationError(
      'PASSWORD.TOO_WEAK',
      'The new password does not meet the password policy',
      problems.map((message) => ({ path: 'newPassword', message })),
    );
  }

  const accountKey = emailRateKey(user.email);
  const attempt = await enforceRate(deps.limiter, RATE_RULES.loginAccount, accountKey, now, ACCOUNT_LOCKED);
  if (!(await deps.hasher.verify(input.currentPassword, user.passwordHash))) {
    await recordWrongPassword(deps, userId, at, request.ip, attempt.remaining);
    throw new Unauthorized(WRONG_CURRENT_PASSWORD.code, WRONG_CURRENT_PASSWORD.message);
  }
  const proof = { totpCode: input.totpCode, recoveryCode: input.recoveryCode };
  await (deps.secondFactor ?? secondFactorNotWired)(user, proof, now, request.ip);

  const passwordHash = await deps.hasher.hash(input.newPassword);
  // Only over the hash just checked: a reset or another change in between wins, this one retries.
  if (!(await deps.users.setPasswordHash(userId, passwordHash, at, { expectedHash: user.passwordHash }))) {
    throw new Conflict('PASSWORD.CHANGED_MEANWHILE', 'The password changed meanwhile; try again');
  }
  await deps.limiter.reset(RATE_RULES.loginAccount, accountKey, now);
  // After the write: a login with the old password can no longer start a session that would survive.
  const revokedSessions = await deps.sessions.revokeAll(userId, at, 'password-changed');
  await deps.audit.append({
    userId,
    type: 'password.changed',
    at,
    actor: 'user',
    ip: request.ip,
    details: { revokedSessions, secondFactor: user.totpEnabled },
  });
  return { revokedSessions };
}

/** As login audits a wrong password (same lockout); the failure that uses up the allowance locks. */
async function recordWrongPassword(
  deps: ChangePasswordDeps,
  userId: string,
  at: string,
  ip: string,
  attemptsLeft: number,
): Promise<void> {
  await deps.audit.append({
    userId,
    type: 'login.failed',
    at,
    actor: 'user',
    ip,
    details: { reason: 'wrong-password', during: 'password-change', attemptsLeft },
  });
  if (attemptsLeft === 0) {
    await deps.audit.append({
      userId,
      type: 'login.locked',
      at,
      actor: 'system',
      ip,
      details: { windowSeconds: RATE_RULES.loginAccount.windowSeconds },
    });
  }
}
