// Login: rate limits and lockout, CAPTCHA, password, then a new session (an access token and the
// first refresh token of a new family). An unknown email and a wrong password get the same 401 after
// the same work (a dummy hash is checked when there is no user); whether the address is verified or
// disabled is told only to someone who knows the password. With 2FA on, the password alone does not
// clear the lockout count: only a passing second factor does, so wrong codes count towards it.
import { Forbidden, Unauthorized, ValidationError } from '../../http/errors.js';
import type { SessionRepository, UserAuth, UserAuthRepository } from '../../ports/auth-repositories.js';
import type { Clock } from '../../ports/clock.js';
import type { AuditLog, CaptchaVerifier, PasswordHasher, RateLimiter } from '../../ports/security.js';
import type { AccessTokenIssuer } from '../access-tokens.js';
import { normaliseEmail } from './auth-requests.js';
import { newOpaqueToken } from './opaque-tokens.js';
import { emailRateKey, enforceRate, RATE_RULES, TOO_MANY } from './rate-rules.js';
import { startSession, type TokenPair } from './session-tokens.js';
import {
  INVALID_SECOND_FACTOR,
  passwordOnly,
  TWO_FACTOR_REQUIRED,
  type TwoFactorStep,
} from './two-factor.js';

export interface LoginDeps {
  readonly users: UserAuthRepository;
  readonly sessions: SessionRepository;
  readonly hasher: PasswordHasher;
  readonly limiter: RateLimiter;
  readonly captcha: CaptchaVerifier;
  readonly audit: AuditLog;
  readonly clock: Clock;
  readonly accessTokens: AccessTokenIssuer;
  /** A hash of a random password, checked when the email is unknown (see dummyPasswordHash). */
  readonly dummyHash: () => Promise<string>;
  /** The second factor (TOTP in the function); default: password only, refusing users with 2FA on. */
  readonly twoFactor?: TwoFactorStep;
}

export interface LoginInput {
  readonly email: string;
  readonly password: string;
  readonly captcha: string;
  /** The second factor when 2FA is on: a code from the authenticator app, or a recovery code. */
  readonly totpCode?: string | undefined;
  readonly recoveryCode?: string | undefined;
  readonly ip: string;
}

export const INVALID_CREDENTIALS = {
  code: 'AUTH.INVALID_CREDENTIALS',
  message: 'The email or the password is wrong',
} as const;

/**
 * Starts hashing a random password right away (at cold start), so the first unknown-email login
 * does not pay for it and answer measurably slower than a wrong password.
 */
export function dummyPasswordHash(hasher: PasswordHasher): () => Promise<string> {
  const pending = hasher.hash(newOpaqueToken());
  pending.catch(() => undefined); // surfaced when awaited, never as an unhandled rejection
  return () => pending;
}

export async function login(deps: LoginDeps, input: LoginInput): Promise<TokenPair> {
  const now = deps.clock.now();
  const at = now.toISOString();
  await enforceRate(deps.limiter, RATE_RULES.loginIp, input.ip, now, TOO_MANY);
  if (!(await deps.captcha.verify(input.captcha, now))) {
    throw new ValidationError('CAPTCHA.INVALID', 'The CAPTCHA solution is missing, wrong, expired or used');
  }
  const email = normaliseEmail(input.email);
  const accountKey = emailRateKey(email);
  // Every attempt on an address counts, known or not; a correct password clears the count. So the
  // attempt after the 5th failure in the window is refused, for real and made-up addresses alike.
  const attempt = await enforceRate(deps.limiter, RATE_RULES.loginAccount, accountKey, now, {
    code: 'AUTH.LOCKED',
    message: 'Too many failed attempts for this account; try again later',
  });

  const user = await deps.users.findByEmail(email);
  let passwordOk = false;
  if (user) passwordOk = await deps.hasher.verify(input.password, user.passwordHash);
  else await deps.hasher.verify(input.password, await deps.dummyHash()); // the same work, result unused
  if (!user || !passwordOk) {
    if (user) await recordFailure(deps, user, at, input.ip, attempt.remaining, 'wrong-password');
    throw new Unauthorized(INVALID_CREDENTIALS.code, INVALID_CREDENTIALS.message);
  }
  if (!user.totpEnabled) await deps.limiter.reset(RATE_RULES.loginAccount, accountKey, now);

  if (user.status !== 'active') {
    await deps.audit.append({
      userId: user.userId,
      type: 'login.failed',
      at,
      actor: 'user',
      ip: input.ip,
      details: { reason: user.status === 'unverified' ? 'email-not-verified' : 'account-disabled' },
    });
    if (user.status === 'unverified') {
      throw new Forbidden(
        'AUTH.EMAIL_NOT_VERIFIED',
        'Confirm your email address first (see the mail we sent)',
      );
    }
    throw new Forbidden('AUTH.ACCOUNT_DISABLED', 'This account is disabled');
  }

  const proof = { totpCode: input.totpCode, recoveryCode: input.recoveryCode };
  const secondFactor = await (deps.twoFactor ?? passwordOnly).check(user, proof, now, input.ip);
  // Both refusals leave this attempt counted in the lockout (the count was not cleared above).
  if (secondFactor === 'required') {
    throw new Unauthorized(TWO_FACTOR_REQUIRED.code, TWO_FACTOR_REQUIRED.message);
  }
  if (secondFactor === 'failed') {
    await recordFailure(deps, user, at, input.ip, attempt.remaining, 'wrong-second-factor');
    throw new Unauthorized(INVALID_SECOND_FACTOR.code, INVALID_SECOND_FACTOR.message);
  }
  if (user.totpEnabled) await deps.limiter.reset(RATE_RULES.loginAccount, accountKey, now);

  const { pair, session } = await startSession(deps, user.userId, now);
  await deps.audit.append({
    userId: user.userId,
    type: 'login.succeeded',
    at,
    actor: 'user',
    ip: input.ip,
    details: { sessionId: session.familyId, secondFactor },
  });
  return pair;
}

/** Audits a wrong password or code; the failure that uses up the allowance also records the lockout. */
async function recordFailure(
  deps: LoginDeps,
  user: UserAuth,
  at: string,
  ip: string,
  attemptsLeft: number,
  reason: 'wrong-password' | 'wrong-second-factor',
): Promise<void> {
  await deps.audit.append({
    userId: user.userId,
    type: 'login.failed',
    at,
    actor: 'user',
    ip,
    details: { reason, attemptsLeft },
  });
  if (attemptsLeft === 0) {
    await deps.audit.append({
      userId: user.userId,
      type: 'login.locked',
      at,
      actor: 'system',
      ip,
      details: { windowSeconds: RATE_RULES.loginAccount.windowSeconds },
    });
  }
}
