// The sign-up and session repositories against DynamoDB Local: one owner per email (also under
// concurrency), action tokens usable exactly once, conditional rotation and revocation of session
// families, and no secret-bearing item on the all-projecting index. Then the use cases end to end on
// the real adapters (scrypt at a test cost, the DynamoDB rate limiter and audit log).
import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoActionTokenRepository } from '../../shared/adapters/dynamodb/action-token-repository.js';
import { keys } from '../../shared/adapters/dynamodb/keys.js';
import { DynamoSessionRepository } from '../../shared/adapters/dynamodb/session-repository.js';
import { DynamoUserAuthRepository } from '../../shared/adapters/dynamodb/user-auth-repository.js';
import { DynamoAuditLog } from '../../shared/adapters/security/dynamo-audit-log.js';
import { DynamoRateLimiter } from '../../shared/adapters/security/dynamo-rate-limiter.js';
import { ScryptPasswordHasher } from '../../shared/adapters/security/scrypt-password-hasher.js';
import { dummyPasswordHash, login } from '../../shared/app/auth/login.js';
import { newRandomId, tokenHash } from '../../shared/app/auth/opaque-tokens.js';
import { refreshSession } from '../../shared/app/auth/refresh.js';
import { register } from '../../shared/app/auth/register.js';
import { verifyEmail } from '../../shared/app/auth/verify-email.js';
import type { Session, UserAuth } from '../../shared/ports/auth-repositories.js';
import type { UserProfile } from '../../shared/ports/repositories.js';
import { FakeAccessTokens, FakeCaptcha, FakeClock, FakeMailer } from '../support/auth-fakes.js';
import { type LocalServices, startLocalServices } from '../support/local-services.js';

let services: LocalServices;
let users: DynamoUserAuthRepository;
let tokens: DynamoActionTokenRepository;
let sessions: DynamoSessionRepository;

beforeAll(async () => {
  services = await startLocalServices();
  users = new DynamoUserAuthRepository(services.db, services.tableName);
  tokens = new DynamoActionTokenRepository(services.db, services.tableName);
  sessions = new DynamoSessionRepository(services.db, services.tableName);
});
afterAll(async () => {
  await services?.stop();
});

const AT = '2026-03-01T10:00:00.000Z';

function newUser(email: string, userId = newRandomId('usr_')): { user: UserAuth; profile: UserProfile } {
  return {
    user: {
      userId,
      email,
      passwordHash: 'scrypt$131072$8$1$c2FsdHNhbHRzYWx0c2FsdA$aGFzaGhhc2hoYXNoaGFzaGhhc2hoYXNoaGFzaGhhc2g',
      status: 'unverified',
      role: 'user',
      createdAt: AT,
      totpEnabled: false,
    },
    profile: { userId, email, displayName: email.split('@')[0] ?? email, createdAt: AT },
  };
}

const rawItem = async (key: { pk: string; sk: string }) =>
  (await services.db.send(new GetCommand({ TableName: services.tableName, Key: key }))).Item;

describe('user credentials', () => {
  it('creates the credentials, the email owner and the profile together; secrets stay off the index', async () => {
    const { user, profile } = newUser('alpha@example.com');
    expect(await users.create(user, profile)).toBe('created');
    expect(await users.findByEmail('alpha@example.com')).toEqual(user);
    expect(await users.get(user.userId)).toEqual(user);

    const auth = await rawItem(keys.userAuth(user.userId));
    const owner = await rawItem(keys.emailOwner('alpha@example.com'));
    const profileItem = await rawItem(keys.user(user.userId));
    expect(auth?.gsi1pk).toBeUndefined();
    expect(owner).toMatchObject({ userId: user.userId });
    expect(owner?.gsi1pk).toBeUndefined();
    expect(profileItem).toMatchObject({ ...keys.userByEmail('alpha@example.com'), displayName: 'alpha' });
    expect(profileItem?.passwordHash).toBeUndefined();
  });

  it('refuses a second owner of an address and writes nothing of it', async () => {
    const first = newUser('beta@example.com');
    const second = newUser('beta@example.com');
    expect(await users.create(first.user, first.profile)).toBe('created');
    expect(await users.create(second.user, second.profile)).toBe('email-taken');
    expect(await users.get(second.user.userId)).toBeNull();
    expect(await rawItem(keys.user(second.user.userId))).toBeUndefined();
    expect((await users.findByEmail('beta@example.com'))?.userId).toBe(first.user.userId);
  });

  it('lets exactly one of several concurrent registrations of an address win', async () => {
    const attempts = Array.from({ length: 5 }, () => newUser('race@example.com'));
    const outcomes = await Promise.all(attempts.map((a) => users.create(a.user, a.profile)));
    expect(outcomes.filter((o) => o === 'created')).toHaveLength(1);
  });

  it('marks an unverified user verified once, and never a disabled one', async () => {
    const { user, profile } = newUser('gamma@example.com');
    await users.create(user, profile);
    expect(await users.markVerified(user.userId, AT)).toBe(true);
    expect(await users.markVerified(user.userId, AT)).toBe(false);
    expect(await users.get(user.userId)).toMatchObject({ status: 'active', verifiedAt: AT });

    const disabled = newUser('delta@example.com');
    await users.create({ ...disabled.user, status: 'disabled' }, disabled.profile);
    expect(await users.markVerified(disabled.user.userId, AT)).toBe(false);
    expect(await users.markVerified('usr_nobody', AT)).toBe(false);
    expect(await users.get('usr_nobody')).toBeNull();
    expect(await users.findByEmail('nobody@example.com')).toBeNull();
  });
});

