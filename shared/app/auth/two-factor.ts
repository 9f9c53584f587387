// The seam where TOTP will plug into login: after the password, before any session exists. Until
// TOTP is built nobody can enable it, so the password-only step passes every user, and refuses (so
// never silently skips) one whose record says 2FA is on.
import type { UserAuth } from '../../ports/auth-repositories.js';

export type TwoFactorOutcome = 'not-enrolled' | 'passed' | 'required' | 'failed';

export interface TwoFactorStep {
  /** `code` is what the login request carried for the second factor, if anything. */
  check(user: UserAuth, code: string | undefined, now: Date): Promise<TwoFactorOutcome>;
}

export const passwordOnly: TwoFactorStep = {
  check: async (user) => (user.totpEnabled ? 'required' : 'not-enrolled'),
};
