// A new verification link on request. Always the same 202, whether the address is unknown, verified
// or waiting: only an unverified owner gets a mail. Earlier links stay valid until they expire
// (each works once, and all of them lead to the same verified state).
import type { ActionTokenRepository, UserAuthRepository } from '../../ports/auth-repositories.js';
import type { Clock } from '../../ports/clock.js';
import type { Mailer, RateLimiter } from '../../ports/security.js';
import { sendVerificationMail } from './action-tokens.js';
import { normaliseEmail } from './auth-requests.js';
import { emailRateKey, enforceRate, RATE_RULES, TOO_MANY } from './rate-rules.js';

export interface ResendVerificationDeps {
  readonly users: UserAuthRepository;
  readonly tokens: ActionTokenRepository;
  readonly limiter: RateLimiter;
  readonly mailer: Mailer;
  readonly clock: Clock;
  readonly appBaseUrl: string;
}

export const RESEND_ACCEPTED = {
  status: 'verification-sent',
  message: 'If this address has an account waiting for confirmation, a new link is on its way.',
} as const;

export async function resendVerification(
  deps: ResendVerificationDeps,
  input: { readonly email: string; readonly ip: string },
): Promise<typeof RESEND_ACCEPTED> {
  const now = deps.clock.now();
  const email = normaliseEmail(input.email);
  await enforceRate(deps.limiter, RATE_RULES.resendVerificationIp, input.ip, now, TOO_MANY);
  // Counted for every address, known or not: the limit itself reveals nothing.
  await enforceRate(deps.limiter, RATE_RULES.verificationMailEmail, emailRateKey(email), now, TOO_MANY);
  const user = await deps.users.findByEmail(email);
  if (user?.status === 'unverified') await sendVerificationMail(deps, user, now);
  return RESEND_ACCEPTED;
}
