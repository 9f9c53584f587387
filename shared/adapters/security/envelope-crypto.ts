// The half of envelope encryption both SecretBoxes share: AES-256-GCM under a one-secret data key,
// with the secret's context (whose secret it is) as associated data, so a sealed key copied onto
// another user's or account's item does not open there.
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { type SealedSecret, SecretBoxError } from '../../ports/security.js';

const IV_BYTES = 12;
const TAG_BYTES = 16;
const KEY_BYTES = 32;

// Defined with the port, so use cases can tell "does not open" from a transient failure.
export { SecretBoxError };

export type SecretContext = Readonly<Record<string, string>>;

/**
 * The context as bytes: JSON of its entries sorted by key, written out by hand because
 * Object.fromEntries would move integer-like keys first. An empty context binds nothing: refused.
 */
export function canonicalContext(context: SecretContext): Buffer {
  const names = Object.keys(context).sort();
  if (names.length === 0) throw new SecretBoxError('a sealed secret needs a context');
  const entries = names.map((name) => `${JSON.stringify(name)}:${JSON.stringify(context[name])}`);
  return Buffer.from(`{${entries.join(',')}}`, 'utf8');
}

export interface GcmParts {
  readonly iv: Buffer;
  readonly ciphertext: Buffer;
  readonly tag: Buffer;
}

export function gcmEncrypt(key: Buffer, plaintext: Buffer, aad: Buffer): GcmParts {
  if (key.length !== KEY_BYTES) throw new SecretBoxError('AES-256 needs a 32-byte key');
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', key, iv, { authTagLength: TAG_BYTES });
  cipher.setAAD(aad);
  const ciphertext = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return { iv, ciphertext, tag: cipher.getAuthTag() };
}

export function gcmDecrypt(key: Buffer, parts: GcmParts, aad: Buffer): Buffer {
  // Node accepts shorter tags unless told the length: a truncated tag must not pass.
  if (key.length !== KEY_BYTES || parts.iv.length !== IV_BYTES || parts.tag.length !== TAG_BYTES) {
    throw new SecretBoxError('the sealed secret cannot be opened');
  }
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, parts.iv, { authTagLength: TAG_BYTES });
    decipher.setAAD(aad);
    decipher.setAuthTag(parts.tag);
    return Buffer.concat([decipher.update(parts.ciphertext), decipher.final()]);
  } catch {
    throw new SecretBoxError('the sealed secret cannot be opened');
  }
}

/** iv ‖ ciphertext ‖ tag in one buffer: how the local box stores a wrapped data key. */
export function packParts(parts: GcmParts): Buffer {
  return Buffer.concat([parts.iv, parts.ciphertext, parts.tag]);
}

export function unpackParts(packed: Buffer): GcmParts {
  if (packed.length < IV_BYTES + TAG_BYTES + 1)
    throw new SecretBoxError('the sealed secret cannot be opened');
  return {
    iv: packed.subarray(0, IV_BYTES),
    ciphertext: packed.subarray(IV_BYTES, packed.length - TAG_BYTES),
    tag: packed.subarray(packed.length - TAG_BYTES),
  };
}

/** Encrypts the secret under the data key; the caller supplies the data key's wrapped form. */
export function sealWithDataKey(
  dataKey: Buffer,
  plaintext: string,
  context: SecretContext,
  wrapped: { readonly keyId: string; readonly encryptedDataKey: Buffer },
): SealedSecret {
  const parts = gcmEncrypt(dataKey, Buffer.from(plaintext, 'utf8'), canonicalContext(context));
  return {
    version: 1,
    keyId: wrapped.keyId,
    encryptedDataKey: wrapped.encryptedDataKey.toString('base64'),
    iv: parts.iv.toString('base64'),
    ciphertext: parts.ciphertext.toString('base64'),
    tag: parts.tag.toString('base64'),
  };
}

export function openWithDataKey(dataKey: Buffer, sealed: SealedSecret, context: SecretContext): string {
  const plaintext = gcmDecrypt(
    dataKey,
    {
      iv: Buffer.from(sealed.iv, 'base64'),
      ciphertext: Buffer.from(sealed.ciphertext, 'base64'),
      tag: Buffer.from(sealed.tag, 'base64'),
    },
    canonicalContext(context),
  );
  try {
    return plaintext.toString('utf8');
  } finally {
    plaintext.fill(0);
  }
}

/** A stored item is data from outside this process: check its shape before trusting any field. */
export function assertSealedShape(sealed: SealedSecret): void {
  const fields = [sealed?.keyId, sealed?.encryptedDataKey, sealed?.iv, sealed?.ciphertext, sealed?.tag];
  if (sealed?.version !== 1 || fields.some((f) => typeof f !== 'string' || f === '')) {
    throw new SecretBoxError('the sealed secret cannot be opened');
  }
}
