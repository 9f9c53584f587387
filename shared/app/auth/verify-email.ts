// Email verification: the link's token is consumed once (a conditional delete), and its user moves
// from unverified to active. A second use, an expired or a made-up token all get the same 400.
import { ValidationError } from '../../http/errors.js';
import type { ActionTokenRepository, UserAuthRepository } from '../../ports/auth-repositories.js';
import type { Clock } from '../../ports/clock.js';
import type { AuditLog, RateLimiter } from '../../ports/security.js';
import { consumeActionToken } from './action-tokens.js';
import { enforceRate, RATE_RULES, TOO_MANY } from './rate-rules.js';

export interface VerifyEmailDeps {
  readonly users: UserAuthRepository;
  readonly tokens: ActionTokenRepository;
  readonly limiter: RateLimiter;
  readonly audit: AuditLog;
  readonly clock: Clock;
}

export async function verifyEmail(
  deps: VerifyEmailDeps,
  input: { readonly token: string; readonly ip: string },
): Promise<{ readonly verified: true }> {
  const now = deps.clock.now();
  await enforceRate(deps.limiter, RATE_RULES.verifyEmailIp, input.ip, now, TOO_MANY);
  const token = await consumeActionToken(deps.tokens, input.token, 'verify-email', now);
  if (!token) {
    throw new ValidationError('TOKEN.INVALID', 'The link is invalid, expired or already used');
  }
  const at = now.toISOString();
  // False when already active (an older link of the same user) or disabled: nothing to change then.
  if (await deps.users.markVerified(token.userId, at)) {
    await deps.audit.append({
      userId: token.userId,
      type: 'user.email-verified',
      at,
      actor: 'user',
      ip: input.ip,
    });
  }
  return { verified: true };
}
