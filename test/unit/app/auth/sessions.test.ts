import { describe, expect, it } from 'vitest';
import { login } from '../../../../shared/app/auth/login.js';
import { logout } from '../../../../shared/app/auth/logout.js';
import { logoutEverywhere } from '../../../../shared/app/auth/logout-everywhere.js';
import { newOpaqueToken, tokenHash } from '../../../../shared/app/auth/opaque-tokens.js';
import { refreshSession } from '../../../../shared/app/auth/refresh.js';
import { register } from '../../../../shared/app/auth/register.js';
import {
  formatRefreshToken,
  parseRefreshToken,
  REFRESH_FAMILY_TTL_SECONDS,
  ROTATED_HASHES_KEPT,
} from '../../../../shared/app/auth/session-tokens.js';
import { verifyEmail } from '../../../../shared/app/auth/verify-email.js';
import { type AuthWorld, authWorld, refusal } from '../../../support/auth-fakes.js';

const PASSWORD = 'Violet-Harbor-Lantern-42';
const IP = '198.51.100.7';

async function signedIn(world: AuthWorld, email = 'trader@example.com') {
  if (!(await world.users.findByEmail(email))) {
    await register(world, { email, password: PASSWORD, captcha: world.captcha.solution(), ip: IP });
    await verifyEmail(world, { token: world.mailer.lastVerificationToken(email), ip: IP });
  }
  return login(world, { email, password: PASSWORD, captcha: world.captcha.solution(), ip: IP });
}

const refresh = (world: AuthWorld, refreshToken: string) => refreshSession(world, { refreshToken, ip: IP });
const familyOf = (world: AuthWorld, token: string) => {
  const parts = parseRefreshToken(token);
  return world.sessions.items.get(`${parts?.userId}/${parts?.familyId}`);
};

describe('refresh', () => {
  it('rotates the current token: a new pair in the same family, the old token no longer current', async () => {
    const world = authWorld();
    const first = await signedIn(world);
    world.clock.advance(600);
    const second = await refresh(world, first.refreshToken);

    expect(second.refreshToken).not.toBe(first.refreshToken);
    expect(parseRefreshToken(second.refreshToken)?.familyId).toBe(
      parseRefreshToken(first.refreshToken)?.familyId,
    );
    const session = familyOf(world, second.refreshToken);
    expect(session).toMatchObject({ generation: 1, tokenHash: tokenHash(second.refreshToken) });
    expect(session?.rotatedHashes).toEqual([tokenHash(first.refreshToken)]);
    // Rotation does not extend the family's life.
    expect(second.refreshExpiresIn).toBe(REFRESH_FAMILY_TTL_SECONDS - 600);
    const third = await refresh(world, second.refreshToken);
    expect(familyOf(world, third.refreshToken)?.generation).toBe(2);
  });

  it('treats a rotated token as reuse: 401, the whole family revoked (the newest token too) and audited', async () => {
    const world = authWorld();
    const first = await signedIn(world);
    const second = await refresh(world, first.refreshToken);

    const reuse = await refusal(refresh(world, first.refreshToken));
    expect(reuse).toMatchObject({ status: 401, code: 'AUTH.INVALID_REFRESH_TOKEN' });
    expect(familyOf(world, first.refreshToken)).toMatchObject({ revokedReason: 'reuse-detected' });
    expect(await refusal(refresh(world, second.refreshToken))).toMatchObject({ status: 401 });
    const userId = parseRefreshToken(first.refreshToken)?.userId;
    expect(world.audit.types(userId).filter((t) => t === 'session.reuse-detected')).toHaveLength(1);
  });

  it('leaves the other sessions of the user alone when one family is revoked for reuse', async () => {
    const world = authWorld();
    const phone = await signedIn(world);
    const laptop = await signedIn(world);
    await refresh(world, phone.refreshToken);
    await refusal(refresh(world, phone.refreshToken));
    await expect(refresh(world, laptop.refreshToken)).resolves.toMatchObject({ tokenType: 'Bearer' });
  });

  it('does not revoke a family for a made-up token that only knows its ids', async () => {
    const world = authWorld();
    const pair = await signedIn(world);
    const parts = parseRefreshToken(pair.refreshToken);
    if (!parts) throw new Error('unparsable');
    const forged = formatRefreshToken({ ...parts, secret: newOpaqueToken() });
    expect(await refusal(refresh(world, forged))).toMatchObject({
      status: 401,
      code: 'AUTH.INVALID_REFRESH_TOKEN',
    });
    expect(familyOf(world, pair.refreshToken)?.revokedAt).toBeUndefined();
    await expect(refresh(world, pair.refreshToken)).resolves.toBeDefined();
  });

  it('refuses malformed, unknown, expired and revoked tokens with the same 401', async () => {
    const world = authWorld();
    const expiring = await signedIn(world);
    const loggedOut = await signedIn(world);
    await logout(world, { refreshToken: loggedOut.refreshToken, ip: IP });
    const answers = [
      await refusal(refresh(world, 'garbage')),
      await refusal(
        refresh(world, formatRefreshToken({ userId: 'usr_x', familyId: 'f', secret: newOpaqueToken() })),
      ),
      await refusal(refresh(world, loggedOut.refreshToken)),
    ];
    world.clock.advance(REFRESH_FAMILY_TTL_SECONDS);
    answers.push(await refusal(refresh(world, expiring.refreshToken)));
    for (const answer of answers) expect(answer).toEqual(answers[0]);
    expect(answers[0]?.status).toBe(401);
  });

  it('counts a lost rotation race as reuse: the same token was used twice', async () => {
    const world = authWorld();
    const pair = await signedIn(world);
    world.sessions.loseNextRotation = true;
    expect((await refusal(refresh(world, pair.refreshToken))).status).toBe(401);
    expect(familyOf(world, pair.refreshToken)?.revokedReason).toBe('reuse-detected');
  });

  it('ends the session of a user who was disabled meanwhile', async () => {
    const world = authWorld();
    const pair = await signedIn(world);
    world.users.patch(parseRefreshToken(pair.refreshToken)?.userId ?? '', { status: 'disabled' });
    expect((await refusal(refresh(world, pair.refreshToken))).status).toBe(401);
    expect(familyOf(world, pair.refreshToken)?.revokedReason).toBe('user-inactive');
  });

  it(`remembers the last ${ROTATED_HASHES_KEPT} rotated tokens of a family`, async () => {
    const world = authWorld();
    let pair = await signedIn(world);
    const first = pair.refreshToken;
    for (let i = 0; i < ROTATED_HASHES_KEPT + 3; i++) pair = await refresh(world, pair.refreshToken);
    const session = familyOf(world, pair.refreshToken);
    expect(session?.rotatedHashes).toHaveLength(ROTATED_HASHES_KEPT);
    expect(session?.rotatedHashes).not.toContain(tokenHash(first));
  });
});

