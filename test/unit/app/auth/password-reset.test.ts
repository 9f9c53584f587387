import { describe, expect, it } from 'vitest';
import { changePassword } from '../../../../shared/app/auth/change-password.js';
import { login } from '../../../../shared/app/auth/login.js';
import { tokenHash } from '../../../../shared/app/auth/opaque-tokens.js';
import {
  PASSWORD_RESET_TTL_SECONDS,
  RESET_REQUESTED,
  requestPasswordReset,
  resetPassword,
} from '../../../../shared/app/auth/password-reset.js';
import { RATE_RULES } from '../../../../shared/app/auth/rate-rules.js';
import { register } from '../../../../shared/app/auth/register.js';
import { verifyEmail } from '../../../../shared/app/auth/verify-email.js';
import { type AuthWorld, authWorld, refusal } from '../../../support/auth-fakes.js';

const EMAIL = 'trader@example.com';
const PASSWORD = 'Violet-Harbor-Lantern-42';
const NEW_PASSWORD = 'Copper-Willow-Station-58';
const IP = '198.51.100.7';

async function registered(world: AuthWorld, email = EMAIL, verified = true) {
  await register(world, { email, password: PASSWORD, captcha: world.captcha.solution(), ip: IP });
  if (verified) await verifyEmail(world, { token: world.mailer.lastVerificationToken(email), ip: IP });
  const user = await world.users.findByEmail(email);
  if (!user) throw new Error('no user');
  return user;
}

const request = (world: AuthWorld, email = EMAIL, ip = IP) =>
  requestPasswordReset(world, { email, captcha: world.captcha.solution(), ip });

const reset = (world: AuthWorld, token: string, newPassword = NEW_PASSWORD) =>
  resetPassword(world, { token, newPassword, ip: IP });

const loginWith = (world: AuthWorld, password: string) =>
  login(world, { email: EMAIL, password, captcha: world.captcha.solution(), ip: IP });

const resetMails = (world: AuthWorld, to = EMAIL) =>
  world.mailer.sent.filter((m) => m.to === to && m.purpose === 'password-reset');

function lastResetToken(world: AuthWorld, to = EMAIL): string {
  const token = /\/reset-password\?token=([A-Za-z0-9_-]+)/.exec(
    resetMails(world, to).at(-1)?.text ?? '',
  )?.[1];
  if (!token) throw new Error(`no reset mail to ${to}`);
  return token;
}

