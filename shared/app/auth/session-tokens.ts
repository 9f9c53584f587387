// Refresh tokens and the token pair a login or a refresh hands out. A refresh token is opaque to the
// client: `<userId>.<familyId>.<secret>`. The family (one login on one device) lives in its user's
// partition, so the token names the user; nothing is trusted from it until the secret's SHA-256
// matches the family's stored one. The secret is 32 random bytes; only its hash is stored.
import type { Session, SessionRepository } from '../../ports/auth-repositories.js';
import type { AccessTokenIssuer } from '../access-tokens.js';
import { newOpaqueToken, newRandomId, OPAQUE_TOKEN_PATTERN, tokenHash } from './opaque-tokens.js';

export const ACCESS_TOKEN_TTL_SECONDS = 15 * 60;
/** A family's whole life: rotation does not extend it, after 30 days the user logs in again. */
export const REFRESH_FAMILY_TTL_SECONDS = 30 * 24 * 3600;
/** Rotated-away hashes kept per family, to recognise a replayed old token as reuse. */
export const ROTATED_HASHES_KEPT = 32;

const ID_PART = /^[A-Za-z0-9_-]{1,64}$/;

export interface RefreshTokenParts {
  readonly userId: string;
  readonly familyId: string;
  readonly secret: string;
}

export function formatRefreshToken(parts: RefreshTokenParts): string {
  return `${parts.userId}.${parts.familyId}.${parts.secret}`;
}

/** The parts of a well-formed refresh token; null for anything else (refused before any lookup). */
export function parseRefreshToken(token: string): RefreshTokenParts | null {
  const parts = token.split('.');
  if (parts.length !== 3) return null;
  const [userId, familyId, secret] = parts as [string, string, string];
  if (!ID_PART.test(userId) || !ID_PART.test(familyId) || !OPAQUE_TOKEN_PATTERN.test(secret)) return null;
  return { userId, familyId, secret };
}

/** What login and refresh answer. */
export interface TokenPair {
  readonly tokenType: 'Bearer';
  readonly accessToken: string;
  /** Seconds. */
  readonly expiresIn: number;
  readonly refreshToken: string;
  /** Seconds until the family ends (rotation does not extend it). */
  readonly refreshExpiresIn: number;
}

export interface SessionTokenDeps {
  readonly sessions: SessionRepository;
  readonly accessTokens: AccessTokenIssuer;
}

/** A new family for the user (a login): its first refresh token and an access token bound to it. */
export async function startSession(
  deps: SessionTokenDeps,
  userId: string,
  now: Date,
): Promise<{ pair: TokenPair; session: Session }> {
  const familyId = newRandomId('');
  const secret = newOpaqueToken();
  const refreshToken = formatRefreshToken({ userId, familyId, secret });
  const at = now.toISOString();
  const session: Session = {
    userId,
    familyId,
    tokenHash: tokenHash(refreshToken),
    generation: 0,
    rotatedHashes: [],
    createdAt: at,
    lastUsedAt: at,
    expiresAt: Math.floor(now.getTime() / 1000) + REFRESH_FAMILY_TTL_SECONDS,
  };
  await deps.sessions.create(session);
  const accessToken = await deps.accessTokens.issue(userId, familyId, now);
  return { pair: tokenPair(accessToken, deps.accessTokens.ttlSeconds, refreshToken, session, now), session };
}

/** The next token of a family: same user and family, a new secret. */
export function nextRefreshToken(session: Pick<Session, 'userId' | 'familyId'>): string {
  return formatRefreshToken({ userId: session.userId, familyId: session.familyId, secret: newOpaqueToken() });
}

export function tokenPair(
  accessToken: string,
  accessTtlSeconds: number,
  refreshToken: string,
  session: Pick<Session, 'expiresAt'>,
  now: Date,
): TokenPair {
  return {
    tokenType: 'Bearer',
    accessToken,
    expiresIn: accessTtlSeconds,
    refreshToken,
    refreshExpiresIn: Math.max(0, session.expiresAt - Math.floor(now.getTime() / 1000)),
  };
}