describe('logout', () => {
  it('revokes the family of the token; repeating it changes nothing', async () => {
    const world = authWorld();
    const pair = await signedIn(world);
    await logout(world, { refreshToken: pair.refreshToken, ip: IP });
    await logout(world, { refreshToken: pair.refreshToken, ip: IP });
    expect(familyOf(world, pair.refreshToken)?.revokedReason).toBe('logout');
    expect(world.audit.types().filter((t) => t === 'session.logged-out')).toHaveLength(1);
    expect((await refusal(refresh(world, pair.refreshToken))).status).toBe(401);
  });

  it('ignores malformed and made-up tokens', async () => {
    const world = authWorld();
    const pair = await signedIn(world);
    const parts = parseRefreshToken(pair.refreshToken);
    if (!parts) throw new Error('unparsable');
    await logout(world, { refreshToken: 'nonsense', ip: IP });
    await logout(world, { refreshToken: formatRefreshToken({ ...parts, secret: newOpaqueToken() }), ip: IP });
    expect(familyOf(world, pair.refreshToken)?.revokedAt).toBeUndefined();
  });

  it('logout everywhere revokes every session of the caller and no one else’s', async () => {
    const world = authWorld();
    const phone = await signedIn(world);
    const laptop = await signedIn(world);
    const other = await signedIn(world, 'other@example.com');
    const userId = parseRefreshToken(phone.refreshToken)?.userId ?? '';

    expect(await logoutEverywhere(world, userId, { ip: IP })).toEqual({ revokedSessions: 2 });
    for (const pair of [phone, laptop])
      expect((await refusal(refresh(world, pair.refreshToken))).status).toBe(401);
    await expect(refresh(world, other.refreshToken)).resolves.toBeDefined();
    expect(world.audit.events.find((e) => e.type === 'session.logged-out-everywhere')).toMatchObject({
      userId,
      details: { revokedSessions: 2 },
    });
  });
});
