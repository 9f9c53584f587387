// Repository ports of sign-up and sessions: credentials, single-use action tokens, refresh-token
// families. Like every user-owned repository, methods on a user's items take the user id first.
import type { UserProfile } from './repositories.js';

export type UserStatus = 'unverified' | 'active' | 'disabled';
export type UserRole = 'user' | 'admin';

/** The credentials and state of a login. Never leaves the server: no route returns it. */
export interface UserAuth {
  readonly userId: string;
  /** Normalised: trimmed, lower-case. */
  readonly email: string;
  /** The hasher's self-describing form (`scrypt$N$r$p$salt$hash`). */
  readonly passwordHash: string;
  readonly status: UserStatus;
  readonly role: UserRole;
  readonly createdAt: string;
  readonly verifiedAt?: string;
  /** The referral code given at registration, as typed (attribution comes with referrals). */
  readonly referralCode?: string;
  /** TOTP 2FA is on (the factor itself is the user's TOTP record, see ports/two-factor.ts). */
  readonly totpEnabled: boolean;
  /** The last password change or reset; reset links issued before it no longer work. */
  readonly passwordChangedAt?: string;
}

export interface UserAuthRepository {
  /**
   * Creates the user (credentials, email ownership and profile) in one transaction, unless the email
   * already has an owner: then nothing is written and the answer is 'email-taken'.
   */
  create(user: UserAuth, profile: UserProfile): Promise<'created' | 'email-taken'>;
  findByEmail(email: string): Promise<UserAuth | null>;
  get(userId: string): Promise<UserAuth | null>;
  /** Moves an unverified user to active; false when the user was not unverified (already, disabled). */
  markVerified(userId: string, at: string): Promise<boolean>;
  /**
   * Replaces an active user's password hash and records when. Conditional: false, and nothing
   * written, when the user is not active or (with `expectedHash`) the hash changed meanwhile.
   */
  setPasswordHash(
    userId: string,
    passwordHash: string,
    at: string,
    options?: { readonly expectedHash?: string },
  ): Promise<boolean>;
}

export type ActionPurpose = 'verify-email' | 'password-reset';

export interface ActionToken {
  /** SHA-256 (hex) of the token; the token itself is only ever in the mail. */
  readonly tokenHash: string;
  readonly purpose: ActionPurpose;
  readonly userId: string;
  readonly createdAt: string;
  /** Epoch seconds; also the item's TTL. */
  readonly expiresAt: number;
}

export interface ActionTokenRepository {
  put(token: ActionToken): Promise<void>;
  /**
   * Deletes the token if it exists, has this purpose and has not expired, and returns it; null
   * otherwise. Conditional, so two concurrent uses cannot both succeed.
   */
  consume(tokenHash: string, purpose: ActionPurpose, now: Date): Promise<ActionToken | null>;
}

/** One refresh-token family: a login on one device, rotated on every refresh. */
export interface Session {
  readonly userId: string;
  readonly familyId: string;
  /** SHA-256 (hex) of the family's current refresh token. */
  readonly tokenHash: string;
  /** How many times the family has rotated (0 at login). */
  readonly generation: number;
  /** Hashes of the family's most recent rotated-away tokens: presenting one of them is reuse. */
  readonly rotatedHashes: readonly string[];
  readonly createdAt: string;
  readonly lastUsedAt: string;
  /** Epoch seconds: the family's end, whatever its rotations; also the item's TTL. */
  readonly expiresAt: number;
  readonly revokedAt?: string;
  readonly revokedReason?: SessionRevocation;
}

export type SessionRevocation =
  | 'logout'
  | 'logout-everywhere'
  | 'reuse-detected'
  | 'user-inactive'
  | 'two-factor-disabled'
  | 'password-changed'
  | 'password-reset';

export interface SessionRotation {
  readonly tokenHash: string;
  readonly generation: number;
  readonly rotatedHashes: readonly string[];
  readonly lastUsedAt: string;
}

export interface SessionRepository {
  create(session: Session): Promise<void>;
  get(userId: string, familyId: string): Promise<Session | null>;
  /**
   * Replaces the current token, conditional on it still being `expectedHash` and the family being
   * live; false when another refresh won the race or the family was revoked meanwhile.
   */
  rotate(userId: string, familyId: string, expectedHash: string, next: SessionRotation): Promise<boolean>;
  /** Idempotent: false when the family does not exist or was already revoked. */
  revoke(userId: string, familyId: string, at: string, reason: SessionRevocation): Promise<boolean>;
  /** Revokes every live family of the user (but `except`, the caller's own); returns how many it revoked. */
  revokeAll(
    userId: string,
    at: string,
    reason: SessionRevocation,
    options?: { readonly except?: string },
  ): Promise<number>;
}