describe('action tokens', () => {
  const now = new Date(AT);
  const nowSeconds = Math.floor(now.getTime() / 1000);
  const token = (hash: string, expiresAt = nowSeconds + 3600) =>
    ({ tokenHash: hash, purpose: 'verify-email', userId: 'usr_t', createdAt: AT, expiresAt }) as const;

  it('gives a token back once, with its TTL attribute, and never again', async () => {
    const hash = tokenHash('once');
    await tokens.put(token(hash));
    expect((await rawItem(keys.actionToken(hash)))?.expiresAt).toBe(nowSeconds + 3600);
    expect(await tokens.consume(hash, 'verify-email', now)).toEqual(token(hash));
    expect(await tokens.consume(hash, 'verify-email', now)).toBeNull();
  });

  it('lets exactly one of concurrent uses have it', async () => {
    const hash = tokenHash('contended');
    await tokens.put(token(hash));
    const results = await Promise.all(
      Array.from({ length: 6 }, () => tokens.consume(hash, 'verify-email', now)),
    );
    expect(results.filter((r) => r !== null)).toHaveLength(1);
  });

  it('refuses an expired token (TTL deletion is lazy) and one of another purpose, which stays usable', async () => {
    const expired = tokenHash('expired');
    await tokens.put(token(expired, nowSeconds));
    expect(await tokens.consume(expired, 'verify-email', now)).toBeNull();

    const reset = tokenHash('reset');
    await tokens.put({ ...token(reset), purpose: 'password-reset' });
    expect(await tokens.consume(reset, 'verify-email', now)).toBeNull();
    expect(await tokens.consume(reset, 'password-reset', now)).not.toBeNull();
  });
});

