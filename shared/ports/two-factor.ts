// The repository port of TOTP two-factor authentication. One record per user, in the user's
// partition: a pending enrollment (a sealed secret waiting for its first code) or the active factor
// (the sealed secret, the last time step used, the hashes of the unused recovery codes). Every write
// that changes whether 2FA is on also changes the credentials' `totpEnabled`, in one transaction.
import type { SealedSecret } from './security.js';

/** Enrolled but not confirmed: the secret is not trusted for anything until a first code matches. */
export interface PendingTotp {
  readonly status: 'pending';
  readonly userId: string;
  /** Random; confirming is conditional on it, so a re-enrollment in between wins over a stale confirm. */
  readonly enrollmentId: string;
  readonly secret: SealedSecret;
  readonly createdAt: string;
  /** Epoch seconds: the enrollment's end; also the item's TTL. */
  readonly expiresAt: number;
}

export interface ActiveTotp {
  readonly status: 'active';
  readonly userId: string;
  readonly secret: SealedSecret;
  readonly enabledAt: string;
  /** The RFC 6238 time step of the last code accepted: a code of this step or an earlier one is refused. */
  readonly lastUsedStep: number;
  /** How many recovery codes are still unused (their hashes never leave the repository). */
  readonly recoveryCodesLeft: number;
}

export type TotpRecord = PendingTotp | ActiveTotp;

export interface TotpActivation {
  readonly enrollmentId: string;
  readonly secret: SealedSecret;
  readonly enabledAt: string;
  /** The step of the confirming code: it cannot be replayed at login. */
  readonly lastUsedStep: number;
  /** SHA-256 (hex) of each recovery code. */
  readonly recoveryCodeHashes: readonly string[];
}

export interface TwoFactorRepository {
  get(userId: string): Promise<TotpRecord | null>;
  /** Stores (or replaces) a pending enrollment; false, and nothing written, when 2FA is already active. */
  putPending(pending: PendingTotp): Promise<boolean>;
  /**
   * Turns 2FA on: the pending enrollment `enrollmentId` becomes the active factor and the
   * credentials say so, together. False when that enrollment is no longer the pending one.
   */
  activate(userId: string, activation: TotpActivation): Promise<boolean>;
  /** Records a code's step as used, if it is later than the last one (conditional): false otherwise. */
  markStepUsed(userId: string, step: number): Promise<boolean>;
  /** Removes one unused recovery code (conditional): false when it is not (or no longer) there. */
  consumeRecoveryCode(userId: string, codeHash: string): Promise<boolean>;
  /** Turns 2FA off: the record goes (secret and recovery codes) and the credentials say so, together. */
  remove(userId: string): Promise<void>;
}
