// Turning TOTP 2FA on and off, for the signed-in user. The state machine, per user:
//   off ──enroll──▶ pending ──confirm(valid code)──▶ on ──disable(password + code)──▶ off
//   pending ──enroll──▶ pending (a new secret replaces the old one); enroll while on → 409.
// The secret is sealed (envelope encryption, bound to the user and to "totp") before it is stored;
// the plaintext exists only in this call's memory and in the answer to enroll. Recovery codes are
// answered once, at confirm, and stored only as hashes.
import { Conflict, Forbidden, Unauthorized, ValidationError } from '../../http/errors.js';
import type { SessionRepository, UserAuthRepository } from '../../ports/auth-repositories.js';
import type { Clock } from '../../ports/clock.js';
import type { AuditLog, PasswordHasher, RateLimiter, RateRule, SecretBox } from '../../ports/security.js';
import type { TwoFactorRepository } from '../../ports/two-factor.js';
import { newRandomId } from './opaque-tokens.js';
import { enforceRate, TOO_MANY } from './rate-rules.js';
import {
  matchingStep,
  newRecoveryCodes,
  newTotpSecret,
  qrCodeDataUrl,
  recoveryCodeHash,
  totpUri,
} from './totp.js';
import {
  INVALID_SECOND_FACTOR,
  SECOND_FACTOR_RATE_RULE,
  SECOND_FACTOR_TOO_MANY,
  type SecondFactorProof,
  TWO_FACTOR_REQUIRED,
  totpSecretContext,
  verifySecondFactor,
} from './two-factor.js';

/** Time to scan the code and type a first one; after it, enroll again. */
export const PENDING_ENROLLMENT_SECONDS = 30 * 60;

/** Each enrollment seals a secret (a KMS call in the cloud): bounded per user. */
export const TOTP_ENROLL_RATE_RULE = {
  name: 'totp-enroll-user',
  limit: 10,
  windowSeconds: 3600,
} as const satisfies RateRule;

const ALREADY_ENABLED = ['TOTP.ALREADY_ENABLED', 'Two-factor authentication is already on'] as const;
const NOT_ENROLLED = [
  'TOTP.NOT_ENROLLED',
  'No enrollment is waiting for confirmation (it may have expired); enroll again',
] as const;

async function activeUser(users: UserAuthRepository, userId: string) {
  const user = await users.get(userId);
  // A valid token for a user who is gone: the token is what is wrong.
  if (!user) throw new Unauthorized('AUTH.INVALID_TOKEN', 'The access token is missing, expired or invalid');
  if (user.status !== 'active') throw new Forbidden('AUTH.ACCOUNT_DISABLED', 'This account is disabled');
  return user;
}

export interface EnrollTotpDeps {
  readonly users: UserAuthRepository;
  readonly totp: TwoFactorRepository;
  readonly secretBox: SecretBox;
  readonly limiter: RateLimiter;
  readonly clock: Clock;
}

export interface TotpEnrollment {
  /** otpauth://totp/…: what authenticator apps import; it carries the secret, so it is shown once. */
  readonly otpauthUri: string;
  /** The URI as a QR code (an SVG data URL). */
  readonly qrCode: string;
  /** Confirm with a first code before this. */
  readonly expiresAt: string;
}

export async function enrollTotp(deps: EnrollTotpDeps, userId: string): Promise<TotpEnrollment> {
  const now = deps.clock.now();
  await enforceRate(deps.limiter, TOTP_ENROLL_RATE_RULE, userId, now, TOO_MANY);
  const user = await activeUser(deps.users, userId);
  if (user.totpEnabled) throw new Conflict(...ALREADY_ENABLED);

  const secret = newTotpSecret();
  const expiresAt = Math.floor(now.getTime() / 1000) + PENDING_ENROLLMENT_SECONDS;
  const stored = await deps.totp.putPending({
    status: 'pending',
    userId,
    enrollmentId: newRandomId('tfa_'),
    secret: await deps.secretBox.seal(secret, totpSecretContext(userId)),
    createdAt: now.toISOString(),
    expiresAt,
  });
  // 2FA was turned on between the read and the write (another tab confirming): never replaced.
  if (!stored) throw new Conflict(...ALREADY_ENABLED);
  const otpauthUri = totpUri(secret, user.email);
  return {
    otpauthUri,
    qrCode: await qrCodeDataUrl(otpauthUri),
    expiresAt: new Date(expiresAt * 1000).toISOString(),
  };
}

export interface ConfirmTotpDeps {
  readonly totp: TwoFactorRepository;
  readonly secretBox: SecretBox;
  readonly limiter: RateLimiter;
  readonly audit: AuditLog;
  readonly clock: Clock;
}

