// Admin use cases (issue 5 item 8): list users, disable a user, flip the global kill switch. Every one
// starts with `requireAdmin`: the role is read fresh from the caller's AUTH item (a token says who the
// caller is, never what they may do, so a revoked role takes effect at once) and the admin must have
// 2FA on. The two that change something also take a fresh TOTP code: a stolen access token alone
// cannot disable users or stop trading.
import { z } from 'zod';
import { Forbidden, NotFound, ValidationError } from '../../http/errors.js';
import type { KillSwitchRepository, UserAdminRepository, UserSummary } from '../../ports/admin.js';
import type { SessionRepository, UserAuthRepository } from '../../ports/auth-repositories.js';
import type { Clock } from '../../ports/clock.js';
import type { AuditLog } from '../../ports/security.js';
import type { TwoFactorOutcome } from '../auth/two-factor.js';
import { totpCodeSchema } from '../auth/two-factor-requests.js';

export const ADMIN_REQUIRED = { code: 'AUTH.ADMIN_REQUIRED', message: 'This route is for admins' } as const;
export const ADMIN_NEEDS_2FA = {
  code: 'AUTH.ADMIN_NEEDS_2FA',
  message: 'Admin routes need two-factor authentication turned on',
} as const;

export interface RequireAdminDeps {
  readonly users: Pick<UserAuthRepository, 'get'>;
}

/** Passes an active admin with 2FA on; 403 AUTH.ADMIN_REQUIRED / AUTH.ADMIN_NEEDS_2FA otherwise. */
export async function requireAdmin(deps: RequireAdminDeps, userId: string): Promise<void> {
  const caller = await deps.users.get(userId);
  if (caller?.status !== 'active' || caller.role !== 'admin') {
    throw new Forbidden(ADMIN_REQUIRED.code, ADMIN_REQUIRED.message);
  }
  if (!caller.totpEnabled) throw new Forbidden(ADMIN_NEEDS_2FA.code, ADMIN_NEEDS_2FA.message);
}

/** The step-up check (`requireSecondFactor` bound to its deps): throws 403/429 unless the code passes. */
export type StepUp = (
  userId: string,
  proof: { readonly totpCode: string },
  now: Date,
  ip?: string,
) => Promise<TwoFactorOutcome>;

/** Admin plus a fresh code. A missing TOTP record (2FA flag on, no factor) fails closed. */
async function requireAdminStepUp(
  deps: RequireAdminDeps & { readonly stepUp: StepUp },
  userId: string,
  totpCode: string,
  now: Date,
  ip?: string,
): Promise<void> {
  await requireAdmin(deps, userId);
  const outcome = await deps.stepUp(userId, { totpCode }, now, ip);
  if (outcome !== 'totp' && outcome !== 'recovery-code') {
    throw new Forbidden(ADMIN_NEEDS_2FA.code, ADMIN_NEEDS_2FA.message);
  }
}

export const adminListUsersQuery = z
  .object({
    limit: z.coerce.number().int().min(1).max(100).default(50),
    cursor: z.string().min(1).max(2048).optional(),
  })
  .strict();

export const adminUserPath = z.object({ userId: z.string().min(1).max(128) }).strict();

export const adminDisableUserBody = z.object({ totpCode: totpCodeSchema }).strict();

export const adminKillSwitchBody = z.object({ on: z.boolean(), totpCode: totpCodeSchema }).strict();

export async function adminListUsers(
  deps: RequireAdminDeps & { readonly admin: Pick<UserAdminRepository, 'list'> },
  callerId: string,
  query: z.infer<typeof adminListUsersQuery>,
): Promise<{ items: UserSummary[]; cursor?: string }> {
  await requireAdmin(deps, callerId);
  try {
    return await deps.admin.list({ limit: query.limit, cursor: query.cursor });
  } catch (error) {
    if (error instanceof Error && error.name === 'InvalidCursor') {
      throw new ValidationError('QUERY.INVALID', 'The cursor is not one this route gave out');
    }
    throw error;
  }
}

export interface AdminActionDeps extends RequireAdminDeps {
  readonly stepUp: StepUp;
  readonly audit: AuditLog;
  readonly clock: Clock;
}

export async function adminDisableUser(
  deps: AdminActionDeps & {
    readonly admin: Pick<UserAdminRepository, 'disable'>;
    readonly sessions: Pick<SessionRepository, 'revokeAll'>;
  },
  callerId: string,
  targetId: string,
  body: z.infer<typeof adminDisableUserBody>,
  ip?: string,
): Promise<{ userId: string; status: 'disabled'; revokedSessions: number }> {
  const now = deps.clock.now();
  await requireAdminStepUp(deps, callerId, body.totpCode, now, ip);
  const at = now.toISOString();
  const target = await deps.users.get(targetId);
  if (!target) throw new NotFound('USER.NOT_FOUND', 'No such user');
  // Idempotent: disabling a disabled user still revokes any session left, and is audited once.
  const changed = await deps.admin.disable(targetId, at);
  const revokedSessions = await deps.sessions.revokeAll(targetId, at, 'user-inactive');
  if (changed) {
    await deps.audit.append({
      userId: targetId,
      type: 'user.disabled',
      at,
      actor: 'admin',
      actorId: callerId,
      ...(ip === undefined ? {} : { ip }),
      details: { revokedSessions },
    });
  }
  return { userId: targetId, status: 'disabled', revokedSessions };
}

export async function adminSetKillSwitch(
  deps: AdminActionDeps & { readonly killSwitch: KillSwitchRepository },
  callerId: string,
  body: z.infer<typeof adminKillSwitchBody>,
  ip?: string,
): Promise<{ on: boolean; changedAt: string }> {
  const now = deps.clock.now();
  await requireAdminStepUp(deps, callerId, body.totpCode, now, ip);
  const changedAt = now.toISOString();
  const before = await deps.killSwitch.get();
  await deps.killSwitch.set({ on: body.on, changedAt, changedBy: callerId });
  // Kept under the admin's own audit trail: a platform-wide action has no other owner.
  await deps.audit.append({
    userId: callerId,
    type: 'kill-switch.changed',
    at: changedAt,
    actor: 'admin',
    actorId: callerId,
    ...(ip === undefined ? {} : { ip }),
    details: { scope: 'global', on: body.on, was: before.on },
  });
  return { on: body.on, changedAt };
}

/**
 * The operator's grant (the local CLI; in the cloud the runbook's update-item does the same): sets
 * the role of the user with this email. Not a route: no admin can make another admin over HTTP.
 */
export async function setRoleByEmail(
  deps: {
    readonly users: Pick<UserAuthRepository, 'findByEmail'>;
    readonly admin: Pick<UserAdminRepository, 'setRole'>;
  },
  email: string,
  role: 'user' | 'admin',
): Promise<{ userId: string; totpEnabled: boolean } | null> {
  const user = await deps.users.findByEmail(email.trim().toLowerCase());
  if (!user || !(await deps.admin.setRole(user.userId, role))) return null;
  return { userId: user.userId, totpEnabled: user.totpEnabled };
}
