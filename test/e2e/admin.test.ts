// Admin routes through the local stack, over HTTP: a plain user gets 403 AUTH.ADMIN_REQUIRED on all
// three; once granted the role (as `npm run admin:grant` does) but without 2FA, 403
// AUTH.ADMIN_NEEDS_2FA; with 2FA (enrolled and confirmed through the TOTP routes) the admin lists
// users (no hashes), disables one (whose refresh then fails and whose login answers 403 disabled) and
// flips the global kill switch (audited), each change with a fresh code.
import { decodeJwt } from 'jose';
import { URI } from 'otpauth';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LocalStack, startLocalStack } from '../../local/stack.js';
import {
  DynamoKillSwitchRepository,
  DynamoUserAdminRepository,
} from '../../shared/adapters/dynamodb/admin-repositories.js';
import { createDocumentClient } from '../../shared/adapters/dynamodb/client.js';
import { DynamoUserAuthRepository } from '../../shared/adapters/dynamodb/user-auth-repository.js';
import { DynamoAuditLog } from '../../shared/adapters/security/dynamo-audit-log.js';
import { setRoleByEmail } from '../../shared/app/admin/admin.js';
import { solveAltcha } from '../support/altcha-solver.js';
import { callStack } from '../support/stack-http.js';

let stack: LocalStack;
const PASSWORD = 'Amber-Falcon-Quarry-93';
const ADMIN = 'root.admin@example.com';
const TARGET = 'soon.disabled@example.com';

beforeAll(async () => {
  stack = await startLocalStack({ port: 0, dataDir: null, scheduler: false, seed: true, quiet: true });
}, 90_000);

afterAll(async () => {
  await stack?.stop();
});

function call(method: 'GET' | 'POST', path: string, body?: unknown, bearer?: string) {
  return callStack(stack.url, method, path, { body, bearer });
}

async function captcha(): Promise<string> {
  return solveAltcha((await call('GET', '/api/auth/captcha')).body);
}

const login = async (email: string) =>
  call('POST', '/api/auth/login', { email, password: PASSWORD, captcha: await captcha() });

async function signUp(email: string): Promise<{ accessToken: string; refreshToken: string }> {
  expect(
    (await call('POST', '/api/auth/register', { email, password: PASSWORD, captcha: await captcha() }))
      .status,
  ).toBe(202);
  const outbox = await call('GET', '/api/dev/outbox');
  const mail = (outbox.body.items as { to: string; text: string }[]).find((m) => m.to === email);
  const token = mail ? /\/verify-email\?token=([A-Za-z0-9_-]+)/.exec(mail.text)?.[1] : undefined;
  expect((await call('POST', '/api/auth/verify-email', { token })).status).toBe(200);
  const answer = await login(email);
  expect(answer.status).toBe(200);
  return { accessToken: answer.body.accessToken as string, refreshToken: answer.body.refreshToken as string };
}

const tables = () => {
  const db = createDocumentClient({
    region: stack.env.AWS_REGION ?? 'us-east-1',
    endpoint: stack.env.DYNAMODB_ENDPOINT,
  });
  const tableName = stack.env.TABLE_NAME ?? '';
  return {
    users: new DynamoUserAuthRepository(db, tableName),
    admin: new DynamoUserAdminRepository(db, tableName),
    killSwitch: new DynamoKillSwitchRepository(db, tableName),
    audit: new DynamoAuditLog(db, tableName),
  };
};

const adminCalls = (totpCode: string, targetId: string) =>
  [
    ['GET', '/api/admin/users', undefined],
    ['POST', `/api/admin/users/${targetId}/disable`, { totpCode }],
    ['POST', '/api/admin/kill-switch', { on: true, totpCode }],
  ] as const;

