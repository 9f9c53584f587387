import { describe, expect, it } from 'vitest';
import { tokenHash } from '../../../../shared/app/auth/opaque-tokens.js';
import { RATE_RULES } from '../../../../shared/app/auth/rate-rules.js';
import { REGISTER_ACCEPTED, register } from '../../../../shared/app/auth/register.js';
import { resendVerification } from '../../../../shared/app/auth/resend-verification.js';
import { verifyEmail } from '../../../../shared/app/auth/verify-email.js';
import { type AuthWorld, authWorld, refusal } from '../../../support/auth-fakes.js';

const PASSWORD = 'Violet-Harbor-Lantern-42';
const IP = '198.51.100.7';

function signUp(world: AuthWorld, email: string, overrides: Partial<Parameters<typeof register>[1]> = {}) {
  return register(world, {
    email,
    password: PASSWORD,
    captcha: world.captcha.solution(),
    ip: IP,
    ...overrides,
  });
}

describe('register', () => {
  it('creates an unverified user with a hashed password and mails a single-use verification link', async () => {
    const world = authWorld();
    expect(await signUp(world, '  Trader@Example.COM ', { referralCode: 'FRIEND-1' })).toEqual(
      REGISTER_ACCEPTED,
    );

    const user = await world.users.findByEmail('trader@example.com');
    expect(user).toMatchObject({
      email: 'trader@example.com',
      status: 'unverified',
      role: 'user',
      totpEnabled: false,
    });
    expect(user?.referralCode).toBe('FRIEND-1');
    expect(user?.passwordHash).not.toContain(PASSWORD);
    expect(world.users.profiles.get(user?.userId ?? '')).toMatchObject({ email: 'trader@example.com' });

    const [mail] = world.mailer.sent;
    expect(mail).toMatchObject({ to: 'trader@example.com', purpose: 'verify-email' });
    expect(mail?.text).toContain('https://app.verzek.test/verify-email?token=');
    const token = world.mailer.lastVerificationToken('trader@example.com');
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    // Only the token's hash is stored, with its purpose, user and a 24-hour expiry.
    expect(world.tokens.items.has(token)).toBe(false);
    const stored = world.tokens.items.get(tokenHash(token));
    const nowSeconds = Math.floor(world.clock.now().getTime() / 1000);
    expect(stored).toMatchObject({
      purpose: 'verify-email',
      userId: user?.userId,
      expiresAt: nowSeconds + 24 * 3600,
    });

    expect(world.audit.events).toEqual([
      expect.objectContaining({
        type: 'user.registered',
        userId: user?.userId,
        ip: IP,
        details: { referred: true },
      }),
    ]);
    expect(JSON.stringify(world.audit.events)).not.toContain(PASSWORD);
  });

  it('answers a taken address exactly as a new one, creates nothing and mails only its owner', async () => {
    const world = authWorld();
    const first = await signUp(world, 'owner@example.com');
    const owner = await world.users.findByEmail('owner@example.com');
    world.users.patch(owner?.userId ?? '', { status: 'active' });
    world.mailer.sent.length = 0;
    const hashesBefore = world.hasher.hashes;

    const second = await signUp(world, 'OWNER@example.com', { password: 'Another-Long-Passphrase-7' });
    expect(second).toEqual(first);
    expect(world.users.byId.size).toBe(1);
    expect((await world.users.findByEmail('owner@example.com'))?.passwordHash).toBe(owner?.passwordHash);
    // The same work (a hash) is done, so the answer does not come back faster either.
    expect(world.hasher.hashes).toBe(hashesBefore + 1);
    // The owner gets a note with no link that would act on the account, and the attempt is not audited as a registration.
    expect(world.mailer.sent).toEqual([
      expect.objectContaining({ to: 'owner@example.com', purpose: 'notification' }),
    ]);
    expect(world.mailer.sent[0]?.text).not.toContain('token=');
    expect(world.audit.types()).toEqual(['user.registered']);
  });

  it('mails a fresh verification link when the taken address is still unverified', async () => {
    const world = authWorld();
    await signUp(world, 'waiting@example.com');
    const firstToken = world.mailer.lastVerificationToken('waiting@example.com');
    await signUp(world, 'waiting@example.com');
    const secondToken = world.mailer.lastVerificationToken('waiting@example.com');
    expect(secondToken).not.toBe(firstToken);
    expect(world.users.byId.size).toBe(1);
  });

  it('refuses a weak password with the policy problems, before the CAPTCHA is spent', async () => {
    const world = authWorld();
    const answer = await refusal(
      signUp(world, 'weak@example.com', { password: 'password1234', captcha: 'ok-spare' }),
    );
    expect(answer).toMatchObject({ status: 400, code: 'PASSWORD.TOO_WEAK' });
    expect(await world.captcha.verify('ok-spare')).toBe(true);
    expect(world.users.byId.size).toBe(0);
  });

  it('refuses a wrong or reused CAPTCHA solution and creates nothing', async () => {
    const world = authWorld();
    expect(await refusal(signUp(world, 'bot@example.com', { captcha: 'guess' }))).toMatchObject({
      status: 400,
      code: 'CAPTCHA.INVALID',
    });
    const solution = world.captcha.solution();
    await signUp(world, 'first@example.com', { captcha: solution });
    expect(await refusal(signUp(world, 'second@example.com', { captcha: solution }))).toMatchObject({
      code: 'CAPTCHA.INVALID',
    });
    expect(world.users.byId.size).toBe(1);
  });

  it(`answers 429 with Retry-After after ${RATE_RULES.registerIp.limit} registrations from one IP in an hour`, async () => {
    const world = authWorld();
    for (let i = 0; i < RATE_RULES.registerIp.limit; i++) await signUp(world, `user${i}@example.com`);
    const answer = await refusal(signUp(world, 'one-more@example.com'));
    expect(answer.status).toBe(429);
    expect(Number(answer.headers?.['retry-after'])).toBeGreaterThan(0);
    world.clock.advance(3600);
    await expect(signUp(world, 'one-more@example.com')).resolves.toEqual(REGISTER_ACCEPTED);
  });

  it('limits the mails one address receives, whether or not it has an account', async () => {
    const world = authWorld();
    const limit = RATE_RULES.verificationMailEmail.limit;
    for (let i = 0; i < limit; i++) await signUp(world, 'target@example.com', { ip: `203.0.113.${i}` });
    expect((await refusal(signUp(world, 'target@example.com', { ip: '203.0.113.99' }))).status).toBe(429);
    expect(world.mailer.sent).toHaveLength(limit);
  });
});

