import { Secret, TOTP, URI } from 'otpauth';
import { describe, expect, it } from 'vitest';
import { login } from '../../../../shared/app/auth/login.js';
import { RATE_RULES } from '../../../../shared/app/auth/rate-rules.js';
import { register } from '../../../../shared/app/auth/register.js';
import { startSession } from '../../../../shared/app/auth/session-tokens.js';
import {
  matchingStep,
  newRecoveryCodes,
  newTotpSecret,
  recoveryCodeHash,
  TOTP_ISSUER,
  totpStep,
} from '../../../../shared/app/auth/totp.js';
import {
  confirmTotp,
  disableTotp,
  enrollTotp,
  PENDING_ENROLLMENT_SECONDS,
} from '../../../../shared/app/auth/totp-enrollment.js';
import {
  requireSecondFactor,
  SECOND_FACTOR_RATE_RULE,
  totpLoginStep,
} from '../../../../shared/app/auth/two-factor.js';
import { totpDisableRequestSchema } from '../../../../shared/app/auth/two-factor-requests.js';
import { verifyEmail } from '../../../../shared/app/auth/verify-email.js';
import { refusal } from '../../../support/auth-fakes.js';
import { codeAt, type TwoFactorWorld, twoFactorWorld } from '../../../support/two-factor-fakes.js';

const EMAIL = 'trader@example.com';
const PASSWORD = 'Violet-Harbor-Lantern-42';
const IP = '198.51.100.7';
const STEP_MS = 30_000;

async function verifiedUser(world: TwoFactorWorld): Promise<string> {
  await register(world, { email: EMAIL, password: PASSWORD, captcha: world.captcha.solution(), ip: IP });
  await verifyEmail(world, { token: world.mailer.lastVerificationToken(EMAIL), ip: IP });
  const user = await world.users.findByEmail(EMAIL);
  if (!user) throw new Error('no user');
  return user.userId;
}

/** A user with 2FA on; returns the enrollment URI (the app's copy of the secret) and recovery codes. */
async function userWithTwoFactor(world: TwoFactorWorld) {
  const userId = await verifiedUser(world);
  const { otpauthUri } = await enrollTotp(world, userId);
  const { recoveryCodes } = await confirmTotp(
    world,
    userId,
    { code: codeAt(otpauthUri, world.clock.now()) },
    { ip: IP },
  );
  return { userId, otpauthUri, recoveryCodes };
}

const loginDeps = (world: TwoFactorWorld) => ({ ...world, twoFactor: totpLoginStep(world) });

function loginWith(world: TwoFactorWorld, proof: { totpCode?: string; recoveryCode?: string } = {}) {
  return login(loginDeps(world), {
    email: EMAIL,
    password: PASSWORD,
    captcha: world.captcha.solution(),
    ip: IP,
    ...proof,
  });
}

describe('TOTP codes (RFC 6238)', () => {
  const secret = newTotpSecret();
  const now = new Date('2026-03-01T10:00:10.000Z');
  const codeOf = (at: number) => TOTP.generate({ secret: Secret.fromBase32(secret), timestamp: at });

  it('makes 20-byte secrets', () => {
    expect(Secret.fromBase32(secret).bytes).toHaveLength(20);
    expect(newTotpSecret()).not.toBe(secret);
  });

  it('accepts the current step and one either side, naming the step matched; refuses two away', () => {
    const step = totpStep(now);
    expect(matchingStep(secret, codeOf(now.getTime()), now)).toBe(step);
    expect(matchingStep(secret, codeOf(now.getTime() - STEP_MS), now)).toBe(step - 1);
    expect(matchingStep(secret, codeOf(now.getTime() + STEP_MS), now)).toBe(step + 1);
    expect(matchingStep(secret, codeOf(now.getTime() - 2 * STEP_MS), now)).toBeNull();
    expect(matchingStep(secret, codeOf(now.getTime() + 2 * STEP_MS), now)).toBeNull();
    expect(matchingStep(secret, 'abcdef', now)).toBeNull();
    expect(matchingStep(secret, '12345', now)).toBeNull();
  });

  it('makes ten distinct 80-bit recovery codes whose stored form ignores case, dashes and spaces', () => {
    const codes = newRecoveryCodes();
    expect(codes).toHaveLength(10);
    expect(new Set(codes).size).toBe(10);
    for (const code of codes) expect(code).toMatch(/^[a-z2-7]{4}(-[a-z2-7]{4}){3}$/);
    const code = codes[0] ?? '';
    const hash = recoveryCodeHash(code);
    expect(hash).toMatch(/^[0-9a-f]{64}$/);
    expect(recoveryCodeHash(code.toUpperCase().replaceAll('-', ' '))).toBe(hash);
    expect(recoveryCodeHash('not-a-code')).toBeNull();
    expect(recoveryCodeHash(`${code}a`)).toBeNull();
  });
});

