// Logout: revokes the family of the refresh token presented. Idempotent and uninformative: an
// unknown, revoked or malformed token changes nothing and gets the same 204. Only a token the family
// really issued (current or recently rotated) can end it, not a guess built from a known family id.
import type { SessionRepository } from '../../ports/auth-repositories.js';
import type { Clock } from '../../ports/clock.js';
import type { AuditLog } from '../../ports/security.js';
import { tokenHash } from './opaque-tokens.js';
import { standingOf } from './refresh.js';
import { parseRefreshToken } from './session-tokens.js';

export interface LogoutDeps {
  readonly sessions: SessionRepository;
  readonly audit: AuditLog;
  readonly clock: Clock;
}

export async function logout(
  deps: LogoutDeps,
  input: { readonly refreshToken: string; readonly ip: string },
): Promise<void> {
  const parts = parseRefreshToken(input.refreshToken);
  if (!parts) return;
  const session = await deps.sessions.get(parts.userId, parts.familyId);
  if (!session || standingOf(session, tokenHash(input.refreshToken)) === 'unknown') return;
  const at = deps.clock.now().toISOString();
  if (await deps.sessions.revoke(session.userId, session.familyId, at, 'logout')) {
    await deps.audit.append({
      userId: session.userId,
      type: 'session.logged-out',
      at,
      actor: 'user',
      ip: input.ip,
      details: { sessionId: session.familyId },
    });
  }
}