export interface TotpConfirmed {
  readonly enabled: true;
  /** Shown once: each lets the user in once without the app. Only their hashes are stored. */
  readonly recoveryCodes: readonly string[];
}

export async function confirmTotp(
  deps: ConfirmTotpDeps,
  userId: string,
  input: { readonly code: string },
  request: { readonly ip: string },
): Promise<TotpConfirmed> {
  const now = deps.clock.now();
  await enforceRate(deps.limiter, SECOND_FACTOR_RATE_RULE, userId, now, SECOND_FACTOR_TOO_MANY);
  const record = await deps.totp.get(userId);
  if (record?.status === 'active') throw new Conflict(...ALREADY_ENABLED);
  if (!record || record.expiresAt <= Math.floor(now.getTime() / 1000)) throw new Conflict(...NOT_ENROLLED);

  const secret = await deps.secretBox.open(record.secret, totpSecretContext(userId));
  const step = matchingStep(secret, input.code, now);
  if (step === null) {
    throw new ValidationError('TOTP.INVALID_CODE', 'The code does not match; check the time on the device');
  }
  const recoveryCodes = newRecoveryCodes();
  const activated = await deps.totp.activate(userId, {
    enrollmentId: record.enrollmentId,
    secret: record.secret,
    enabledAt: now.toISOString(),
    lastUsedStep: step,
    recoveryCodeHashes: recoveryCodes.map(storedForm),
  });
  // Re-enrolled (a new secret) meanwhile: this code was for the old one.
  if (!activated) throw new Conflict(...NOT_ENROLLED);
  await deps.limiter.reset(SECOND_FACTOR_RATE_RULE, userId, now);
  await deps.audit.append({
    userId,
    type: 'totp.enabled',
    at: now.toISOString(),
    actor: 'user',
    ip: request.ip,
    details: { codesIssued: recoveryCodes.length },
  });
  return { enabled: true, recoveryCodes };
}

function storedForm(code: string): string {
  const hash = recoveryCodeHash(code);
  if (hash === null) throw new Error('a generated recovery code must have a stored form');
  return hash;
}

export interface DisableTotpDeps {
  readonly users: UserAuthRepository;
  readonly totp: TwoFactorRepository;
  readonly secretBox: SecretBox;
  readonly hasher: PasswordHasher;
  readonly limiter: RateLimiter;
  readonly sessions: SessionRepository;
  readonly audit: AuditLog;
  readonly clock: Clock;
}

export async function disableTotp(
  deps: DisableTotpDeps,
  userId: string,
  input: SecondFactorProof & { readonly password: string },
  request: { readonly ip: string; readonly sessionId?: string | undefined },
): Promise<{ readonly enabled: false; readonly revokedSessions: number }> {
  const now = deps.clock.now();
  const at = now.toISOString();
  const record = await deps.totp.get(userId);
  if (record?.status !== 'active') {
    throw new Conflict('TOTP.NOT_ENABLED', 'Two-factor authentication is not on');
  }
  // The password and the code are both guessable: one budget for the two.
  await enforceRate(deps.limiter, SECOND_FACTOR_RATE_RULE, userId, now, SECOND_FACTOR_TOO_MANY);
  const user = await activeUser(deps.users, userId);
  // The password first, so a wrong one uses up no recovery code.
  if (!(await deps.hasher.verify(input.password, user.passwordHash))) {
    throw new Forbidden('AUTH.INVALID_PASSWORD', 'The password is wrong');
  }
  const outcome = await verifySecondFactor(deps, record, input, now, request.ip);
  if (outcome === 'required') throw new Forbidden(TWO_FACTOR_REQUIRED.code, TWO_FACTOR_REQUIRED.message);
  if (outcome === 'failed') throw new Forbidden(INVALID_SECOND_FACTOR.code, INVALID_SECOND_FACTOR.message);

  await deps.totp.remove(userId);
  // Whoever else is signed in (perhaps whoever made 2FA worth turning off) is signed out.
  const revokedSessions = await deps.sessions.revokeAll(
    userId,
    at,
    'two-factor-disabled',
    request.sessionId === undefined ? {} : { except: request.sessionId },
  );
  await deps.limiter.reset(SECOND_FACTOR_RATE_RULE, userId, now);
  await deps.audit.append({
    userId,
    type: 'totp.disabled',
    at,
    actor: 'user',
    ip: request.ip,
    details: { with: outcome, revokedSessions },
  });
  return { enabled: false, revokedSessions };
}