describe('enroll and confirm', () => {
  it('enrolls: an otpauth URI (issuer, email label, 20-byte secret) and a QR code; the secret is stored sealed', async () => {
    const world = twoFactorWorld();
    const userId = await verifiedUser(world);
    const enrollment = await enrollTotp(world, userId);

    const totp = URI.parse(enrollment.otpauthUri) as TOTP;
    expect(totp).toMatchObject({ issuer: TOTP_ISSUER, label: EMAIL, digits: 6, period: 30 });
    expect(totp.secret.bytes).toHaveLength(20);
    expect(enrollment.qrCode).toMatch(/^data:image\/svg\+xml;base64,/);
    expect(Buffer.from(enrollment.qrCode.split(',')[1] ?? '', 'base64').toString()).toContain('<svg');

    const stored = await world.totp.get(userId);
    expect(stored).toMatchObject({ status: 'pending', userId });
    expect(JSON.stringify(stored)).not.toContain(totp.secret.base32);
    await expect(
      world.secretBox.open(stored?.secret ?? ({} as never), { userId, purpose: 'totp' }),
    ).resolves.toBe(totp.secret.base32);
    expect((await world.users.get(userId))?.totpEnabled).toBe(false);
  });

  it('re-enrolling replaces the pending secret: only the newest one confirms', async () => {
    const world = twoFactorWorld();
    const userId = await verifiedUser(world);
    const first = await enrollTotp(world, userId);
    const second = await enrollTotp(world, userId);
    expect(second.otpauthUri).not.toBe(first.otpauthUri);
    const now = world.clock.now();
    expect(
      await refusal(confirmTotp(world, userId, { code: codeAt(first.otpauthUri, now) }, { ip: IP })),
    ).toMatchObject({
      status: 400,
      code: 'TOTP.INVALID_CODE',
    });
    await expect(
      confirmTotp(world, userId, { code: codeAt(second.otpauthUri, now) }, { ip: IP }),
    ).resolves.toMatchObject({ enabled: true });
  });

  it('confirms with a valid code: 2FA on, ten recovery codes stored hashed, audited; then enroll and confirm answer 409', async () => {
    const world = twoFactorWorld();
    const { userId, otpauthUri, recoveryCodes } = await userWithTwoFactor(world);

    expect(recoveryCodes).toHaveLength(10);
    expect((await world.users.get(userId))?.totpEnabled).toBe(true);
    const stored = world.totp.items.get(userId);
    expect(stored?.status).toBe('active');
    const storedText = JSON.stringify({
      ...stored,
      hashes: [...((stored as { recoveryCodeHashes?: Set<string> }).recoveryCodeHashes ?? [])],
    });
    for (const code of recoveryCodes) {
      expect(storedText).not.toContain(code);
      expect(storedText).toContain(recoveryCodeHash(code) ?? 'missing');
    }
    expect(world.audit.events.find((e) => e.type === 'totp.enabled')).toMatchObject({
      userId,
      ip: IP,
      details: { codesIssued: 10 },
    });
    expect(JSON.stringify(world.audit.events)).not.toContain(recoveryCodes[0]);

    expect(await refusal(enrollTotp(world, userId))).toMatchObject({
      status: 409,
      code: 'TOTP.ALREADY_ENABLED',
    });
    world.clock.advance(30);
    const code = codeAt(otpauthUri, world.clock.now());
    expect(await refusal(confirmTotp(world, userId, { code }, { ip: IP }))).toMatchObject({
      status: 409,
      code: 'TOTP.ALREADY_ENABLED',
    });
  });

  it('refuses a wrong code with 400, rate limits confirmation per user, and forgets an expired enrollment', async () => {
    const world = twoFactorWorld();
    const userId = await verifiedUser(world);
    const { otpauthUri } = await enrollTotp(world, userId);
    const wrong = codeAt(otpauthUri, new Date(world.clock.now().getTime() + 10 * STEP_MS));
    for (let i = 0; i < SECOND_FACTOR_RATE_RULE.limit; i++) {
      expect(await refusal(confirmTotp(world, userId, { code: wrong }, { ip: IP }))).toMatchObject({
        status: 400,
        code: 'TOTP.INVALID_CODE',
      });
    }
    const limited = await refusal(
      confirmTotp(world, userId, { code: codeAt(otpauthUri, world.clock.now()) }, { ip: IP }),
    );
    expect(limited).toMatchObject({ status: 429, code: 'TOTP.TOO_MANY_ATTEMPTS' });
    expect(Number(limited.headers?.['retry-after'])).toBeGreaterThan(0);

    world.clock.advance(PENDING_ENROLLMENT_SECONDS);
    const late = codeAt(otpauthUri, world.clock.now());
    expect(await refusal(confirmTotp(world, userId, { code: late }, { ip: IP }))).toMatchObject({
      status: 409,
      code: 'TOTP.NOT_ENROLLED',
    });
    expect((await world.users.get(userId))?.totpEnabled).toBe(false);
  });
});

