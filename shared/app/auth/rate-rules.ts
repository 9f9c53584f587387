// Every rate limit and lockout of sign-up and sessions, in one place: the numbers the tests and the
// README state. Keys are IPs or the SHA-256 of an email (no address in the rate items).
import { createHash } from 'node:crypto';
import { TooManyRequests } from '../../http/errors.js';
import type { RateDecision, RateLimiter, RateRule } from '../../ports/security.js';

const MINUTE = 60;
const HOUR = 3600;

export const RATE_RULES = {
  /** Registrations from one IP. */
  registerIp: { name: 'register-ip', limit: 10, windowSeconds: HOUR },
  /**
   * Mails to one address, whatever they are for: verification and "already registered" (register,
   * resend) and password-reset links, one budget, so no route can be used to flood a mailbox.
   */
  verificationMailEmail: { name: 'verification-mail-email', limit: 3, windowSeconds: HOUR },
  resendVerificationIp: { name: 'resend-verification-ip', limit: 10, windowSeconds: HOUR },
  verifyEmailIp: { name: 'verify-email-ip', limit: 20, windowSeconds: 15 * MINUTE },
  /** Login attempts from one IP, whatever the account. */
  loginIp: { name: 'login-ip', limit: 20, windowSeconds: 15 * MINUTE },
  /**
   * The lockout: password attempts on one email (known or not, so the lockout tells nothing about
   * existence). A correct password clears it; the attempt after the 5th failure is refused. The
   * current password given to change it counts here too: one budget of guesses per account.
   */
  loginAccount: { name: 'login-account', limit: 5, windowSeconds: 15 * MINUTE },
  /** Refreshes from one IP: tokens cannot be guessed, this only bounds the work one client causes. */
  refreshIp: { name: 'refresh-ip', limit: 120, windowSeconds: 15 * MINUTE },
  /** Password-reset requests from one IP (each also counts in the address's mail budget above). */
  passwordResetIp: { name: 'password-reset-ip', limit: 10, windowSeconds: HOUR },
  /** Reset confirmations from one IP: tokens cannot be guessed, this bounds the hashing one client causes. */
  passwordResetConfirmIp: { name: 'password-reset-confirm-ip', limit: 20, windowSeconds: 15 * MINUTE },
} as const satisfies Record<string, RateRule>;

/** The rate key of an email address: its SHA-256, so rate items hold no address. */
export function emailRateKey(email: string): string {
  return createHash('sha256').update(email, 'utf8').digest('hex').slice(0, 40);
}

/** Counts one hit; a refusal becomes 429 with Retry-After. */
export async function enforceRate(
  limiter: RateLimiter,
  rule: RateRule,
  key: string,
  now: Date,
  refusal: { readonly code: string; readonly message: string },
): Promise<Extract<RateDecision, { allowed: true }>> {
  const decision = await limiter.consume(rule, key, now);
  if (!decision.allowed) throw new TooManyRequests(refusal.code, refusal.message, decision.retryAfterSeconds);
  return decision;
}

export const TOO_MANY = { code: 'RATE.LIMITED', message: 'Too many requests; try again later' } as const;