describe('admin routes through the local stack', () => {
  let admin: { accessToken: string; refreshToken: string };
  let target: { accessToken: string; refreshToken: string };
  let adminId: string;
  let targetId: string;
  let otpauthUri: string;
  const code = (offsetSteps: number) =>
    URI.parse(otpauthUri).generate({ timestamp: Date.now() + offsetSteps * 30_000 });

  it('refuses a plain user on all three routes: 403 AUTH.ADMIN_REQUIRED', async () => {
    admin = await signUp(ADMIN);
    target = await signUp(TARGET);
    adminId = decodeJwt(admin.accessToken).sub ?? '';
    targetId = decodeJwt(target.accessToken).sub ?? '';
    for (const [method, path, body] of adminCalls('123456', targetId)) {
      const answer = await call(method, path, body, admin.accessToken);
      expect(answer, `${method} ${path}`).toMatchObject({
        status: 403,
        body: { code: 'AUTH.ADMIN_REQUIRED' },
      });
    }
  });

  it('refuses an admin without 2FA: 403 AUTH.ADMIN_NEEDS_2FA', async () => {
    expect(await setRoleByEmail(tables(), ADMIN, 'admin')).toEqual({ userId: adminId, totpEnabled: false });
    for (const [method, path, body] of adminCalls('123456', targetId)) {
      const answer = await call(method, path, body, admin.accessToken);
      expect(answer, `${method} ${path}`).toMatchObject({
        status: 403,
        body: { code: 'AUTH.ADMIN_NEEDS_2FA' },
      });
    }
    expect((await tables().users.get(targetId))?.status).toBe('active');
    expect((await tables().killSwitch.get()).on).toBe(false);
  });

  it('with 2FA on, lists users: summaries only, never a hash', async () => {
    const enrolled = await call('POST', '/api/auth/2fa/enroll', undefined, admin.accessToken);
    otpauthUri = enrolled.body.otpauthUri as string;
    // Three codes are used in this test: the step before, this one and the next, in order.
    const confirmed = await call('POST', '/api/auth/2fa/confirm', { code: code(-1) }, admin.accessToken);
    expect(confirmed.status).toBe(200);

    const listed = await call('GET', '/api/admin/users?limit=100', undefined, admin.accessToken);
    expect(listed.status).toBe(200);
    const items = listed.body.items as Record<string, unknown>[];
    expect(items.find((u) => u.email === ADMIN)).toMatchObject({
      userId: adminId,
      role: 'admin',
      totpEnabled: true,
    });
    expect(items.find((u) => u.email === TARGET)).toEqual({
      userId: targetId,
      email: TARGET,
      status: 'active',
      role: 'user',
      createdAt: expect.any(String),
      totpEnabled: false,
    });
    expect(listed.text).not.toMatch(/passwordHash|scrypt\$/);
    const paged = await call('GET', '/api/admin/users?limit=1', undefined, admin.accessToken);
    expect(paged.body.items).toHaveLength(1);
    expect(paged.body.cursor).toEqual(expect.any(String));
  });

  it('disables a user with a fresh code: their refresh fails and login answers 403 disabled', async () => {
    const noCode = await call('POST', `/api/admin/users/${targetId}/disable`, {}, admin.accessToken);
    expect(noCode.status).toBe(400);
    const disabled = await call(
      'POST',
      `/api/admin/users/${targetId}/disable`,
      { totpCode: code(0) },
      admin.accessToken,
    );
    expect(disabled).toMatchObject({
      status: 200,
      body: { userId: targetId, status: 'disabled', revokedSessions: 1 },
    });

    const refreshed = await call('POST', '/api/auth/refresh', { refreshToken: target.refreshToken });
    expect(refreshed.status).toBe(401);
    expect(await login(TARGET)).toMatchObject({ status: 403, body: { code: 'AUTH.ACCOUNT_DISABLED' } });
    const audit = await tables().audit.listForUser(targetId, { limit: 10 });
    expect(audit.items.find((e) => e.type === 'user.disabled')).toMatchObject({
      actor: 'admin',
      actorId: adminId,
    });
  });

  it('flips the global kill switch with a fresh code; a replayed code is refused; audited', async () => {
    const fresh = code(1);
    const on = await call('POST', '/api/admin/kill-switch', { on: true, totpCode: fresh }, admin.accessToken);
    expect(on).toMatchObject({ status: 200, body: { on: true } });
    expect(await tables().killSwitch.get()).toMatchObject({ on: true, changedBy: adminId });
    const replay = await call(
      'POST',
      '/api/admin/kill-switch',
      { on: false, totpCode: fresh },
      admin.accessToken,
    );
    expect(replay).toMatchObject({ status: 403, body: { code: 'AUTH.INVALID_SECOND_FACTOR' } });
    expect((await tables().killSwitch.get()).on).toBe(true);
    const audit = await tables().audit.listForUser(adminId, { limit: 20 });
    expect(audit.items.find((e) => e.type === 'kill-switch.changed')).toMatchObject({
      actor: 'admin',
      actorId: adminId,
      details: { scope: 'global', on: true, was: false },
    });
  });
});
