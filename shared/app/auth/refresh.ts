// Refresh: the family's current token is rotated (conditionally on it still being current) and a new
// pair returned. A token the family has already rotated away is reuse, the sign of a stolen token: the
// whole family is revoked and audited, so neither the thief nor the victim can continue with it.
// Revoked, expired, unknown and malformed tokens all get the same 401.
import { Unauthorized } from '../../http/errors.js';
import type { Session, SessionRepository, UserAuthRepository } from '../../ports/auth-repositories.js';
import type { Clock } from '../../ports/clock.js';
import type { AuditLog, RateLimiter } from '../../ports/security.js';
import type { AccessTokenIssuer } from '../access-tokens.js';
import { sameHash, tokenHash } from './opaque-tokens.js';
import { enforceRate, RATE_RULES, TOO_MANY } from './rate-rules.js';
import {
  nextRefreshToken,
  parseRefreshToken,
  ROTATED_HASHES_KEPT,
  type TokenPair,
  tokenPair,
} from './session-tokens.js';

export interface RefreshDeps {
  readonly users: UserAuthRepository;
  readonly sessions: SessionRepository;
  readonly limiter: RateLimiter;
  readonly audit: AuditLog;
  readonly clock: Clock;
  readonly accessTokens: AccessTokenIssuer;
}

export const invalidRefreshToken = () =>
  new Unauthorized(
    'AUTH.INVALID_REFRESH_TOKEN',
    'The refresh token is invalid, expired or revoked; log in again',
  );

/** Where a presented token stands in its family. */
export type TokenStanding = 'current' | 'rotated' | 'unknown';

export function standingOf(session: Session, presentedHash: string): TokenStanding {
  if (sameHash(presentedHash, session.tokenHash)) return 'current';
  // Only a token the family really issued counts as reuse: one made up from a known family id
  // (the access token's `sid`) must not let anyone revoke someone else's session.
  return session.rotatedHashes.some((h) => sameHash(presentedHash, h)) ? 'rotated' : 'unknown';
}

export const isLive = (session: Session, now: Date) =>
  session.revokedAt === undefined && session.expiresAt > Math.floor(now.getTime() / 1000);

export async function refreshSession(
  deps: RefreshDeps,
  input: { readonly refreshToken: string; readonly ip: string },
): Promise<TokenPair> {
  const now = deps.clock.now();
  const at = now.toISOString();
  await enforceRate(deps.limiter, RATE_RULES.refreshIp, input.ip, now, TOO_MANY);
  const parts = parseRefreshToken(input.refreshToken);
  if (!parts) throw invalidRefreshToken();
  const session = await deps.sessions.get(parts.userId, parts.familyId);
  if (!session || !isLive(session, now)) throw invalidRefreshToken();

  const presented = tokenHash(input.refreshToken);
  const standing = standingOf(session, presented);
  if (standing === 'unknown') throw invalidRefreshToken();
  if (standing === 'rotated') {
    await revokeForReuse(deps, session, at, input.ip);
    throw invalidRefreshToken();
  }

  const user = await deps.users.get(session.userId);
  if (user?.status !== 'active') {
    await deps.sessions.revoke(session.userId, session.familyId, at, 'user-inactive');
    throw invalidRefreshToken();
  }

  const refreshToken = nextRefreshToken(session);
  const rotated = await deps.sessions.rotate(session.userId, session.familyId, session.tokenHash, {
    tokenHash: tokenHash(refreshToken),
    generation: session.generation + 1,
    rotatedHashes: [session.tokenHash, ...session.rotatedHashes].slice(0, ROTATED_HASHES_KEPT),
    lastUsedAt: at,
  });
  if (!rotated) {
    // Someone else rotated this very token a moment ago (or revoked the family): the same token was
    // used twice, which is reuse however close together the two uses were.
    await revokeForReuse(deps, session, at, input.ip);
    throw invalidRefreshToken();
  }
  const accessToken = await deps.accessTokens.issue(session.userId, session.familyId, now);
  await deps.audit.append({
    userId: session.userId,
    type: 'session.refreshed',
    at,
    actor: 'user',
    ip: input.ip,
    details: { sessionId: session.familyId, generation: session.generation + 1 },
  });
  return tokenPair(accessToken, deps.accessTokens.ttlSeconds, refreshToken, session, now);
}

async function revokeForReuse(deps: RefreshDeps, session: Session, at: string, ip: string): Promise<void> {
  const revoked = await deps.sessions.revoke(session.userId, session.familyId, at, 'reuse-detected');
  if (!revoked) return; // a concurrent request already revoked (and audited) it
  await deps.audit.append({
    userId: session.userId,
    type: 'session.reuse-detected',
    at,
    actor: 'system',
    ip,
    details: { sessionId: session.familyId, generation: session.generation },
  });
}
