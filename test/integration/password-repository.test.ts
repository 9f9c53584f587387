// The password write of the credentials repository against DynamoDB Local: only an active user's
// hash changes, only over the expected hash when one is given (of two racing writes one wins), and a
// consumed reset token can be put back (what a reset refused by the policy does).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoActionTokenRepository } from '../../shared/adapters/dynamodb/action-token-repository.js';
import { DynamoUserAuthRepository } from '../../shared/adapters/dynamodb/user-auth-repository.js';
import { newRandomId, tokenHash } from '../../shared/app/auth/opaque-tokens.js';
import type { UserAuth, UserStatus } from '../../shared/ports/auth-repositories.js';
import { type LocalServices, startLocalServices } from '../support/local-services.js';

let services: LocalServices;
let users: DynamoUserAuthRepository;
let tokens: DynamoActionTokenRepository;

beforeAll(async () => {
  services = await startLocalServices();
  users = new DynamoUserAuthRepository(services.db, services.tableName);
  tokens = new DynamoActionTokenRepository(services.db, services.tableName);
});
afterAll(async () => {
  await services?.stop();
});

const AT = '2026-03-01T10:00:00.000Z';
const LATER = '2026-03-01T11:00:00.000Z';

async function stored(email: string, status: UserStatus): Promise<UserAuth> {
  const userId = newRandomId('usr_');
  const user: UserAuth = {
    userId,
    email,
    passwordHash: 'scrypt$old',
    status,
    role: 'user',
    createdAt: AT,
    totpEnabled: false,
  };
  await users.create(user, { userId, email, displayName: 'x', createdAt: AT });
  return user;
}

describe('setting a password hash', () => {
  it('replaces an active user’s hash and records when', async () => {
    const user = await stored('one@example.com', 'active');
    expect(await users.setPasswordHash(user.userId, 'scrypt$new', LATER)).toBe(true);
    expect(await users.get(user.userId)).toEqual({
      ...user,
      passwordHash: 'scrypt$new',
      passwordChangedAt: LATER,
    });
  });

  it('writes only over the expected hash: of two racing writes from one read, one wins', async () => {
    const user = await stored('two@example.com', 'active');
    const results = await Promise.all(
      ['scrypt$a', 'scrypt$b', 'scrypt$c'].map((hash) =>
        users.setPasswordHash(user.userId, hash, LATER, { expectedHash: 'scrypt$old' }),
      ),
    );
    expect(results.filter(Boolean)).toHaveLength(1);
    expect(await users.setPasswordHash(user.userId, 'scrypt$d', LATER, { expectedHash: 'scrypt$old' })).toBe(
      false,
    );
  });

  it('never writes for an unverified, a disabled or an unknown user', async () => {
    const waiting = await stored('three@example.com', 'unverified');
    const disabled = await stored('four@example.com', 'disabled');
    expect(await users.setPasswordHash(waiting.userId, 'scrypt$new', LATER)).toBe(false);
    expect(await users.setPasswordHash(disabled.userId, 'scrypt$new', LATER)).toBe(false);
    expect(await users.setPasswordHash('usr_nobody', 'scrypt$new', LATER)).toBe(false);
    expect((await users.get(disabled.userId))?.passwordHash).toBe('scrypt$old');
    expect(await users.get('usr_nobody')).toBeNull();
  });
});

describe('a reset token put back', () => {
  it('is usable once more after being consumed and put back, and then gone', async () => {
    const now = new Date(AT);
    const token = {
      tokenHash: tokenHash('reset-me'),
      purpose: 'password-reset',
      userId: 'usr_r',
      createdAt: AT,
      expiresAt: Math.floor(now.getTime() / 1000) + 3600,
    } as const;
    await tokens.put(token);
    const consumed = await tokens.consume(token.tokenHash, 'password-reset', now);
    expect(consumed).toEqual(token);
    if (consumed) await tokens.put(consumed);
    expect(await tokens.consume(token.tokenHash, 'password-reset', now)).toEqual(token);
    expect(await tokens.consume(token.tokenHash, 'password-reset', now)).toBeNull();
  });
});
