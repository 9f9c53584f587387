// The local run's secrets: the house engine token, the JWT signing key pair and the master key for
// envelope encryption. Generated once into the git-ignored `.local/` directory (files readable by the
// owner only) and reused afterwards, so tokens issued yesterday still verify today. In the cloud the
// same values come from Secrets Manager.
import { randomBytes } from 'node:crypto';
import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { calculateJwkThumbprint, exportJWK, generateKeyPair } from 'jose';

export interface LocalSecrets {
  /** 48 url-safe characters; the house engine sends it as a bearer token. */
  readonly houseEngineToken: string;
  /** JSON of the private ES256 JWK (with `kid` and `alg`), as JWT_PRIVATE_KEY expects it. */
  readonly jwtPrivateKey: string;
  /** JSON of the public JSON Web Key Set, as JWT_PUBLIC_JWKS expects it. */
  readonly jwtPublicJwks: string;
  /** Base64 of 32 random bytes. */
  readonly masterKey: string;
}

export interface LoadedSecrets {
  readonly secrets: LocalSecrets;
  /** True when this call created them (first run, or a temporary stack). */
  readonly generated: boolean;
  /** Where the house engine token lives, or null for secrets kept in memory only. */
  readonly houseEngineTokenFile: string | null;
}

const FILES = {
  houseEngineToken: 'house-engine-token',
  jwtPrivateKey: 'jwt-private.jwk.json',
  jwtPublicJwks: 'jwt-public.jwks.json',
  masterKey: 'master.key',
} as const satisfies Record<keyof LocalSecrets, string>;

const URL_SAFE = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

function randomUrlSafe(length: number): string {
  // 64 symbols: a byte modulo 64 is unbiased.
  return Array.from(randomBytes(length), (b) => URL_SAFE[b % 64]).join('');
}

export async function generateLocalSecrets(): Promise<LocalSecrets> {
  const { privateKey, publicKey } = await generateKeyPair('ES256', { extractable: true });
  const publicJwk = await exportJWK(publicKey);
  const kid = await calculateJwkThumbprint(publicJwk);
  const privateJwk = { ...(await exportJWK(privateKey)), kid, alg: 'ES256' };
  return {
    houseEngineToken: randomUrlSafe(48),
    jwtPrivateKey: JSON.stringify(privateJwk),
    jwtPublicJwks: JSON.stringify({ keys: [{ ...publicJwk, kid, alg: 'ES256', use: 'sig' }] }),
    masterKey: randomBytes(32).toString('base64'),
  };
}

async function readIfPresent(path: string): Promise<string | undefined> {
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

/**
 * Reads the secrets from `dir`, generating the whole set when any file is missing (a partial set
 * would pair a private key with the wrong public key). `dir = null` keeps fresh secrets in memory.
 */
export async function loadOrCreateLocalSecrets(dir: string | null): Promise<LoadedSecrets> {
  if (dir === null) {
    return { secrets: await generateLocalSecrets(), generated: true, houseEngineTokenFile: null };
  }
  const houseEngineTokenFile = join(dir, FILES.houseEngineToken);
  const keys = Object.keys(FILES) as (keyof LocalSecrets)[];
  const stored = await Promise.all(keys.map((k) => readIfPresent(join(dir, FILES[k]))));
  if (stored.every((v) => v !== undefined && v.trim() !== '')) {
    const secrets = Object.fromEntries(keys.map((k, i) => [k, (stored[i] ?? '').trim()])) as unknown;
    return { secrets: secrets as LocalSecrets, generated: false, houseEngineTokenFile };
  }
  const secrets = await generateLocalSecrets();
  await mkdir(dir, { recursive: true, mode: 0o700 });
  for (const k of keys) {
    const path = join(dir, FILES[k]);
    await writeFile(path, secrets[k], { mode: 0o600 });
    await chmod(path, 0o600); // writeFile's mode does not apply to a file that already existed
  }
  return { secrets, generated: true, houseEngineTokenFile };
}
