// Registration: CAPTCHA, password policy, scrypt hash, and an unverified user created in one
// conditional transaction; then a verification link by mail. An address that already has an account
// gets the very same answer (no enumeration): its owner is mailed instead, a fresh verification link
// while still unverified, otherwise a note that someone tried to sign up with the address.
import { checkPasswordPolicy } from '../../core/security/password-policy.js';
import { ValidationError } from '../../http/errors.js';
import type { ActionTokenRepository, UserAuth, UserAuthRepository } from '../../ports/auth-repositories.js';
import type { Clock } from '../../ports/clock.js';
import type { AuditLog, CaptchaVerifier, Mailer, PasswordHasher, RateLimiter } from '../../ports/security.js';
import { sendVerificationMail } from './action-tokens.js';
import { alreadyRegisteredMail, appLink } from './auth-mails.js';
import { normaliseEmail } from './auth-requests.js';
import { newRandomId } from './opaque-tokens.js';
import { emailRateKey, enforceRate, RATE_RULES, TOO_MANY } from './rate-rules.js';

export interface RegisterDeps {
  readonly users: UserAuthRepository;
  readonly tokens: ActionTokenRepository;
  readonly hasher: PasswordHasher;
  readonly limiter: RateLimiter;
  readonly captcha: CaptchaVerifier;
  readonly mailer: Mailer;
  readonly audit: AuditLog;
  readonly clock: Clock;
  readonly appBaseUrl: string;
  /** Default: `usr_` + 16 random bytes (base64url). */
  readonly newUserId?: () => string;
}

export interface RegisterInput {
  readonly email: string;
  readonly password: string;
  readonly captcha: string;
  readonly referralCode?: string | undefined;
  readonly ip: string;
}

/** The one answer, for a new address and a taken one alike. */
export const REGISTER_ACCEPTED = {
  status: 'verification-sent',
  message: 'Check your mailbox: we sent a link to confirm the address.',
} as const;

export async function register(deps: RegisterDeps, input: RegisterInput): Promise<typeof REGISTER_ACCEPTED> {
  const now = deps.clock.now();
  await enforceRate(deps.limiter, RATE_RULES.registerIp, input.ip, now, TOO_MANY);
  const email = normaliseEmail(input.email);

  // The policy is the same for everyone, so checking it before the CAPTCHA tells nothing about anyone.
  const problems = checkPasswordPolicy(input.password, { email });
  if (problems.length > 0) {
    throw new ValidationError(
      'PASSWORD.TOO_WEAK',
      'The password does not meet the password policy',
      problems.map((message) => ({ path: 'password', message })),
    );
  }
  if (!(await deps.captcha.verify(input.captcha, now))) {
    throw new ValidationError('CAPTCHA.INVALID', 'The CAPTCHA solution is missing, wrong, expired or used');
  }
  // Counted for every address, taken or not, so a 429 here says nothing about the address either.
  await enforceRate(deps.limiter, RATE_RULES.verificationMailEmail, emailRateKey(email), now, TOO_MANY);

  // Hashed on both paths: a taken address must not answer faster.
  const passwordHash = await deps.hasher.hash(input.password);
  const userId = (deps.newUserId ?? (() => newRandomId('usr_')))();
  const at = now.toISOString();
  const user: UserAuth = {
    userId,
    email,
    passwordHash,
    status: 'unverified',
    role: 'user',
    createdAt: at,
    totpEnabled: false,
    ...(input.referralCode === undefined ? {} : { referralCode: input.referralCode }),
  };
  const created = await deps.users.create(user, {
    userId,
    email,
    displayName: email.split('@')[0]?.slice(0, 64) ?? email,
    createdAt: at,
  });

  if (created === 'created') {
    await sendVerificationMail(deps, user, now);
    await deps.audit.append({
      userId,
      type: 'user.registered',
      at,
      actor: 'user',
      ip: input.ip,
      details: { referred: input.referralCode !== undefined },
    });
    return REGISTER_ACCEPTED;
  }

  const owner = await deps.users.findByEmail(email);
  if (owner?.status === 'unverified') await sendVerificationMail(deps, owner, now);
  else if (owner)
    await deps.mailer.send(alreadyRegisteredMail(owner.email, appLink(deps.appBaseUrl, '/login')));
  return REGISTER_ACCEPTED;
}
