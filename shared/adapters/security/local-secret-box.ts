// Envelope encryption with a local master key (the local run): each secret gets a fresh random data
// key, and the data key is itself sealed with the master key by AES-256-GCM, bound to the same
// context. The same shape as the KMS box, so code and stored items do not care which one sealed.
import { createHash, randomBytes } from 'node:crypto';
import { ConfigError } from '../../config/env.js';
import type { SealedSecret, SecretBox } from '../../ports/security.js';
import {
  assertSealedShape,
  canonicalContext,
  gcmDecrypt,
  gcmEncrypt,
  openWithDataKey,
  packParts,
  SecretBoxError,
  type SecretContext,
  sealWithDataKey,
  unpackParts,
} from './envelope-crypto.js';

/** Keeps a wrapped data key from ever being confused with a sealed secret under the same context. */
const WRAP_LABEL = Buffer.from('verzek:data-key:v1\n', 'utf8');

export class LocalSecretBox implements SecretBox {
  /** "local:" and the first 8 hex digits of the master key's SHA-256: names the key, reveals nothing. */
  readonly keyId: string;
  private readonly master: Buffer;

  constructor(masterKeyBase64: string) {
    const master = Buffer.from(masterKeyBase64, 'base64');
    if (master.length !== 32) throw new ConfigError('LOCAL_MASTER_KEY must be the base64 of 32 bytes');
    this.master = master;
    this.keyId = `local:${createHash('sha256').update(master).digest('hex').slice(0, 8)}`;
  }

  async seal(plaintext: string, context: SecretContext): Promise<SealedSecret> {
    const aad = Buffer.concat([WRAP_LABEL, canonicalContext(context)]);
    const dataKey = randomBytes(32);
    try {
      const wrapped = packParts(gcmEncrypt(this.master, dataKey, aad));
      return sealWithDataKey(dataKey, plaintext, context, { keyId: this.keyId, encryptedDataKey: wrapped });
    } finally {
      dataKey.fill(0);
    }
  }

  async open(sealed: SealedSecret, context: SecretContext): Promise<string> {
    assertSealedShape(sealed);
    if (sealed.keyId !== this.keyId)
      throw new SecretBoxError('the secret was sealed under another master key');
    const aad = Buffer.concat([WRAP_LABEL, canonicalContext(context)]);
    const dataKey = gcmDecrypt(this.master, unpackParts(Buffer.from(sealed.encryptedDataKey, 'base64')), aad);
    try {
      return openWithDataKey(dataKey, sealed, context);
    } finally {
      dataKey.fill(0);
    }
  }
}