describe('request a password reset', () => {
  it('mails an active owner a single-use link to the web app, valid 1 hour, stored only hashed, and audits', async () => {
    const world = authWorld();
    const user = await registered(world);
    expect(await request(world, '  Trader@Example.com ')).toEqual(RESET_REQUESTED);

    const [mail] = resetMails(world);
    expect(mail?.text).toContain('https://app.verzek.test/reset-password?token=');
    expect(mail?.html).toContain('https://app.verzek.test/reset-password?token=');
    const token = lastResetToken(world);
    const stored = world.tokens.items.get(tokenHash(token));
    expect(stored).toMatchObject({
      purpose: 'password-reset',
      userId: user.userId,
      expiresAt: Math.floor(world.clock.now().getTime() / 1000) + PASSWORD_RESET_TTL_SECONDS,
    });
    expect(JSON.stringify([...world.tokens.items.values()])).not.toContain(token);
    const audited = world.audit.events.find((e) => e.type === 'password.reset-requested');
    expect(audited).toMatchObject({ userId: user.userId, actor: 'user', ip: IP });
    expect(JSON.stringify(audited)).not.toContain(token);
  });

  it('answers as for any address when the mail cannot be sent, and records that in the audit', async () => {
    const world = authWorld();
    const user = await registered(world);
    world.mailer.send = async () => {
      throw new Error('Resend is down');
    };
    expect(await request(world)).toEqual(RESET_REQUESTED);
    const audited = world.audit.events.find((e) => e.type === 'password.reset-requested');
    expect(audited).toMatchObject({ userId: user.userId, details: { mailed: false } });
  });

  it('answers an unknown, an unverified and a disabled address identically, and mails none of them', async () => {
    const world = authWorld();
    const waiting = await registered(world, 'waiting@example.com', false);
    const disabled = await registered(world, 'gone@example.com');
    world.users.patch(disabled.userId, { status: 'disabled' });
    const tokensBefore = world.tokens.items.size;
    const mailsBefore = world.mailer.sent.length;

    for (const email of ['nobody@example.com', waiting.email, disabled.email]) {
      expect(await request(world, email)).toEqual(RESET_REQUESTED);
    }
    expect(world.mailer.sent.length).toBe(mailsBefore);
    expect(world.tokens.items.size).toBe(tokensBefore);
    expect(world.audit.types()).not.toContain('password.reset-requested');
  });

  it('waits out minimumAnswerMs whether or not there is someone to mail', async () => {
    const world = authWorld();
    const deps = { ...world, minimumAnswerMs: 60 };
    const started = performance.now();
    await requestPasswordReset(deps, {
      email: 'nobody@example.com',
      captcha: world.captcha.solution(),
      ip: IP,
    });
    expect(performance.now() - started).toBeGreaterThanOrEqual(55);
  });

  it('refuses a missing or reused CAPTCHA (400) and mails nothing', async () => {
    const world = authWorld();
    await registered(world);
    const solution = world.captcha.solution();
    await requestPasswordReset(world, { email: EMAIL, captcha: solution, ip: IP });
    const reused = await refusal(requestPasswordReset(world, { email: EMAIL, captcha: solution, ip: IP }));
    expect(reused).toMatchObject({ status: 400, code: 'CAPTCHA.INVALID' });
    expect(resetMails(world)).toHaveLength(1);
  });

  it('shares the per-address mail budget with register, for known and unknown addresses alike', async () => {
    const world = authWorld();
    await registered(world); // one verification mail spent
    const limit = RATE_RULES.verificationMailEmail.limit;
    for (let i = 1; i < limit; i++) await request(world, EMAIL, `203.0.113.${i}`);
    const limited = await refusal(request(world, EMAIL, '203.0.113.99'));
    expect(limited).toMatchObject({ status: 429, code: 'RATE.LIMITED' });
    expect(resetMails(world)).toHaveLength(limit - 1);

    for (let i = 0; i < limit; i++) await request(world, 'nobody@example.com', `203.0.113.${50 + i}`);
    expect(await refusal(request(world, 'nobody@example.com', '203.0.113.98'))).toMatchObject({
      status: 429,
    });
  });

  it(`limits requests per IP to ${RATE_RULES.passwordResetIp.limit} an hour`, async () => {
    const world = authWorld();
    for (let i = 0; i < RATE_RULES.passwordResetIp.limit; i++) await request(world, `n${i}@example.com`);
    const limited = await refusal(request(world, 'one-more@example.com'));
    expect(limited).toMatchObject({ status: 429, code: 'RATE.LIMITED' });
    expect(Number(limited.headers?.['retry-after'])).toBeGreaterThan(0);
  });
});

