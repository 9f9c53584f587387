// Envelope encryption with the local master key: a round trip, the context bound to the ciphertext,
// tampering refused anywhere in the sealed item, and a fresh data key and IV for every seal.
import { createHash, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { canonicalContext, SecretBoxError } from '../../../../shared/adapters/security/envelope-crypto.js';
import { LocalSecretBox } from '../../../../shared/adapters/security/local-secret-box.js';
import { secretBoxFor } from '../../../../shared/adapters/security/secret-box-for.js';
import { ConfigError } from '../../../../shared/config/env.js';
import type { SealedSecret } from '../../../../shared/ports/security.js';

const master = randomBytes(32).toString('base64');
const box = new LocalSecretBox(master);
const context = { userId: 'user-a', accountId: 'acc_1', exchange: 'binance' };
const SECRET = JSON.stringify({ apiKey: 'k-0123456789abcdef', secret: 's-fedcba9876543210-very-secret' });

/** Flips one bit of one base64 field. */
function flip(sealed: SealedSecret, field: 'encryptedDataKey' | 'iv' | 'ciphertext' | 'tag'): SealedSecret {
  const bytes = Buffer.from(sealed[field], 'base64');
  bytes[bytes.length >> 1] = (bytes[bytes.length >> 1] ?? 0) ^ 0x01;
  return { ...sealed, [field]: bytes.toString('base64') };
}

describe('LocalSecretBox', () => {
  it('opens what it sealed, with the same context', async () => {
    const sealed = await box.seal(SECRET, context);
    expect(await box.open(sealed, context)).toBe(SECRET);
    // Key order in the context does not matter: it is canonicalised.
    expect(await box.open(sealed, { exchange: 'binance', accountId: 'acc_1', userId: 'user-a' })).toBe(
      SECRET,
    );
  });

  it('names its key by a fingerprint of the master key, and stores no plaintext', async () => {
    const sealed = await box.seal(SECRET, context);
    const fingerprint = createHash('sha256').update(Buffer.from(master, 'base64')).digest('hex').slice(0, 8);
    expect(sealed.keyId).toBe(`local:${fingerprint}`);
    expect(sealed.version).toBe(1);
    expect(Buffer.from(sealed.iv, 'base64')).toHaveLength(12);
    expect(Buffer.from(sealed.tag, 'base64')).toHaveLength(16);
    const stored = JSON.stringify(sealed);
    expect(stored).not.toContain('s-fedcba9876543210-very-secret');
    expect(stored).not.toContain(Buffer.from(SECRET).toString('base64').slice(0, 16));
  });

  it.each([
    ['another user', { ...context, userId: 'user-b' }],
    ['another account', { ...context, accountId: 'acc_2' }],
    ['another exchange', { ...context, exchange: 'bybit' }],
    ['a missing entry', { userId: 'user-a', accountId: 'acc_1' }],
    ['an extra entry', { ...context, mode: 'live' }],
  ])('refuses to open with %s in the context', async (_name, other) => {
    const sealed = await box.seal(SECRET, context);
    await expect(box.open(sealed, other)).rejects.toBeInstanceOf(SecretBoxError);
  });

  it.each(['encryptedDataKey', 'iv', 'ciphertext', 'tag'] as const)(
    'refuses a tampered %s',
    async (field) => {
      const sealed = await box.seal(SECRET, context);
      await expect(box.open(flip(sealed, field), context)).rejects.toBeInstanceOf(SecretBoxError);
    },
  );

  it('refuses a truncated tag, a swapped data key and a malformed item', async () => {
    const a = await box.seal(SECRET, context);
    const b = await box.seal('another secret', context);
    const shortTag = { ...a, tag: Buffer.from(a.tag, 'base64').subarray(0, 4).toString('base64') };
    await expect(box.open(shortTag, context)).rejects.toBeInstanceOf(SecretBoxError);
    await expect(box.open({ ...a, encryptedDataKey: b.encryptedDataKey }, context)).rejects.toBeInstanceOf(
      SecretBoxError,
    );
    await expect(box.open({ ...a, version: 2 } as unknown as SealedSecret, context)).rejects.toBeInstanceOf(
      SecretBoxError,
    );
    await expect(box.open({ ...a, ciphertext: '' }, context)).rejects.toBeInstanceOf(SecretBoxError);
  });

  it('seals the same secret differently every time (fresh data key and IV)', async () => {
    const a = await box.seal(SECRET, context);
    const b = await box.seal(SECRET, context);
    expect(a.encryptedDataKey).not.toBe(b.encryptedDataKey);
    expect(a.iv).not.toBe(b.iv);
    expect(a.ciphertext).not.toBe(b.ciphertext);
    expect(await box.open(b, context)).toBe(SECRET);
  });

  it('does not open what another master key sealed', async () => {
    const other = new LocalSecretBox(randomBytes(32).toString('base64'));
    const sealed = await other.seal(SECRET, context);
    await expect(box.open(sealed, context)).rejects.toBeInstanceOf(SecretBoxError);
    // Even when the item claims this box's key id.
    await expect(box.open({ ...sealed, keyId: box.keyId }, context)).rejects.toBeInstanceOf(SecretBoxError);
  });

  it('refuses an empty context and a master key that is not 32 bytes', async () => {
    await expect(box.seal(SECRET, {})).rejects.toBeInstanceOf(SecretBoxError);
    expect(() => new LocalSecretBox(randomBytes(16).toString('base64'))).toThrow(ConfigError);
  });

  it('canonicalises the context as JSON of sorted keys, integer-like keys included', () => {
    expect(canonicalContext({ b: '2', a: '1', '10': 'x' }).toString()).toBe('{"10":"x","a":"1","b":"2"}');
    expect(canonicalContext({ '2': 'y', '10': 'x' }).toString()).toBe('{"10":"x","2":"y"}');
  });
});

describe('secretBoxFor', () => {
  const base = { STAGE: 'local' as const, AWS_REGION: 'us-east-1' };

  it('picks KMS when KMS_KEY_ID is set, even with a local master key', () => {
    const chosen = secretBoxFor({ ...base, KMS_KEY_ID: 'alias/x', LOCAL_MASTER_KEY: master });
    expect(chosen.constructor.name).toBe('KmsSecretBox');
  });

  it('picks the local box in the local run', () => {
    expect(secretBoxFor({ ...base, LOCAL_MASTER_KEY: master })).toBeInstanceOf(LocalSecretBox);
  });

  it('refuses a local master key outside the local run, and says what is missing when neither is set', () => {
    expect(() => secretBoxFor({ ...base, STAGE: 'prod', LOCAL_MASTER_KEY: master })).toThrow(/KMS_KEY_ID/);
    expect(() => secretBoxFor(base)).toThrow(ConfigError);
    expect(() => secretBoxFor(base)).toThrow(/KMS_KEY_ID.*LOCAL_MASTER_KEY/);
  });
});