describe('login with 2FA on', () => {
  it('asks for the second factor after the right password, and refuses a wrong code (audited)', async () => {
    const world = twoFactorWorld();
    const { userId, otpauthUri } = await userWithTwoFactor(world);
    world.clock.advance(30);
    expect(await refusal(loginWith(world))).toMatchObject({ status: 401, code: 'AUTH.TWO_FACTOR_REQUIRED' });
    const wrong = codeAt(otpauthUri, new Date(world.clock.now().getTime() + 5 * STEP_MS));
    expect(await refusal(loginWith(world, { totpCode: wrong }))).toMatchObject({
      status: 401,
      code: 'AUTH.INVALID_SECOND_FACTOR',
    });
    expect(world.audit.events.at(-1)).toMatchObject({
      type: 'login.failed',
      userId,
      details: { reason: 'wrong-second-factor' },
    });
    expect(world.sessions.items.size).toBe(0);
    await expect(
      loginWith(world, { totpCode: codeAt(otpauthUri, world.clock.now()) }),
    ).resolves.toMatchObject({
      tokenType: 'Bearer',
    });
    expect(world.audit.events.at(-1)).toMatchObject({
      type: 'login.succeeded',
      details: { secondFactor: 'totp' },
    });
  });

  it('refuses a replayed code within its window, the confirming code included, and an older step after a newer one', async () => {
    const world = twoFactorWorld();
    const { otpauthUri } = await userWithTwoFactor(world);
    // The code that confirmed enrollment is still within its window: already used.
    const confirming = codeAt(otpauthUri, world.clock.now());
    expect(await refusal(loginWith(world, { totpCode: confirming }))).toMatchObject({
      code: 'AUTH.INVALID_SECOND_FACTOR',
    });
    world.clock.advance(30);
    const code = codeAt(otpauthUri, world.clock.now());
    await expect(loginWith(world, { totpCode: code })).resolves.toMatchObject({ tokenType: 'Bearer' });
    expect(await refusal(loginWith(world, { totpCode: code }))).toMatchObject({
      status: 401,
      code: 'AUTH.INVALID_SECOND_FACTOR',
    });
    // A code of the next step (clock drift) is accepted once; then the previous step's is too old.
    const next = codeAt(otpauthUri, new Date(world.clock.now().getTime() + STEP_MS));
    await expect(loginWith(world, { totpCode: next })).resolves.toMatchObject({ tokenType: 'Bearer' });
    world.clock.advance(5);
    expect(await refusal(loginWith(world, { totpCode: code }))).toMatchObject({
      code: 'AUTH.INVALID_SECOND_FACTOR',
    });
  });

  it('lets a recovery code in once, audited; never twice', async () => {
    const world = twoFactorWorld();
    const { userId, recoveryCodes } = await userWithTwoFactor(world);
    const code = recoveryCodes[3] ?? '';
    await expect(loginWith(world, { recoveryCode: code.toUpperCase() })).resolves.toMatchObject({
      tokenType: 'Bearer',
    });
    expect(world.audit.events.find((e) => e.type === 'totp.recovery-code-used')).toMatchObject({
      userId,
      ip: IP,
      details: { codesLeft: 9 },
    });
    expect(await refusal(loginWith(world, { recoveryCode: code }))).toMatchObject({
      status: 401,
      code: 'AUTH.INVALID_SECOND_FACTOR',
    });
    expect((await world.totp.get(userId)) as { recoveryCodesLeft: number }).toMatchObject({
      recoveryCodesLeft: 9,
    });
    expect(JSON.stringify(world.audit.events)).not.toContain(code);
  });

  it(`counts wrong codes towards the lockout: after ${RATE_RULES.loginAccount.limit}, even a right code gets 429`, async () => {
    const world = twoFactorWorld();
    const { otpauthUri } = await userWithTwoFactor(world);
    world.clock.advance(30);
    const wrong = codeAt(otpauthUri, new Date(world.clock.now().getTime() + 5 * STEP_MS));
    for (let i = 0; i < RATE_RULES.loginAccount.limit; i++) {
      expect((await refusal(loginWith(world, { totpCode: wrong }))).code).toBe('AUTH.INVALID_SECOND_FACTOR');
    }
    const locked = await refusal(loginWith(world, { totpCode: codeAt(otpauthUri, world.clock.now()) }));
    expect(locked).toMatchObject({ status: 429, code: 'AUTH.LOCKED' });
    expect(world.audit.types().filter((t) => t === 'login.locked')).toHaveLength(1);
  });

  it('fails closed when the credentials say 2FA is on but no active factor is stored', async () => {
    const world = twoFactorWorld();
    const userId = await verifiedUser(world);
    world.users.patch(userId, { totpEnabled: true });
    expect((await refusal(loginWith(world))).code).toBe('AUTH.TWO_FACTOR_REQUIRED');
    expect((await refusal(loginWith(world, { totpCode: '123456' }))).code).toBe('AUTH.INVALID_SECOND_FACTOR');
  });
});

