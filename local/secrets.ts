// The local run's secrets: the house engine token and body-signing secret, the JWT signing key pair
// and the master key for envelope encryption. Generated once into the git-ignored `.local/` directory
// (files readable by the owner only) and reused afterwards, so tokens issued yesterday still verify
// today. In the cloud the same values come from Secrets Manager.
import { randomBytes } from 'node:crypto';
import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { calculateJwkThumbprint, exportJWK, generateKeyPair } from 'jose';

export interface LocalSecrets {
  /** 48 url-safe characters; the house engine sends it as a bearer token. */
  readonly houseEngineToken: string;
  /** 64 url-safe characters; the house engine signs request bodies with it (never sends it). */
  readonly houseSigningSecret: string;
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
  /** Where the house signing secret lives, or null for secrets kept in memory only. */
  readonly houseSigningSecretFile: string | null;
  /**
   * Files this call added to an existing `.local/` that predates them (generated stays false);
   * the caller says so.
   */
  readonly added: readonly string[];
}

const FILES = {
  houseEngineToken: 'house-engine-token',
  houseSigningSecret: 'house-signing-secret',
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
    houseSigningSecret: randomUrlSafe(64),
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
 * Secrets added after `.local/` directories already existed, each independent of the others: a
 * directory without one gets just that one, and keeps the rest (its users, its sealed exchange keys).
 */
const ADDED_LATER: ReadonlySet<keyof LocalSecrets> = new Set(['houseSigningSecret']);

async function writeSecretFile(path: string, value: string): Promise<void> {
  await writeFile(path, value, { mode: 0o600 });
  await chmod(path, 0o600); // writeFile's mode does not apply to a file that already existed
}

/**
 * Reads the secrets from `dir`, generating the whole set when any file of the original set is
 * missing (a partial set would pair a private key with the wrong public key), and only the missing
 * ones of ADDED_LATER otherwise. `dir = null` keeps fresh secrets in memory.
 */
export async function loadOrCreateLocalSecrets(dir: string | null): Promise<LoadedSecrets> {
  if (dir === null) {
    return {
      secrets: await generateLocalSecrets(),
      generated: true,
      houseEngineTokenFile: null,
      houseSigningSecretFile: null,
      added: [],
    };
  }
  const files = {
    houseEngineTokenFile: join(dir, FILES.houseEngineToken),
    houseSigningSecretFile: join(dir, FILES.houseSigningSecret),
  };
  const keys = Object.keys(FILES) as (keyof LocalSecrets)[];
  const stored = await Promise.all(keys.map((k) => readIfPresent(join(dir, FILES[k]))));
  const value = (i: number) => (stored[i] ?? '').trim();
  const original = keys.filter((k) => !ADDED_LATER.has(k));
  if (original.every((k) => value(keys.indexOf(k)) !== '')) {
    const fresh = await generateLocalSecrets();
    const added: string[] = [];
    const entries: [keyof LocalSecrets, string][] = [];
    for (const [i, k] of keys.entries()) {
      if (value(i) !== '') {
        entries.push([k, value(i)]);
        continue;
      }
      await writeSecretFile(join(dir, FILES[k]), fresh[k]);
      added.push(FILES[k]);
      entries.push([k, fresh[k]]);
    }
    const secrets = Object.fromEntries(entries) as unknown;
    return { secrets: secrets as LocalSecrets, generated: false, ...files, added };
  }
  const secrets = await generateLocalSecrets();
  await mkdir(dir, { recursive: true, mode: 0o700 });
  for (const k of keys) await writeSecretFile(join(dir, FILES[k]), secrets[k]);
  return { secrets, generated: true, ...files, added: [] };
}

/**
 * What a client of the running local stack needs to post house signals, read from `dir` (never
 * generated: only `npm start` creates them). Throws a message that says what to do when absent.
 */
export async function readHouseCredentials(
  dir: string,
): Promise<{ readonly token: string; readonly signingSecret: string }> {
  const [token, signingSecret] = await Promise.all(
    [FILES.houseEngineToken, FILES.houseSigningSecret].map(async (name) => {
      const text = (await readIfPresent(join(dir, name)))?.trim();
      if (!text) throw new Error(`${join(dir, name)} is missing: run \`npm start\` once to create it`);
      return text;
    }),
  );
  return { token: token ?? '', signingSecret: signingSecret ?? '' };
}
