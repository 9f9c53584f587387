// Password reset by mail. The request always gets the same 202 after about the same time, whoever the
// address belongs to: only a verified, active owner is mailed a single-use link (1 hour). The
// confirmation consumes the link's token, sets the new password, revokes every session and clears
// the login lockout (the owner proved the mailbox; a lockout an attacker caused must not outlast it).
// 2FA stays as it was: after a reset, login still asks for the second factor.
import { setTimeout as sleep } from 'node:timers/promises';
import { checkPasswordPolicy } from '../../core/security/password-policy.js';
import { ValidationError } from '../../http/errors.js';
import type {
  ActionTokenRepository,
  SessionRepository,
  UserAuthRepository,
} from '../../ports/auth-repositories.js';
import type { Clock } from '../../ports/clock.js';
import type { AuditLog, CaptchaVerifier, Mailer, PasswordHasher, RateLimiter } from '../../ports/security.js';
import { consumeActionToken, issueActionToken } from './action-tokens.js';
import { appLink, passwordResetMail } from './auth-mails.js';
import { normaliseEmail } from './auth-requests.js';
import { emailRateKey, enforceRate, RATE_RULES, TOO_MANY } from './rate-rules.js';

export const PASSWORD_RESET_TTL_SECONDS = 3600;

export interface RequestPasswordResetDeps {
  readonly users: UserAuthRepository;
  readonly tokens: ActionTokenRepository;
  readonly limiter: RateLimiter;
  readonly captcha: CaptchaVerifier;
  readonly mailer: Mailer;
  readonly audit: AuditLog;
  readonly clock: Clock;
  readonly appBaseUrl: string;
  /**
   * The answer waits until this many milliseconds have passed since the lookup began, so that
   * mailing a known owner does not answer measurably later than an unknown address. Default 0.
   */
  readonly minimumAnswerMs?: number;
}

/** The one answer, for any address. */
export const RESET_REQUESTED = {
  status: 'reset-requested',
  message: 'If this address belongs to an active account, a link to reset its password is on its way.',
} as const;

export const INVALID_RESET_TOKEN = {
  code: 'TOKEN.INVALID',
  message: 'The link is invalid, expired or already used',
} as const;

export async function requestPasswordReset(
  deps: RequestPasswordResetDeps,
  input: { readonly email: string; readonly captcha: string; readonly ip: string },
): Promise<typeof RESET_REQUESTED> {
  const now = deps.clock.now();
  await enforceRate(deps.limiter, RATE_RULES.passwordResetIp, input.ip, now, TOO_MANY);
  if (!(await deps.captcha.verify(input.captcha, now))) {
    throw new ValidationError('CAPTCHA.INVALID', 'The CAPTCHA solution is missing, wrong, expired or used');
  }
  const email = normaliseEmail(input.email);
  // Counted for every address, known or not (a 429 says nothing), in the budget register and resend
  // share: however the routes are combined, one address gets at most that many mails an hour.
  await enforceRate(deps.limiter, RATE_RULES.verificationMailEmail, emailRateKey(email), now, TOO_MANY);

  await answerNoSoonerThan(deps.minimumAnswerMs ?? 0, async () => {
    const user = await deps.users.findByEmail(email);
    if (user?.status !== 'active') return; // unknown, unverified or disabled: nothing to reset
    const token = await issueActionToken(
      deps.tokens,
      'password-reset',
      user.userId,
      now,
      PASSWORD_RESET_TTL_SECONDS,
    );
    const link = appLink(deps.appBaseUrl, '/reset-password', { token });
    // A failed send must not answer differently from an unknown address (that would tell which
    // addresses have accounts): the owner can ask again, and the audit event records it.
    let mailed = true;
    try {
      await deps.mailer.send(passwordResetMail(user.email, link, PASSWORD_RESET_TTL_SECONDS / 60));
    } catch {
      mailed = false;
    }
    await deps.audit.append({
      userId: user.userId,
      type: 'password.reset-requested',
      at: now.toISOString(),
      actor: 'user',
      ip: input.ip,
      details: { mailed },
    });
  });
  return RESET_REQUESTED;
}

/** Runs `work`, then (result or error) waits out the rest of `ms`. */
async function answerNoSoonerThan(ms: number, work: () => Promise<void>): Promise<void> {
  const started = performance.now();
  try {
    await work();
  } finally {
    const left = ms - (performance.now() - started);
    if (left > 0) await sleep(left);
  }
}

export interface ResetPasswordDeps {
  readonly users: UserAuthRepository;
  readonly tokens: ActionTokenRepository;
  readonly sessions: SessionRepository;
  readonly hasher: PasswordHasher;
  readonly limiter: RateLimiter;
  readonly audit: AuditLog;
  readonly clock: Clock;
}

export async function resetPassword(
  deps: ResetPasswordDeps,
  input: { readonly token: string; readonly newPassword: string; readonly ip: string },
): Promise<{ readonly reset: true }> {
  const now = deps.clock.now();
  const at = now.toISOString();
  await enforceRate(deps.limiter, RATE_RULES.passwordResetConfirmIp, input.ip, now, TOO_MANY);
  const invalid = () => new ValidationError(INVALID_RESET_TOKEN.code, INVALID_RESET_TOKEN.message);
  // Consumed first (a conditional delete): of two concurrent uses, one goes on.
  const token = await consumeActionToken(deps.tokens, input.token, 'password-reset', now);
  if (!token) throw invalid();
  const user = await deps.users.get(token.userId);
  if (user?.status !== 'active') throw invalid();
  // A link from before the last change or reset is stale: one reset ends every earlier link.
  if (user.passwordChangedAt !== undefined && token.createdAt < user.passwordChangedAt) throw invalid();

  const problems = checkPasswordPolicy(input.newPassword, { email: user.email });
  if (problems.length > 0) {
    // The owner typed a weak password: the link is given back (same hash, same expiry) to try again.
    await deps.tokens.put(token);
    throw new ValidationError(
      'PASSWORD.TOO_WEAK',
      'The new password does not meet the password policy',
      problems.map((message) => ({ path: 'newPassword', message })),
    );
  }

  const passwordHash = await deps.hasher.hash(input.newPassword);
  // Over the hash this link was checked against: a change in between makes the link stale.
  if (
    !(await deps.users.setPasswordHash(user.userId, passwordHash, at, { expectedHash: user.passwordHash }))
  ) {
    throw invalid();
  }
  const revokedSessions = await deps.sessions.revokeAll(user.userId, at, 'password-reset');
  await deps.limiter.reset(RATE_RULES.loginAccount, emailRateKey(user.email), now);
  await deps.audit.append({
    userId: user.userId,
    type: 'password.reset',
    at,
    actor: 'user',
    ip: input.ip,
    details: { revokedSessions },
  });
  return { reset: true };
}
