// The opaque secrets of sign-up and sessions (verification links, refresh tokens): 32 random bytes,
// base64url, stored only as their SHA-256, so a copy of the table holds nothing that works.
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/** 32 random bytes, base64url: 43 characters. */
export function newOpaqueToken(): string {
  return randomBytes(32).toString('base64url');
}

export function tokenHash(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

/** Constant-time equality of two hex SHA-256 hashes. */
export function sameHash(a: string, b: string): boolean {
  const left = Buffer.from(a, 'hex');
  const right = Buffer.from(b, 'hex');
  return left.length === 32 && right.length === 32 && timingSafeEqual(left, right);
}

/** What newOpaqueToken makes; anything else is refused before a lookup. */
export const OPAQUE_TOKEN_PATTERN = /^[A-Za-z0-9_-]{43}$/;

/** A short random id (user ids, session family ids): 16 random bytes, base64url. */
export function newRandomId(prefix: string): string {
  return `${prefix}${randomBytes(16).toString('base64url')}`;
}
