// Envelope encryption with AWS KMS (the cloud): KMS makes a fresh AES-256 data key per secret and
// hands back its plaintext (used once, here, then wiped) and its encrypted form (stored). The
// context goes to KMS as the EncryptionContext, so KMS itself refuses to unwrap the data key for
// another user or account, and into AES-GCM as associated data, so the ciphertext is bound too.
import {
  DecryptCommand,
  GenerateDataKeyCommand,
  IncorrectKeyException,
  InvalidCiphertextException,
  type KMSClient,
} from '@aws-sdk/client-kms';
import type { SealedSecret, SecretBox } from '../../ports/security.js';
import {
  assertSealedShape,
  canonicalContext,
  openWithDataKey,
  SecretBoxError,
  type SecretContext,
  sealWithDataKey,
} from './envelope-crypto.js';

export class KmsSecretBox implements SecretBox {
  constructor(
    private readonly kms: KMSClient,
    /** The key's ARN (or id or alias): data keys are made under it, and only it may unwrap them. */
    private readonly keyId: string,
  ) {}

  async seal(plaintext: string, context: SecretContext): Promise<SealedSecret> {
    canonicalContext(context); // refuses an empty context before KMS is asked for anything
    const out = await this.kms.send(
      new GenerateDataKeyCommand({
        KeyId: this.keyId,
        KeySpec: 'AES_256',
        EncryptionContext: { ...context },
      }),
    );
    if (out.Plaintext?.length !== 32 || !out.CiphertextBlob) {
      throw new SecretBoxError('KMS returned no usable data key');
    }
    const dataKey = Buffer.from(out.Plaintext);
    try {
      return sealWithDataKey(dataKey, plaintext, context, {
        // KMS answers with the key's ARN: stored, it says which key to ask after an alias moves.
        keyId: out.KeyId ?? this.keyId,
        encryptedDataKey: Buffer.from(out.CiphertextBlob),
      });
    } finally {
      dataKey.fill(0);
      out.Plaintext.fill(0);
    }
  }

  async open(sealed: SealedSecret, context: SecretContext): Promise<string> {
    assertSealedShape(sealed);
    canonicalContext(context);
    let plaintextKey: Uint8Array | undefined;
    try {
      const out = await this.kms.send(
        new DecryptCommand({
          // Pinning the key: a data key wrapped under any other KMS key is refused, not unwrapped.
          KeyId: this.keyId,
          CiphertextBlob: Buffer.from(sealed.encryptedDataKey, 'base64'),
          EncryptionContext: { ...context },
        }),
      );
      plaintextKey = out.Plaintext;
    } catch (error) {
      // Wrong context or another key: the secret does not open here. Anything else (throttling, KMS
      // unavailable) is transient and propagates as it is, so the caller may retry.
      if (error instanceof InvalidCiphertextException || error instanceof IncorrectKeyException) {
        throw new SecretBoxError('the sealed secret cannot be opened');
      }
      throw error;
    }
    if (plaintextKey?.length !== 32) throw new SecretBoxError('KMS returned no usable data key');
    const dataKey = Buffer.from(plaintextKey);
    try {
      return openWithDataKey(dataKey, sealed, context);
    } finally {
      dataKey.fill(0);
      plaintextKey.fill(0);
    }
  }
}
