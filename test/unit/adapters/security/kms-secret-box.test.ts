// The KMS box with the real @aws-sdk/client-kms against the fake KMS on loopback: data keys come from
// GenerateDataKey with the context as EncryptionContext, open asks Decrypt with the same context
// and the pinned key, and a context KMS refuses (InvalidCiphertextException) is a SecretBoxError.
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SecretBoxError } from '../../../../shared/adapters/security/envelope-crypto.js';
import { KmsSecretBox } from '../../../../shared/adapters/security/kms-secret-box.js';
import { LocalSecretBox } from '../../../../shared/adapters/security/local-secret-box.js';
import { kmsClientFor, secretBoxFor } from '../../../../shared/adapters/security/secret-box-for.js';
import type { SealedSecret } from '../../../../shared/ports/security.js';
import { type FakeKms, startFakeKms } from '../../../support/fake-kms.js';

let kms: FakeKms;
let box: KmsSecretBox;
const env = () => ({ STAGE: 'dev' as const, AWS_REGION: 'us-east-1', KMS_ENDPOINT: kms.endpoint });
const context = { userId: 'user-a', accountId: 'acc_1', exchange: 'binance' };
const SECRET = JSON.stringify({ apiKey: 'kms-key-0123456789', secret: 'kms-secret-should-never-show' });

beforeAll(async () => {
  kms = await startFakeKms();
  box = new KmsSecretBox(kmsClientFor(env()), kms.keyArn);
});
afterAll(async () => {
  await kms?.close();
});

describe('KmsSecretBox (fake KMS, real client)', () => {
  it('seals with a KMS data key bound to the context and opens with the same context', async () => {
    const before = kms.requests.length;
    const sealed = await box.seal(SECRET, context);
    expect(sealed.keyId).toBe(kms.keyArn);
    expect(JSON.stringify(sealed)).not.toContain('kms-secret-should-never-show');
    expect(await box.open(sealed, context)).toBe(SECRET);

    const [generate, decrypt] = kms.requests.slice(before);
    expect(generate).toMatchObject({
      operation: 'GenerateDataKey',
      body: { KeyId: kms.keyArn, KeySpec: 'AES_256', EncryptionContext: context },
    });
    expect(generate?.authorization).toMatch(/\/kms\/aws4_request/);
    expect(decrypt).toMatchObject({
      operation: 'Decrypt',
      body: { KeyId: kms.keyArn, CiphertextBlob: sealed.encryptedDataKey, EncryptionContext: context },
    });
  });

  it('is refused by KMS for another context (InvalidCiphertextException → SecretBoxError)', async () => {
    const sealed = await box.seal(SECRET, context);
    await expect(box.open(sealed, { ...context, userId: 'user-b' })).rejects.toBeInstanceOf(SecretBoxError);
    await expect(box.open(sealed, { ...context, accountId: 'acc_2' })).rejects.toBeInstanceOf(SecretBoxError);
  });

  it('refuses tampered data and a data key from another sealed item', async () => {
    const a = await box.seal(SECRET, context);
    const b = await box.seal('other', context);
    const ciphertext = Buffer.from(a.ciphertext, 'base64');
    ciphertext[0] = (ciphertext[0] ?? 0) ^ 0xff;
    const tampered: SealedSecret = { ...a, ciphertext: ciphertext.toString('base64') };
    await expect(box.open(tampered, context)).rejects.toBeInstanceOf(SecretBoxError);
    await expect(box.open({ ...a, encryptedDataKey: b.encryptedDataKey }, context)).rejects.toBeInstanceOf(
      SecretBoxError,
    );
    const blob = Buffer.from(a.encryptedDataKey, 'base64');
    blob[blob.length - 1] = (blob[blob.length - 1] ?? 0) ^ 0x01;
    await expect(
      box.open({ ...a, encryptedDataKey: blob.toString('base64') }, context),
    ).rejects.toBeInstanceOf(SecretBoxError);
  });

  it('seals the same secret differently every time', async () => {
    const a = await box.seal(SECRET, context);
    const b = await box.seal(SECRET, context);
    expect(a.encryptedDataKey).not.toBe(b.encryptedDataKey);
    expect(a.ciphertext).not.toBe(b.ciphertext);
  });

  it('accepts the key by alias and still records the ARN; an unknown key is KMS NotFoundException', async () => {
    const byAlias = new KmsSecretBox(kmsClientFor(env()), kms.alias);
    const sealed = await byAlias.seal(SECRET, context);
    expect(sealed.keyId).toBe(kms.keyArn);
    expect(await byAlias.open(sealed, context)).toBe(SECRET);
    const unknown = new KmsSecretBox(kmsClientFor(env()), 'alias/nope');
    await expect(unknown.seal(SECRET, context)).rejects.toMatchObject({ name: 'NotFoundException' });
    // Not a SecretBoxError: the key is misconfigured, not the secret.
    await expect(unknown.seal(SECRET, context)).rejects.not.toBeInstanceOf(SecretBoxError);
  });

  it('is what secretBoxFor builds when KMS_KEY_ID is set', async () => {
    const chosen = secretBoxFor({
      ...env(),
      KMS_KEY_ID: kms.keyArn,
      LOCAL_MASTER_KEY: randomBytes(32).toString('base64'),
    });
    const sealed = await chosen.seal(SECRET, context);
    expect(await box.open(sealed, context)).toBe(SECRET);
    // A local box cannot open a KMS-sealed secret.
    await expect(
      new LocalSecretBox(randomBytes(32).toString('base64')).open(sealed, context),
    ).rejects.toBeInstanceOf(SecretBoxError);
  });
});
