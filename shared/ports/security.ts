// What the accounts-and-security use cases depend on. Adapters: shared/adapters/security (scrypt,
// DynamoDB rate limits and audit log, Resend and the local outbox, ALTCHA, envelope encryption).

/** Hashes and checks passwords (scrypt at OWASP cost); the stored form carries its own parameters. */
export interface PasswordHasher {
  hash(password: string): Promise<string>;
  /** Constant-time; false for a malformed stored hash. */
  verify(password: string, stored: string): Promise<boolean>;
}

/** A fixed-window limit: at most `limit` hits per `windowSeconds` for one key (an IP, an account). */
export interface RateRule {
  /** Stable, part of the stored key, e.g. "login-ip". */
  readonly name: string;
  readonly limit: number;
  readonly windowSeconds: number;
}

export type RateDecision =
  | { readonly allowed: true; readonly remaining: number }
  | { readonly allowed: false; readonly retryAfterSeconds: number };

export interface RateLimiter {
  /** Counts one hit atomically and says whether it is within the limit. */
  consume(rule: RateRule, key: string, now: Date): Promise<RateDecision>;
  /** Forgets the key's current window (e.g. failed logins after a successful one). */
  reset(rule: RateRule, key: string, now: Date): Promise<void>;
}

export const AUDIT_EVENT_TYPES = [
  'user.registered',
  'user.email-verified',
  'login.succeeded',
  'login.failed',
  'login.locked',
  'session.refreshed',
  'session.reuse-detected',
  'session.logged-out',
  'session.logged-out-everywhere',
  'password.changed',
  'password.reset-requested',
  'password.reset',
  'totp.enabled',
  'totp.disabled',
  'totp.recovery-code-used',
  'exchange-key.added',
  'exchange-key.removed',
  'settings.changed',
  'kill-switch.changed',
  'subscription.changed',
  'user.disabled',
] as const;
export type AuditEventType = (typeof AUDIT_EVENT_TYPES)[number];

/** Append-only. `details` holds no secret (no password, token, key or code). */
export interface AuditEvent {
  readonly userId: string;
  readonly type: AuditEventType;
  readonly at: string;
  readonly actor: 'user' | 'admin' | 'system';
  /** The admin's user id when `actor` is 'admin'. */
  readonly actorId?: string;
  readonly ip?: string;
  readonly details?: Readonly<Record<string, string | number | boolean>>;
}

export interface AuditLog {
  append(event: AuditEvent): Promise<void>;
  /** Newest first. */
  listForUser(
    userId: string,
    options: { limit: number; cursor?: string },
  ): Promise<{ items: AuditEvent[]; cursor?: string }>;
}

export interface Mail {
  readonly to: string;
  readonly subject: string;
  readonly text: string;
  readonly html?: string;
  /** What the mail is for; also Resend's tag. */
  readonly purpose: 'verify-email' | 'password-reset' | 'notification';
}

export interface Mailer {
  send(mail: Mail): Promise<void>;
}

/** Proof-of-work CAPTCHA (ALTCHA): a challenge to hand out, a solution to check once. */
export interface CaptchaVerifier {
  /** The JSON the client widget solves. */
  challenge(now: Date): Promise<Record<string, unknown>>;
  /** The base64 payload the widget returns; false when wrong, expired or already used. */
  verify(payload: string, now: Date): Promise<boolean>;
}

/** Envelope encryption: a fresh data key per secret, itself encrypted by the master key (KMS or local). */
export interface SealedSecret {
  readonly version: 1;
  /** Which master key encrypted the data key (a KMS key ARN, or "local:<fingerprint>"). */
  readonly keyId: string;
  /** Base64 of the encrypted data key. */
  readonly encryptedDataKey: string;
  /** Base64 of the AES-256-GCM IV (12 bytes), ciphertext and tag (16 bytes). */
  readonly iv: string;
  readonly ciphertext: string;
  readonly tag: string;
}

/** A sealed secret that does not open: wrong context, tampered data, another master key. Says no more. */
export class SecretBoxError extends Error {
  override readonly name = 'SecretBoxError';
}

export interface SecretBox {
  /** `context` is bound to the ciphertext (GCM associated data): e.g. { userId, accountId }. */
  seal(plaintext: string, context: Readonly<Record<string, string>>): Promise<SealedSecret>;
  /** Throws when the context differs or the data was tampered with. */
  open(sealed: SealedSecret, context: Readonly<Record<string, string>>): Promise<string>;
}
