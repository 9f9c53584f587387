// Password hashing with scrypt (node:crypto) at the OWASP cost: N=2^17, r=8, p=1, a 64-byte key and a
// 16-byte random salt. The stored form `scrypt$N$r$p$salt$hash` (salt and hash base64url) carries its
// own parameters, so raising the cost later leaves old hashes verifiable (and `needsRehash` says
// which to upgrade at the next login).
import { randomBytes, type ScryptOptions, scrypt, timingSafeEqual } from 'node:crypto';
import type { PasswordHasher } from '../../ports/security.js';

export interface ScryptCost {
  /** CPU/memory cost, a power of two. */
  readonly N: number;
  /** Block size. */
  readonly r: number;
  /** Parallelism. */
  readonly p: number;
}

/** OWASP Password Storage Cheat Sheet: N=2^17 (128 MiB), r=8, p=1. */
export const OWASP_SCRYPT_COST: ScryptCost = { N: 2 ** 17, r: 8, p: 1 };

const KEY_LENGTH = 64;
const SALT_LENGTH = 16;

/**
 * Bounds on parameters read back from a stored hash. Hashes are ours, but a corrupted or planted one
 * must not make verification allocate gigabytes or spin for minutes: out of bounds is "malformed".
 */
const MAX_N = 2 ** 20;
const MAX_R = 32;
const MAX_P = 16;

const BASE64URL = /^[A-Za-z0-9_-]+$/;

function scryptAsync(password: string, salt: Buffer, keyLength: number, cost: ScryptCost): Promise<Buffer> {
  const options: ScryptOptions = {
    N: cost.N,
    r: cost.r,
    p: cost.p,
    // Node refuses when 128·N·r exceeds maxmem (32 MiB by default, below OWASP's 128 MiB): allow
    // what these parameters need plus headroom, and no more.
    maxmem: 128 * cost.N * cost.r + 32 * 1024 * 1024,
  };
  return new Promise((resolve, reject) => {
    scrypt(password, salt, keyLength, options, (error, key) => (error ? reject(error) : resolve(key)));
  });
}

/**
 * The same text, however it was typed: a password with "é" as one code point or as "e" + accent
 * hashes the same (NIST SP 800-63B asks for normalisation before hashing).
 */
const normalise = (password: string) => password.normalize('NFKC');

interface ParsedHash {
  readonly cost: ScryptCost;
  readonly salt: Buffer;
  readonly hash: Buffer;
}

function parseStored(stored: string): ParsedHash | null {
  const parts = stored.split('$');
  if (parts.length !== 6 || parts[0] !== 'scrypt') return null;
  const [, nText, rText, pText, saltText, hashText] = parts as [
    string,
    string,
    string,
    string,
    string,
    string,
  ];
  const integer = (text: string) => (/^[1-9][0-9]{0,9}$/.test(text) ? Number(text) : Number.NaN);
  const cost = { N: integer(nText), r: integer(rText), p: integer(pText) };
  const powerOfTwo = Number.isInteger(cost.N) && cost.N >= 2 && (cost.N & (cost.N - 1)) === 0;
  if (!powerOfTwo || cost.N > MAX_N) return null;
  if (!(cost.r >= 1 && cost.r <= MAX_R && cost.p >= 1 && cost.p <= MAX_P)) return null;
  if (!BASE64URL.test(saltText) || !BASE64URL.test(hashText)) return null;
  const salt = Buffer.from(saltText, 'base64url');
  const hash = Buffer.from(hashText, 'base64url');
  if (salt.length < SALT_LENGTH || hash.length < 32 || hash.length > 128) return null;
  return { cost, salt, hash };
}

export class ScryptPasswordHasher implements PasswordHasher {
  private readonly cost: ScryptCost;

  /** `cost` defaults to OWASP's; tests pass a lower N to stay fast. */
  constructor(options: { readonly cost?: ScryptCost } = {}) {
    this.cost = options.cost ?? OWASP_SCRYPT_COST;
  }

  async hash(password: string): Promise<string> {
    const salt = randomBytes(SALT_LENGTH);
    const key = await scryptAsync(normalise(password), salt, KEY_LENGTH, this.cost);
    const { N, r, p } = this.cost;
    return `scrypt$${N}$${r}$${p}$${salt.toString('base64url')}$${key.toString('base64url')}`;
  }

  async verify(password: string, stored: string): Promise<boolean> {
    const parsed = parseStored(stored);
    if (!parsed) return false;
    let key: Buffer;
    try {
      key = await scryptAsync(normalise(password), parsed.salt, parsed.hash.length, parsed.cost);
    } catch {
      return false;
    }
    // Same length by construction (we derive as many bytes as were stored); compared in constant time.
    return timingSafeEqual(key, parsed.hash);
  }

  /** True when `stored` was made with other (older) parameters than this hasher's: rehash on login. */
  needsRehash(stored: string): boolean {
    const parsed = parseStored(stored);
    if (!parsed) return true;
    const { N, r, p } = parsed.cost;
    return N !== this.cost.N || r !== this.cost.r || p !== this.cost.p || parsed.hash.length !== KEY_LENGTH;
  }
}
