// The TOTP repository against DynamoDB Local: a pending record replaces a pending one but never an
// active one, activation is conditional on the enrollment and flips the credentials in the same
// transaction, a time step is accepted once and a recovery code removed once even under concurrency,
// removal takes the record and the flag together, and the item never carries index attributes.
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { keys } from '../../shared/adapters/dynamodb/keys.js';
import { DynamoTwoFactorRepository } from '../../shared/adapters/dynamodb/two-factor-repository.js';
import { DynamoUserAuthRepository } from '../../shared/adapters/dynamodb/user-auth-repository.js';
import { newRandomId } from '../../shared/app/auth/opaque-tokens.js';
import type { SealedSecret } from '../../shared/ports/security.js';
import type { PendingTotp } from '../../shared/ports/two-factor.js';
import { type LocalServices, startLocalServices } from '../support/local-services.js';

let services: LocalServices;
let users: DynamoUserAuthRepository;
let totp: DynamoTwoFactorRepository;

beforeAll(async () => {
  services = await startLocalServices();
  users = new DynamoUserAuthRepository(services.db, services.tableName);
  totp = new DynamoTwoFactorRepository(services.db, services.tableName);
});
afterAll(async () => {
  await services?.stop();
});

const AT = '2026-03-01T10:00:00.000Z';
const sealed = (marker: string): SealedSecret => ({
  version: 1,
  keyId: 'local:test',
  encryptedDataKey: Buffer.from(`key-${marker}`).toString('base64'),
  iv: 'aXY=',
  ciphertext: Buffer.from(`ct-${marker}`).toString('base64'),
  tag: 'dGFn',
});

async function newUser(): Promise<string> {
  const userId = newRandomId('usr_');
  const email = `${userId.toLowerCase()}@example.com`;
  await users.create(
    {
      userId,
      email,
      passwordHash: 'scrypt$x',
      status: 'active',
      role: 'user',
      createdAt: AT,
      totpEnabled: false,
    },
    { userId, email, displayName: 'x', createdAt: AT },
  );
  return userId;
}

const pending = (userId: string, marker: string): PendingTotp => ({
  status: 'pending',
  userId,
  enrollmentId: `tfa_${marker}`,
  secret: sealed(marker),
  createdAt: AT,
  expiresAt: 1_900_000_000,
});

const rawItem = async (userId: string) =>
  (await services.db.send(new GetCommand({ TableName: services.tableName, Key: keys.totp(userId) }))).Item;

async function activeUser(codes = ['a'.repeat(64), 'b'.repeat(64)]) {
  const userId = await newUser();
  await totp.putPending(pending(userId, 'one'));
  const activated = await totp.activate(userId, {
    enrollmentId: 'tfa_one',
    secret: sealed('one'),
    enabledAt: AT,
    lastUsedStep: 100,
    recoveryCodeHashes: codes,
  });
  expect(activated).toBe(true);
  return userId;
}

describe('TOTP records in DynamoDB', () => {
  it('stores a pending enrollment with its TTL and no index attributes; a new one replaces it', async () => {
    const userId = await newUser();
    expect(await totp.putPending(pending(userId, 'one'))).toBe(true);
    expect(await totp.get(userId)).toEqual(pending(userId, 'one'));
    const item = await rawItem(userId);
    expect(item?.expiresAt).toBe(1_900_000_000);
    expect(item?.gsi1pk).toBeUndefined();
    expect(await totp.putPending(pending(userId, 'two'))).toBe(true);
    expect(await totp.get(userId)).toMatchObject({ enrollmentId: 'tfa_two', secret: sealed('two') });
  });

  it('activates only the current enrollment, with the credentials, and then refuses a pending record', async () => {
    const userId = await newUser();
    await totp.putPending(pending(userId, 'one'));
    await totp.putPending(pending(userId, 'two'));
    const activation = {
      secret: sealed('two'),
      enabledAt: AT,
      lastUsedStep: 100,
      recoveryCodeHashes: ['a'.repeat(64), 'b'.repeat(64)],
    };
    expect(await totp.activate(userId, { ...activation, enrollmentId: 'tfa_one' })).toBe(false);
    expect((await users.get(userId))?.totpEnabled).toBe(false);
    expect(await totp.activate(userId, { ...activation, enrollmentId: 'tfa_two' })).toBe(true);
    expect((await users.get(userId))?.totpEnabled).toBe(true);
    expect(await totp.get(userId)).toEqual({
      status: 'active',
      userId,
      secret: sealed('two'),
      enabledAt: AT,
      lastUsedStep: 100,
      recoveryCodesLeft: 2,
    });
    const item = await rawItem(userId);
    expect(item?.expiresAt).toBeUndefined();
    expect(item?.enrollmentId).toBeUndefined();
    expect(item?.gsi1pk).toBeUndefined();
    expect(await totp.putPending(pending(userId, 'three'))).toBe(false);
    expect(await totp.get(userId)).toMatchObject({ status: 'active', secret: sealed('two') });
  });

  it('accepts a time step once, only later ones after it, and one winner among concurrent uses', async () => {
    const userId = await activeUser();
    expect(await totp.markStepUsed(userId, 100)).toBe(false);
    expect(await totp.markStepUsed(userId, 99)).toBe(false);
    const outcomes = await Promise.all(Array.from({ length: 5 }, () => totp.markStepUsed(userId, 101)));
    expect(outcomes.filter(Boolean)).toHaveLength(1);
    expect(await totp.get(userId)).toMatchObject({ lastUsedStep: 101 });
    expect(await totp.markStepUsed(userId, 102)).toBe(true);
  });

  it('removes a recovery code once, even when used concurrently', async () => {
    const userId = await activeUser();
    const outcomes = await Promise.all(
      Array.from({ length: 5 }, () => totp.consumeRecoveryCode(userId, 'a'.repeat(64))),
    );
    expect(outcomes.filter(Boolean)).toHaveLength(1);
    expect(await totp.consumeRecoveryCode(userId, 'c'.repeat(64))).toBe(false);
    expect(await totp.get(userId)).toMatchObject({ recoveryCodesLeft: 1 });
    expect(await totp.consumeRecoveryCode(userId, 'b'.repeat(64))).toBe(true);
    expect(await totp.get(userId)).toMatchObject({ recoveryCodesLeft: 0 });
    expect(await totp.consumeRecoveryCode(userId, 'b'.repeat(64))).toBe(false);
  });

  it('refuses steps and recovery codes of a pending record', async () => {
    const userId = await newUser();
    await totp.putPending(pending(userId, 'one'));
    expect(await totp.markStepUsed(userId, 5)).toBe(false);
    expect(await totp.consumeRecoveryCode(userId, 'a'.repeat(64))).toBe(false);
  });

  it('removes the record and turns the flag off together', async () => {
    const userId = await activeUser();
    await totp.remove(userId);
    expect(await totp.get(userId)).toBeNull();
    expect((await users.get(userId))?.totpEnabled).toBe(false);
    expect(await totp.markStepUsed(userId, 500)).toBe(false);
  });
});