describe('reset the password with the token', () => {
  it('sets the new password, revokes every session, audits; the token works once', async () => {
    const world = authWorld();
    const user = await registered(world);
    await loginWith(world, PASSWORD);
    await loginWith(world, PASSWORD);
    await request(world);
    const token = lastResetToken(world);
    world.clock.advance(120);

    expect(await reset(world, token)).toEqual({ reset: true });
    expect(world.sessions.ofUser(user.userId).map((s) => s.revokedReason)).toEqual([
      'password-reset',
      'password-reset',
    ]);
    const audited = world.audit.events.find((e) => e.type === 'password.reset');
    expect(audited).toMatchObject({ userId: user.userId, details: { revokedSessions: 2 } });
    expect(JSON.stringify(world.audit.events)).not.toContain(token);
    expect(JSON.stringify(world.audit.events)).not.toContain(NEW_PASSWORD);

    expect(await refusal(loginWith(world, PASSWORD))).toMatchObject({ status: 401 });
    expect((await loginWith(world, NEW_PASSWORD)).accessToken).toBeTruthy();
    expect(await refusal(reset(world, token, 'Another-Fresh-Passphrase-33'))).toMatchObject({
      status: 400,
      code: 'TOKEN.INVALID',
    });
  });

  it('clears the login lockout of the account', async () => {
    const world = authWorld();
    await registered(world);
    for (let i = 0; i < RATE_RULES.loginAccount.limit; i++)
      await refusal(loginWith(world, `Wrong-${i}-Password`));
    expect(await refusal(loginWith(world, PASSWORD))).toMatchObject({ status: 429, code: 'AUTH.LOCKED' });
    await request(world);
    await reset(world, lastResetToken(world));
    expect((await loginWith(world, NEW_PASSWORD)).accessToken).toBeTruthy();
  });

  it('refuses an expired, a malformed, an unknown token and one of another purpose, alike', async () => {
    const world = authWorld();
    await registered(world);
    await request(world);
    const token = lastResetToken(world);
    const verification = world.mailer.lastVerificationToken(EMAIL);
    const answers = [
      await refusal(reset(world, 'not a token')),
      await refusal(reset(world, 'A'.repeat(43))),
      await refusal(reset(world, verification)),
    ];
    world.clock.advance(PASSWORD_RESET_TTL_SECONDS);
    answers.push(await refusal(reset(world, token)));
    for (const answer of answers) {
      expect(answer).toEqual({
        status: 400,
        code: 'TOKEN.INVALID',
        message: 'The link is invalid, expired or already used',
        headers: undefined,
      });
    }
    expect(world.audit.types()).not.toContain('password.reset');
  });

  it('gives the link back when the new password breaks the policy, so the owner can try again', async () => {
    const world = authWorld();
    await registered(world);
    await request(world);
    const token = lastResetToken(world);
    const weak = await refusal(reset(world, token, 'password1234'));
    expect(weak).toMatchObject({ status: 400, code: 'PASSWORD.TOO_WEAK' });
    const ownEmail = await refusal(reset(world, token, EMAIL));
    expect(ownEmail).toMatchObject({ status: 400, code: 'PASSWORD.TOO_WEAK' });
    expect(await reset(world, token)).toEqual({ reset: true });
  });

  it('ends earlier links: after a reset or a change, a link issued before it is refused', async () => {
    const world = authWorld();
    const user = await registered(world);
    await request(world);
    const older = lastResetToken(world);
    world.clock.advance(60);
    await request(world);
    const newer = lastResetToken(world);
    world.clock.advance(60);
    await reset(world, newer);
    expect(await refusal(reset(world, older, 'Another-Fresh-Passphrase-33'))).toMatchObject({
      code: 'TOKEN.INVALID',
    });

    const second = authWorld();
    const other = await registered(second);
    await request(second);
    const beforeChange = lastResetToken(second);
    second.clock.advance(60);
    await changePassword(
      second,
      other.userId,
      { currentPassword: PASSWORD, newPassword: NEW_PASSWORD },
      { ip: IP },
    );
    expect(await refusal(reset(second, beforeChange, 'Another-Fresh-Passphrase-33'))).toMatchObject({
      code: 'TOKEN.INVALID',
    });
    expect(user.userId).toBeTruthy();
  });

  it('refuses the link of an account disabled since it was sent', async () => {
    const world = authWorld();
    const user = await registered(world);
    await request(world);
    world.users.patch(user.userId, { status: 'disabled' });
    expect(await refusal(reset(world, lastResetToken(world)))).toMatchObject({ code: 'TOKEN.INVALID' });
    expect((await world.users.get(user.userId))?.passwordHash).toBe(user.passwordHash);
  });

  it(`limits confirmations per IP to ${RATE_RULES.passwordResetConfirmIp.limit} per 15 minutes`, async () => {
    const world = authWorld();
    for (let i = 0; i < RATE_RULES.passwordResetConfirmIp.limit; i++)
      await refusal(reset(world, 'A'.repeat(43)));
    expect(await refusal(reset(world, 'A'.repeat(43)))).toMatchObject({ status: 429, code: 'RATE.LIMITED' });
  });
});
