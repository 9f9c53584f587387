import { describe, expect, it, vi } from 'vitest';
import {
  type ChangePasswordDeps,
  changePassword,
  type SecondFactorGate,
} from '../../../../shared/app/auth/change-password.js';
import { login } from '../../../../shared/app/auth/login.js';
import { emailRateKey, RATE_RULES } from '../../../../shared/app/auth/rate-rules.js';
import { refreshSession } from '../../../../shared/app/auth/refresh.js';
import { register } from '../../../../shared/app/auth/register.js';
import { verifyEmail } from '../../../../shared/app/auth/verify-email.js';
import { Forbidden } from '../../../../shared/http/errors.js';
import type { UserAuthRepository } from '../../../../shared/ports/auth-repositories.js';
import { type AuthWorld, authWorld, refusal } from '../../../support/auth-fakes.js';

const EMAIL = 'trader@example.com';
const PASSWORD = 'Violet-Harbor-Lantern-42';
const NEW_PASSWORD = 'Copper-Willow-Station-58';
const IP = '198.51.100.7';

async function verifiedUser(world: AuthWorld) {
  await register(world, { email: EMAIL, password: PASSWORD, captcha: world.captcha.solution(), ip: IP });
  await verifyEmail(world, { token: world.mailer.lastVerificationToken(EMAIL), ip: IP });
  const user = await world.users.findByEmail(EMAIL);
  if (!user) throw new Error('no user');
  return user;
}

const loginWith = (world: AuthWorld, password: string) =>
  login(world, { email: EMAIL, password, captcha: world.captcha.solution(), ip: IP });

const change = (
  deps: ChangePasswordDeps,
  userId: string,
  currentPassword: string,
  newPassword = NEW_PASSWORD,
  proof: { totpCode?: string } = {},
) => changePassword(deps, userId, { currentPassword, newPassword, ...proof }, { ip: IP });