describe('sessions', () => {
  const session = (userId: string, familyId: string, hash = tokenHash(`${familyId}-0`)): Session => ({
    userId,
    familyId,
    tokenHash: hash,
    generation: 0,
    rotatedHashes: [],
    createdAt: AT,
    lastUsedAt: AT,
    expiresAt: Math.floor(Date.parse(AT) / 1000) + 30 * 24 * 3600,
  });

  it('rotates only from the current hash; of two concurrent rotations one wins', async () => {
    await sessions.create(session('usr_s1', 'fam1'));
    const next = (n: number) => ({
      tokenHash: tokenHash(`fam1-${n}`),
      generation: 1,
      rotatedHashes: [tokenHash('fam1-0')],
      lastUsedAt: AT,
    });
    const outcomes = await Promise.all([
      sessions.rotate('usr_s1', 'fam1', tokenHash('fam1-0'), next(1)),
      sessions.rotate('usr_s1', 'fam1', tokenHash('fam1-0'), next(2)),
    ]);
    expect(outcomes.filter(Boolean)).toHaveLength(1);
    const stored = await sessions.get('usr_s1', 'fam1');
    expect(stored).toMatchObject({ generation: 1, rotatedHashes: [tokenHash('fam1-0')] });
    expect([tokenHash('fam1-1'), tokenHash('fam1-2')]).toContain(stored?.tokenHash);
    expect((await rawItem(keys.session('usr_s1', 'fam1')))?.gsi1pk).toBeUndefined();
  });

  it('revokes idempotently, and a revoked family no longer rotates', async () => {
    await sessions.create(session('usr_s2', 'fam2'));
    expect(await sessions.revoke('usr_s2', 'fam2', AT, 'logout')).toBe(true);
    expect(await sessions.revoke('usr_s2', 'fam2', AT, 'logout')).toBe(false);
    expect(await sessions.revoke('usr_s2', 'missing', AT, 'logout')).toBe(false);
    expect(await sessions.get('usr_s2', 'missing')).toBeNull();
    expect(await sessions.get('usr_s2', 'fam2')).toMatchObject({ revokedAt: AT, revokedReason: 'logout' });
    const rotated = await sessions.rotate('usr_s2', 'fam2', tokenHash('fam2-0'), {
      tokenHash: tokenHash('fam2-1'),
      generation: 1,
      rotatedHashes: [],
      lastUsedAt: AT,
    });
    expect(rotated).toBe(false);
  });

  it("revokes all of one user's live families, across pages, and nothing else in the partition", async () => {
    const userId = 'usr_s3';
    // Large items make the query page, so revokeAll must follow LastEvaluatedKey.
    const padding = 'x'.repeat(60_000);
    for (let i = 0; i < 25; i++) {
      await services.db.send(
        new PutCommand({
          TableName: services.tableName,
          Item: { ...keys.session(userId, `fam-${i}`), ...session(userId, `fam-${i}`), padding },
        }),
      );
    }
    await sessions.revoke(userId, 'fam-0', AT, 'logout');
    await sessions.create(session('usr_s4', 'other'));
    await services.db.send(
      new PutCommand({
        TableName: services.tableName,
        Item: { ...keys.position(userId, 'p1'), status: 'open' },
      }),
    );

    expect(await sessions.revokeAll(userId, AT, 'logout-everywhere')).toBe(24);
    expect(await sessions.get(userId, 'fam-0')).toMatchObject({ revokedReason: 'logout' });
    expect(await sessions.get(userId, 'fam-24')).toMatchObject({ revokedReason: 'logout-everywhere' });
    expect((await sessions.get('usr_s4', 'other'))?.revokedAt).toBeUndefined();
    expect((await rawItem(keys.position(userId, 'p1')))?.revokedAt).toBeUndefined();
    expect(await sessions.revokeAll(userId, AT, 'logout-everywhere')).toBe(0);
  });
});

describe('the use cases on the real adapters', () => {
  it('registers, verifies, logs in, rotates, and revokes the family on reuse', async () => {
    const hasher = new ScryptPasswordHasher({ cost: { N: 2 ** 10, r: 8, p: 1 } });
    const mailer = new FakeMailer();
    const captcha = new FakeCaptcha();
    const audit = new DynamoAuditLog(services.db, services.tableName);
    const deps = {
      users,
      tokens,
      sessions,
      hasher,
      mailer,
      captcha,
      audit,
      limiter: new DynamoRateLimiter(services.db, services.tableName),
      clock: new FakeClock(),
      accessTokens: new FakeAccessTokens(),
      appBaseUrl: 'http://127.0.0.1:3000',
      dummyHash: dummyPasswordHash(hasher),
    };
    const ip = '203.0.113.50';
    const password = 'Violet-Harbor-Lantern-42';
    await register(deps, { email: 'Flow@Example.com', password, captcha: captcha.solution(), ip });
    const user = await users.findByEmail('flow@example.com');
    expect(user?.passwordHash).toMatch(/^scrypt\$1024\$8\$1\$/);
    await verifyEmail(deps, { token: mailer.lastVerificationToken('flow@example.com'), ip });

    const first = await login(deps, { email: 'flow@example.com', password, captcha: captcha.solution(), ip });
    const second = await refreshSession(deps, { refreshToken: first.refreshToken, ip });
    await expect(refreshSession(deps, { refreshToken: first.refreshToken, ip })).rejects.toMatchObject({
      status: 401,
    });
    await expect(refreshSession(deps, { refreshToken: second.refreshToken, ip })).rejects.toMatchObject({
      status: 401,
    });

    const { items } = await audit.listForUser(user?.userId ?? '', { limit: 20 });
    expect(items.map((e) => e.type).sort()).toEqual(
      [
        'login.succeeded',
        'session.refreshed',
        'session.reuse-detected',
        'user.email-verified',
        'user.registered',
      ].sort(),
    );
  });
});