describe('requireSecondFactor (sensitive actions)', () => {
  it('passes without a code when 2FA is off', async () => {
    const world = twoFactorWorld();
    const userId = await verifiedUser(world);
    await expect(requireSecondFactor(world, userId, {}, world.clock.now())).resolves.toBe('not-enrolled');
  });

  it('with 2FA on: 403 without a code or with a wrong or replayed one, passes with a fresh code or a recovery code', async () => {
    const world = twoFactorWorld();
    const { userId, otpauthUri, recoveryCodes } = await userWithTwoFactor(world);
    world.clock.advance(30);
    const now = world.clock.now();
    expect(await refusal(requireSecondFactor(world, userId, {}, now))).toMatchObject({
      status: 403,
      code: 'AUTH.TWO_FACTOR_REQUIRED',
    });
    expect(await refusal(requireSecondFactor(world, userId, { totpCode: '000000' }, now))).toMatchObject({
      status: 403,
      code: 'AUTH.INVALID_SECOND_FACTOR',
    });
    const code = codeAt(otpauthUri, now);
    await expect(requireSecondFactor(world, userId, { totpCode: code }, now)).resolves.toBe('totp');
    expect((await refusal(requireSecondFactor(world, userId, { totpCode: code }, now))).code).toBe(
      'AUTH.INVALID_SECOND_FACTOR',
    );
    const recovery = { recoveryCode: recoveryCodes[0] ?? '' };
    await expect(requireSecondFactor(world, userId, recovery, now)).resolves.toBe('recovery-code');
    expect((await refusal(requireSecondFactor(world, userId, recovery, now))).code).toBe(
      'AUTH.INVALID_SECOND_FACTOR',
    );
  });

  it(`allows ${SECOND_FACTOR_RATE_RULE.limit} wrong codes per window, then 429`, async () => {
    const world = twoFactorWorld();
    const { userId } = await userWithTwoFactor(world);
    const now = world.clock.now();
    for (let i = 0; i < SECOND_FACTOR_RATE_RULE.limit; i++) {
      await refusal(requireSecondFactor(world, userId, { totpCode: '000000' }, now));
    }
    expect(await refusal(requireSecondFactor(world, userId, { totpCode: '000000' }, now))).toMatchObject({
      status: 429,
      code: 'TOTP.TOO_MANY_ATTEMPTS',
    });
  });
});