describe('change password', () => {
  it('re-hashes, revokes every session (the caller’s too), audits without secrets; only the new password logs in', async () => {
    const world = authWorld();
    const user = await verifiedUser(world);
    const phone = await loginWith(world, PASSWORD);
    await loginWith(world, PASSWORD);
    world.clock.advance(60);

    expect(await change(world, user.userId, PASSWORD)).toEqual({ revokedSessions: 2 });

    const stored = await world.users.get(user.userId);
    expect(await world.hasher.verify(NEW_PASSWORD, stored?.passwordHash ?? '')).toBe(true);
    expect(stored?.passwordChangedAt).toBe(world.clock.now().toISOString());
    const sessions = world.sessions.ofUser(user.userId);
    expect(sessions.map((s) => s.revokedReason)).toEqual(['password-changed', 'password-changed']);
    expect(await refusal(refreshSession(world, { refreshToken: phone.refreshToken, ip: IP }))).toMatchObject({
      status: 401,
    });

    const audited = world.audit.events.find((e) => e.type === 'password.changed');
    expect(audited).toMatchObject({ userId: user.userId, actor: 'user', ip: IP });
    expect(audited?.details).toEqual({ revokedSessions: 2, secondFactor: false });
    expect(JSON.stringify(world.audit.events)).not.toContain(NEW_PASSWORD);
    expect(JSON.stringify(world.audit.events)).not.toContain(PASSWORD);

    expect(await refusal(loginWith(world, PASSWORD))).toMatchObject({ status: 401 });
    expect((await loginWith(world, NEW_PASSWORD)).accessToken).toBeTruthy();
  });

  it('refuses a wrong current password with 401, changing nothing, and audits it as a failed attempt', async () => {
    const world = authWorld();
    const user = await verifiedUser(world);
    await loginWith(world, PASSWORD);

    const wrong = await refusal(change(world, user.userId, 'Not-The-Password-00'));
    expect(wrong).toMatchObject({ status: 401, code: 'AUTH.INVALID_PASSWORD' });
    expect((await world.users.get(user.userId))?.passwordHash).toBe(user.passwordHash);
    expect(world.sessions.ofUser(user.userId).every((s) => s.revokedAt === undefined)).toBe(true);
    expect(world.audit.types(user.userId)).not.toContain('password.changed');
    expect(world.audit.events.at(-1)).toMatchObject({
      type: 'login.failed',
      details: { reason: 'wrong-password', during: 'password-change', attemptsLeft: 4 },
    });
  });

  it('counts wrong current passwords in the login lockout: after the 5th, 429 here and at login, even when right', async () => {
    const world = authWorld();
    const user = await verifiedUser(world);
    for (let i = 0; i < RATE_RULES.loginAccount.limit; i++) {
      expect(await refusal(change(world, user.userId, `Wrong-Password-${i}`))).toMatchObject({ status: 401 });
    }
    expect(world.audit.types(user.userId)).toContain('login.locked');

    const locked = await refusal(change(world, user.userId, PASSWORD));
    expect(locked).toMatchObject({ status: 429, code: 'AUTH.LOCKED' });
    expect(Number(locked.headers?.['retry-after'])).toBeGreaterThan(0);
    expect(await refusal(loginWith(world, PASSWORD))).toMatchObject({ status: 429, code: 'AUTH.LOCKED' });
    expect((await world.users.get(user.userId))?.passwordHash).toBe(user.passwordHash);
  });

  it('clears the count on success, as a correct login does', async () => {
    const world = authWorld();
    const user = await verifiedUser(world);
    await refusal(change(world, user.userId, 'Not-The-Password-00'));
    await change(world, user.userId, PASSWORD);
    const key = emailRateKey(EMAIL);
    expect([...world.limiter.hits.keys()].some((k) => k.startsWith(`login-account|${key}|`))).toBe(false);
  });

  it('applies the policy to the new password before counting anything; the current one cannot be reused', async () => {
    const world = authWorld();
    const user = await verifiedUser(world);
    const weak = await refusal(change(world, user.userId, PASSWORD, 'password1234'));
    expect(weak).toMatchObject({ status: 400, code: 'PASSWORD.TOO_WEAK' });
    const own = await refusal(change(world, user.userId, PASSWORD, 'trader@example.com'));
    expect(own).toMatchObject({ status: 400, code: 'PASSWORD.TOO_WEAK' });
    const same = await refusal(change(world, user.userId, PASSWORD, PASSWORD));
    expect(same).toMatchObject({ status: 400, code: 'PASSWORD.TOO_WEAK' });
    expect([...world.limiter.hits.keys()].some((k) => k.startsWith('login-account|'))).toBe(false);
    expect((await world.users.get(user.userId))?.passwordHash).toBe(user.passwordHash);
  });

  it('2FA seam: without a wired gate a user with 2FA on is refused (fail closed), nothing changes', async () => {
    const world = authWorld();
    const user = await verifiedUser(world);
    world.users.patch(user.userId, { totpEnabled: true });
    const refused = await refusal(change(world, user.userId, PASSWORD, NEW_PASSWORD, { totpCode: '123456' }));
    expect(refused).toMatchObject({ status: 403, code: 'AUTH.TWO_FACTOR_REQUIRED' });
    expect((await world.users.get(user.userId))?.passwordHash).toBe(user.passwordHash);
  });

  it('2FA seam: a wired gate gets the user and the proof after the password passed, and can refuse', async () => {
    const world = authWorld();
    const user = await verifiedUser(world);
    world.users.patch(user.userId, { totpEnabled: true });
    const gate = vi.fn<SecondFactorGate>(async (_user, proof) => {
      if (proof.totpCode !== '123456') throw new Forbidden('AUTH.INVALID_SECOND_FACTOR', 'wrong code');
    });
    const deps = { ...world, secondFactor: gate };

    await refusal(change(deps, user.userId, 'Not-The-Password-00', NEW_PASSWORD, { totpCode: '123456' }));
    expect(gate).not.toHaveBeenCalled();
    const badCode = await refusal(change(deps, user.userId, PASSWORD, NEW_PASSWORD, { totpCode: '000000' }));
    expect(badCode).toMatchObject({ status: 403, code: 'AUTH.INVALID_SECOND_FACTOR' });
    expect((await world.users.get(user.userId))?.passwordHash).toBe(user.passwordHash);

    await change(deps, user.userId, PASSWORD, NEW_PASSWORD, { totpCode: '123456' });
    expect(gate).toHaveBeenLastCalledWith(
      expect.objectContaining({ userId: user.userId }),
      { totpCode: '123456', recoveryCode: undefined },
      expect.any(Date),
      IP,
    );
    expect(world.audit.events.at(-1)).toMatchObject({
      type: 'password.changed',
      details: { secondFactor: true },
    });
  });

  it('refuses a disabled account (403) and a token whose user is gone (401)', async () => {
    const world = authWorld();
    const user = await verifiedUser(world);
    world.users.patch(user.userId, { status: 'disabled' });
    expect(await refusal(change(world, user.userId, PASSWORD))).toMatchObject({
      status: 403,
      code: 'AUTH.ACCOUNT_DISABLED',
    });
    expect(await refusal(change(world, 'usr_gone', PASSWORD))).toMatchObject({
      status: 401,
      code: 'AUTH.INVALID_TOKEN',
    });
  });

  it('writes only over the hash it checked: a change in between wins (409), sessions untouched', async () => {
    const world = authWorld();
    const user = await verifiedUser(world);
    await loginWith(world, PASSWORD);
    // The stored hash changes between this request's read and its write (a reset, say).
    const users: UserAuthRepository = {
      create: (u, p) => world.users.create(u, p),
      findByEmail: (email) => world.users.findByEmail(email),
      markVerified: (id, at) => world.users.markVerified(id, at),
      get: async () => user,
      setPasswordHash: (id, hash, at, options) => world.users.setPasswordHash(id, hash, at, options),
    };
    world.users.patch(user.userId, { passwordHash: await world.hasher.hash('Someone-Else-Reset-It-91') });
    const raced = await refusal(change({ ...world, users }, user.userId, PASSWORD));
    expect(raced).toMatchObject({ status: 409, code: 'PASSWORD.CHANGED_MEANWHILE' });
    expect(world.sessions.ofUser(user.userId).every((s) => s.revokedAt === undefined)).toBe(true);
  });
});
