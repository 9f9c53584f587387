// Single-use action tokens (email verification now, password reset later): the raw token goes into a
// link in a mail, the table keeps its SHA-256 with the purpose, the user and a 24-hour expiry, and a
// use deletes it conditionally, so it works exactly once.
import type { ActionPurpose, ActionToken, ActionTokenRepository } from '../../ports/auth-repositories.js';
import type { Mailer } from '../../ports/security.js';
import { appLink, verificationMail } from './auth-mails.js';
import { newOpaqueToken, OPAQUE_TOKEN_PATTERN, tokenHash } from './opaque-tokens.js';

export const VERIFY_EMAIL_TTL_SECONDS = 24 * 3600;

/** Stores a fresh token for the user and returns the raw token (for the mail only). */
export async function issueActionToken(
  tokens: ActionTokenRepository,
  purpose: ActionPurpose,
  userId: string,
  now: Date,
  ttlSeconds: number,
): Promise<string> {
  const token = newOpaqueToken();
  await tokens.put({
    tokenHash: tokenHash(token),
    purpose,
    userId,
    createdAt: now.toISOString(),
    expiresAt: Math.floor(now.getTime() / 1000) + ttlSeconds,
  });
  return token;
}

/** The stored token if this is its first use within its lifetime; null for anything else. */
export async function consumeActionToken(
  tokens: ActionTokenRepository,
  token: string,
  purpose: ActionPurpose,
  now: Date,
): Promise<ActionToken | null> {
  if (!OPAQUE_TOKEN_PATTERN.test(token)) return null;
  return tokens.consume(tokenHash(token), purpose, now);
}

export interface VerificationMailDeps {
  readonly tokens: ActionTokenRepository;
  readonly mailer: Mailer;
  readonly appBaseUrl: string;
}

/** A new verification token for the user, mailed as a link to the web app's verify page. */
export async function sendVerificationMail(
  deps: VerificationMailDeps,
  user: { readonly userId: string; readonly email: string },
  now: Date,
): Promise<void> {
  const token = await issueActionToken(
    deps.tokens,
    'verify-email',
    user.userId,
    now,
    VERIFY_EMAIL_TTL_SECONDS,
  );
  const link = appLink(deps.appBaseUrl, '/verify-email', { token });
  await deps.mailer.send(verificationMail(user.email, link, VERIFY_EMAIL_TTL_SECONDS / 3600));
}
