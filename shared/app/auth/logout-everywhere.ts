// Logout everywhere: revokes every session family of the authenticated caller (all devices). Access
// tokens already issued stay valid until they expire (15 minutes); no new ones can be refreshed.
import type { SessionRepository } from '../../ports/auth-repositories.js';
import type { Clock } from '../../ports/clock.js';
import type { AuditLog } from '../../ports/security.js';

export interface LogoutEverywhereDeps {
  readonly sessions: SessionRepository;
  readonly audit: AuditLog;
  readonly clock: Clock;
}

export async function logoutEverywhere(
  deps: LogoutEverywhereDeps,
  userId: string,
  input: { readonly ip: string },
): Promise<{ readonly revokedSessions: number }> {
  const at = deps.clock.now().toISOString();
  const revokedSessions = await deps.sessions.revokeAll(userId, at, 'logout-everywhere');
  await deps.audit.append({
    userId,
    type: 'session.logged-out-everywhere',
    at,
    actor: 'user',
    ip: input.ip,
    details: { revokedSessions },
  });
  return { revokedSessions };
}
