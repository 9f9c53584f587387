// scrypt hashing: round trip, wrong passwords, malformed stored hashes, parameters in the hash.
import { describe, expect, it } from 'vitest';
import {
  OWASP_SCRYPT_COST,
  ScryptPasswordHasher,
} from '../../../shared/adapters/security/scrypt-password-hasher.js';

// A low N keeps these fast; the format and checks are the same at the OWASP cost.
const FAST = { N: 2 ** 10, r: 8, p: 1 };
const hasher = new ScryptPasswordHasher({ cost: FAST });

describe('ScryptPasswordHasher', () => {
  it('defaults to the OWASP cost: N=2^17, r=8, p=1', () => {
    expect(OWASP_SCRYPT_COST).toEqual({ N: 131072, r: 8, p: 1 });
  });

  it('hashes and verifies at the default OWASP cost (maxmem allows 128 MiB)', async () => {
    const owasp = new ScryptPasswordHasher();
    const stored = await owasp.hash('correct horse battery staple');
    expect(stored.startsWith('scrypt$131072$8$1$')).toBe(true);
    expect(await owasp.verify('correct horse battery staple', stored)).toBe(true);
  });

  it('stores scrypt$N$r$p$salt$hash with a 16-byte salt and a 64-byte key', async () => {
    const stored = await hasher.hash('correct horse battery staple');
    const parts = stored.split('$');
    expect(parts.slice(0, 4)).toEqual(['scrypt', '1024', '8', '1']);
    expect(Buffer.from(parts[4] ?? '', 'base64url')).toHaveLength(16);
    expect(Buffer.from(parts[5] ?? '', 'base64url')).toHaveLength(64);
    expect(stored).not.toContain('correct horse');
  });

  it('verifies the right password and refuses a wrong one', async () => {
    const stored = await hasher.hash('correct horse battery staple');
    expect(await hasher.verify('correct horse battery staple', stored)).toBe(true);
    expect(await hasher.verify('correct horse battery stapler', stored)).toBe(false);
    expect(await hasher.verify('', stored)).toBe(false);
  });

  it('salts: the same password hashes differently each time, and both verify', async () => {
    const a = await hasher.hash('same password here');
    const b = await hasher.hash('same password here');
    expect(a).not.toBe(b);
    expect(await hasher.verify('same password here', a)).toBe(true);
    expect(await hasher.verify('same password here', b)).toBe(true);
  });

  it('verifies with the parameters stored in the hash, not its own', async () => {
    const stored = await hasher.hash('moved between costs');
    const stronger = new ScryptPasswordHasher({ cost: { N: 2 ** 11, r: 8, p: 1 } });
    expect(await stronger.verify('moved between costs', stored)).toBe(true);
    expect(stronger.needsRehash(stored)).toBe(true);
    expect(hasher.needsRehash(stored)).toBe(false);
    // The stored parameters are bound to the key: changing them breaks verification.
    const tampered = stored.replace('scrypt$1024$', 'scrypt$2048$');
    expect(await hasher.verify('moved between costs', tampered)).toBe(false);
  });

  it('normalises Unicode: the same text typed as composed or decomposed characters verifies', async () => {
    const stored = await hasher.hash('caf\u00e9 au lait, s\u2019il vous pla\u00eet');
    expect(await hasher.verify('cafe\u0301 au lait, s\u2019il vous pla\u00eet', stored)).toBe(true);
  });

  it('returns false, never throws, for malformed stored hashes', async () => {
    const good = await hasher.hash('a real password');
    const [, n, r, p, salt, hash] = good.split('$');
    const malformed = [
      '',
      'not a hash',
      `bcrypt$${n}$${r}$${p}$${salt}$${hash}`,
      `scrypt$${n}$${r}$${p}$${salt}`,
      `scrypt$1000$${r}$${p}$${salt}$${hash}`, // N not a power of two
      `scrypt$${2 ** 24}$${r}$${p}$${salt}$${hash}`, // N beyond the bound
      `scrypt$${n}$0$${p}$${salt}$${hash}`,
      `scrypt$${n}$${r}$99$${salt}$${hash}`,
      `scrypt$${n}$${r}$${p}$c2FsdA$${hash}`, // salt too short
      `scrypt$${n}$${r}$${p}$${salt}$!!!notbase64!!!`,
      `scrypt$${n}$${r}$${p}$${salt}$${hash}$extra`,
      `scrypt$0x400$${r}$${p}$${salt}$${hash}`,
    ];
    for (const stored of malformed) {
      expect(await hasher.verify('a real password', stored), stored).toBe(false);
      expect(hasher.needsRehash(stored)).toBe(true);
    }
  });
});