describe('disable', () => {
  it('needs the password (checked first: no recovery code is spent on a wrong one)', async () => {
    const world = twoFactorWorld();
    const { userId, recoveryCodes } = await userWithTwoFactor(world);
    const recoveryCode = recoveryCodes[0] ?? '';
    expect(
      await refusal(disableTotp(world, userId, { password: 'Not-The-Password-1', recoveryCode }, { ip: IP })),
    ).toMatchObject({ status: 403, code: 'AUTH.INVALID_PASSWORD' });
    expect(await world.totp.get(userId)).toMatchObject({ status: 'active', recoveryCodesLeft: 10 });
    expect(
      await refusal(disableTotp(world, userId, { password: PASSWORD, totpCode: '000000' }, { ip: IP })),
    ).toMatchObject({ status: 403, code: 'AUTH.INVALID_SECOND_FACTOR' });
    expect((await world.users.get(userId))?.totpEnabled).toBe(true);
  });

  it('turns 2FA off: secret and recovery codes gone, other sessions revoked (not this one), audited; login on the password again', async () => {
    const world = twoFactorWorld();
    const { userId, otpauthUri } = await userWithTwoFactor(world);
    const current = await startSession(world, userId, world.clock.now());
    const other = await startSession(world, userId, world.clock.now());
    world.clock.advance(30);
    const answer = await disableTotp(
      world,
      userId,
      { password: PASSWORD, totpCode: codeAt(otpauthUri, world.clock.now()) },
      { ip: IP, sessionId: current.session.familyId },
    );
    expect(answer).toEqual({ enabled: false, revokedSessions: 1 });
    expect(await world.totp.get(userId)).toBeNull();
    expect((await world.users.get(userId))?.totpEnabled).toBe(false);
    expect((await world.sessions.get(userId, current.session.familyId))?.revokedAt).toBeUndefined();
    expect(await world.sessions.get(userId, other.session.familyId)).toMatchObject({
      revokedReason: 'two-factor-disabled',
    });
    expect(world.audit.events.at(-1)).toMatchObject({
      type: 'totp.disabled',
      userId,
      details: { with: 'totp', revokedSessions: 1 },
    });

    await expect(loginWith(world)).resolves.toMatchObject({ tokenType: 'Bearer' });
    expect(
      await refusal(disableTotp(world, userId, { password: PASSWORD, totpCode: '000000' }, { ip: IP })),
    ).toMatchObject({ status: 409, code: 'TOTP.NOT_ENABLED' });
    // And it can be enrolled again from scratch.
    await expect(enrollTotp(world, userId)).resolves.toHaveProperty('otpauthUri');
  });

  it('its body needs exactly one of the two codes, besides the password', () => {
    expect(totpDisableRequestSchema.safeParse({ password: 'x' }).success).toBe(false);
    expect(totpDisableRequestSchema.safeParse({ password: 'x', totpCode: '123 456' }).data).toEqual({
      password: 'x',
      totpCode: '123456',
    });
    expect(
      totpDisableRequestSchema.safeParse({ password: 'x', totpCode: '123456', recoveryCode: 'abcd' }).success,
    ).toBe(false);
    expect(totpDisableRequestSchema.safeParse({ password: 'x', totpCode: '12345a' }).success).toBe(false);
  });
});

describe('audit events of 2FA', () => {
  it('carry no detail whose name the audit log refuses as secret-looking', async () => {
    const world = twoFactorWorld();
    const { userId, otpauthUri, recoveryCodes } = await userWithTwoFactor(world);
    await loginWith(world, { recoveryCode: recoveryCodes[0] ?? '' });
    world.clock.advance(30);
    await refusal(loginWith(world, { totpCode: '000000' }));
    const code = codeAt(otpauthUri, world.clock.now());
    await disableTotp(world, userId, { password: PASSWORD, totpCode: code }, { ip: IP });
    // The pattern DynamoAuditLog refuses (shared/adapters/security/dynamo-audit-log.ts).
    const secretLooking = /pass(word)?|token|secret|api[-_]?key|private|otp|recovery|credential/i;
    const names = world.audit.events.flatMap((e) => Object.keys(e.details ?? {}));
    expect(world.audit.types()).toEqual(
      expect.arrayContaining(['totp.enabled', 'totp.recovery-code-used', 'login.failed', 'totp.disabled']),
    );
    expect(names.filter((name) => secretLooking.test(name))).toEqual([]);
  });
});