describe('verify email', () => {
  async function registered(world: AuthWorld, email = 'new@example.com') {
    await signUp(world, email);
    return world.mailer.lastVerificationToken(email);
  }

  it('activates the user once; the same link a second time is refused', async () => {
    const world = authWorld();
    const token = await registered(world);
    expect(await verifyEmail(world, { token, ip: IP })).toEqual({ verified: true });
    const user = await world.users.findByEmail('new@example.com');
    expect(user).toMatchObject({ status: 'active', verifiedAt: world.clock.now().toISOString() });
    expect(world.audit.types(user?.userId)).toContain('user.email-verified');

    expect(await refusal(verifyEmail(world, { token, ip: IP }))).toMatchObject({
      status: 400,
      code: 'TOKEN.INVALID',
    });
  });

  it('refuses an expired, a malformed and a made-up token alike', async () => {
    const world = authWorld();
    const token = await registered(world);
    world.clock.advance(24 * 3600);
    const answers = await Promise.all(
      [token, 'not-a-token', 'A'.repeat(43)].map((t) => refusal(verifyEmail(world, { token: t, ip: IP }))),
    );
    for (const answer of answers) expect(answer).toEqual(answers[0]);
    expect(answers[0]).toMatchObject({ status: 400, code: 'TOKEN.INVALID' });
    expect((await world.users.findByEmail('new@example.com'))?.status).toBe('unverified');
  });

  it('does not reactivate a disabled user through an old link', async () => {
    const world = authWorld();
    const token = await registered(world);
    const user = await world.users.findByEmail('new@example.com');
    world.users.patch(user?.userId ?? '', { status: 'disabled' });
    await verifyEmail(world, { token, ip: IP });
    expect((await world.users.get(user?.userId ?? ''))?.status).toBe('disabled');
  });
});

describe('resend verification', () => {
  it('mails a new link to an unverified address; either link then verifies it', async () => {
    const world = authWorld();
    await signUp(world, 'late@example.com');
    const first = world.mailer.lastVerificationToken('late@example.com');
    await resendVerification(world, { email: 'Late@Example.com', ip: IP });
    const second = world.mailer.lastVerificationToken('late@example.com');
    expect(second).not.toBe(first);
    await verifyEmail(world, { token: second, ip: IP });
    expect((await world.users.findByEmail('late@example.com'))?.status).toBe('active');
  });

  it('gives an unknown and a verified address the same answer, and mails neither', async () => {
    const world = authWorld();
    await signUp(world, 'done@example.com');
    await verifyEmail(world, { token: world.mailer.lastVerificationToken('done@example.com'), ip: IP });
    world.mailer.sent.length = 0;
    const unknown = await resendVerification(world, { email: 'nobody@example.com', ip: IP });
    const verified = await resendVerification(world, { email: 'done@example.com', ip: IP });
    expect(unknown).toEqual(verified);
    expect(world.mailer.sent).toEqual([]);
  });

  it(`answers 429 after ${RATE_RULES.verificationMailEmail.limit} mails to one address in an hour`, async () => {
    const world = authWorld();
    const limit = RATE_RULES.verificationMailEmail.limit;
    for (let i = 0; i < limit; i++)
      await resendVerification(world, { email: 'x@example.com', ip: `192.0.2.${i}` });
    const answer = await refusal(resendVerification(world, { email: 'x@example.com', ip: '192.0.2.200' }));
    expect(answer.status).toBe(429);
    expect(answer.headers?.['retry-after']).toBeDefined();
  });
});
