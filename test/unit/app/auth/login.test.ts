import { describe, expect, it } from 'vitest';
import { login } from '../../../../shared/app/auth/login.js';
import { tokenHash } from '../../../../shared/app/auth/opaque-tokens.js';
import { RATE_RULES } from '../../../../shared/app/auth/rate-rules.js';
import { register } from '../../../../shared/app/auth/register.js';
import { parseRefreshToken } from '../../../../shared/app/auth/session-tokens.js';
import { verifyEmail } from '../../../../shared/app/auth/verify-email.js';
import { type AuthWorld, authWorld, refusal } from '../../../support/auth-fakes.js';

const PASSWORD = 'Violet-Harbor-Lantern-42';
const IP = '198.51.100.7';

async function verifiedUser(world: AuthWorld, email = 'trader@example.com') {
  await register(world, { email, password: PASSWORD, captcha: world.captcha.solution(), ip: IP });
  await verifyEmail(world, { token: world.mailer.lastVerificationToken(email), ip: IP });
  const user = await world.users.findByEmail(email);
  if (!user) throw new Error('no user');
  return user;
}

function attempt(world: AuthWorld, email: string, password: string, ip = IP) {
  return login(world, { email, password, captcha: world.captcha.solution(), ip });
}

describe('login', () => {
  it('starts a session: an access token bound to a new family and its first refresh token, stored hashed', async () => {
    const world = authWorld();
    const user = await verifiedUser(world);
    const pair = await attempt(world, ' TRADER@example.com', PASSWORD);

    expect(pair).toMatchObject({ tokenType: 'Bearer', expiresIn: 900, refreshExpiresIn: 30 * 24 * 3600 });
    const parts = parseRefreshToken(pair.refreshToken);
    expect(parts?.userId).toBe(user.userId);
    expect(world.accessTokens.issued).toEqual([{ userId: user.userId, sessionId: parts?.familyId }]);
    const [session] = world.sessions.ofUser(user.userId);
    expect(session).toMatchObject({ familyId: parts?.familyId, generation: 0, rotatedHashes: [] });
    expect(session?.tokenHash).toBe(tokenHash(pair.refreshToken));
    expect(JSON.stringify(session)).not.toContain(parts?.secret);

    const succeeded = world.audit.events.find((e) => e.type === 'login.succeeded');
    expect(succeeded).toMatchObject({ userId: user.userId, ip: IP, details: { sessionId: parts?.familyId } });
    expect(JSON.stringify(world.audit.events)).not.toContain(PASSWORD);
  });

  it('answers an unknown email exactly as a wrong password, after the same password work', async () => {
    const world = authWorld();
    await verifiedUser(world);
    const before = world.hasher.verifications;
    const wrongPassword = await refusal(attempt(world, 'trader@example.com', 'Not-The-Password-99'));
    const afterWrong = world.hasher.verifications;
    const unknownEmail = await refusal(attempt(world, 'stranger@example.com', 'Not-The-Password-99'));

    expect(wrongPassword).toEqual(unknownEmail);
    expect(wrongPassword).toMatchObject({ status: 401, code: 'AUTH.INVALID_CREDENTIALS' });
    expect(afterWrong - before).toBe(1);
    expect(world.hasher.verifications - afterWrong).toBe(1);
  });

  it('tells an unverified user so only after the right password', async () => {
    const world = authWorld();
    await register(world, {
      email: 'new@example.com',
      password: PASSWORD,
      captcha: world.captcha.solution(),
      ip: IP,
    });
    expect(await refusal(attempt(world, 'new@example.com', 'Wrong-Password-123'))).toMatchObject({
      status: 401,
      code: 'AUTH.INVALID_CREDENTIALS',
    });
    expect(await refusal(attempt(world, 'new@example.com', PASSWORD))).toMatchObject({
      status: 403,
      code: 'AUTH.EMAIL_NOT_VERIFIED',
    });
    expect(world.sessions.items.size).toBe(0);
  });

  it('refuses a disabled user (after the right password) and starts no session', async () => {
    const world = authWorld();
    const user = await verifiedUser(world);
    world.users.patch(user.userId, { status: 'disabled' });
    expect(await refusal(attempt(world, 'trader@example.com', PASSWORD))).toMatchObject({
      status: 403,
      code: 'AUTH.ACCOUNT_DISABLED',
    });
    expect(world.sessions.items.size).toBe(0);
  });

  it(`locks the account after ${RATE_RULES.loginAccount.limit} failures: 429 with Retry-After, even for the right password, audited once`, async () => {
    const world = authWorld();
    const user = await verifiedUser(world);
    for (let i = 0; i < RATE_RULES.loginAccount.limit; i++) {
      expect((await refusal(attempt(world, 'trader@example.com', `Wrong-Password-${i}`))).status).toBe(401);
    }
    const locked = await refusal(attempt(world, 'trader@example.com', PASSWORD));
    expect(locked).toMatchObject({ status: 429, code: 'AUTH.LOCKED' });
    expect(Number(locked.headers?.['retry-after'])).toBeGreaterThan(0);
    expect(Number(locked.headers?.['retry-after'])).toBeLessThanOrEqual(
      RATE_RULES.loginAccount.windowSeconds,
    );
    expect(world.audit.types(user.userId).filter((t) => t === 'login.failed')).toHaveLength(5);
    expect(world.audit.types(user.userId).filter((t) => t === 'login.locked')).toHaveLength(1);

    world.clock.advance(RATE_RULES.loginAccount.windowSeconds);
    await expect(attempt(world, 'trader@example.com', PASSWORD)).resolves.toMatchObject({
      tokenType: 'Bearer',
    });
  });

  it('locks an unknown address after as many attempts, so the lockout tells nothing either', async () => {
    const world = authWorld();
    for (let i = 0; i < RATE_RULES.loginAccount.limit; i++)
      await refusal(attempt(world, 'ghost@example.com', 'x'));
    expect((await refusal(attempt(world, 'ghost@example.com', 'x'))).code).toBe('AUTH.LOCKED');
  });

  it('clears the failure count on a successful login', async () => {
    const world = authWorld();
    await verifiedUser(world);
    for (let i = 0; i < 4; i++) await refusal(attempt(world, 'trader@example.com', 'wrong'));
    await attempt(world, 'trader@example.com', PASSWORD);
    for (let i = 0; i < 4; i++)
      expect((await refusal(attempt(world, 'trader@example.com', 'wrong'))).status).toBe(401);
    await expect(attempt(world, 'trader@example.com', PASSWORD)).resolves.toBeDefined();
  });

  it(`answers 429 after ${RATE_RULES.loginIp.limit} attempts from one IP, whatever the accounts`, async () => {
    const world = authWorld();
    for (let i = 0; i < RATE_RULES.loginIp.limit; i++)
      await refusal(attempt(world, `u${i}@example.com`, 'x'));
    const answer = await refusal(attempt(world, 'fresh@example.com', 'x'));
    expect(answer).toMatchObject({ status: 429, code: 'RATE.LIMITED' });
    expect((await refusal(attempt(world, 'fresh@example.com', 'x', '192.0.2.1'))).status).toBe(401);
  });

  it('refuses a missing or replayed CAPTCHA before looking at the password', async () => {
    const world = authWorld();
    await verifiedUser(world);
    const before = world.hasher.verifications;
    const answer = await refusal(
      login(world, { email: 'trader@example.com', password: PASSWORD, captcha: 'nope', ip: IP }),
    );
    expect(answer).toMatchObject({ status: 400, code: 'CAPTCHA.INVALID' });
    expect(world.hasher.verifications).toBe(before);
  });

  it('keeps a seam for the second factor: a user with 2FA on is not let in on the password alone', async () => {
    const world = authWorld();
    const user = await verifiedUser(world);
    world.users.patch(user.userId, { totpEnabled: true });
    expect(await refusal(attempt(world, 'trader@example.com', PASSWORD))).toMatchObject({
      status: 401,
      code: 'AUTH.TWO_FACTOR_REQUIRED',
    });
    const withStep = { ...world, twoFactor: { check: async () => 'totp' as const } };
    await expect(
      login(withStep, {
        email: 'trader@example.com',
        password: PASSWORD,
        captcha: world.captcha.solution(),
        ip: IP,
      }),
    ).resolves.toMatchObject({ tokenType: 'Bearer' });
  });
});
