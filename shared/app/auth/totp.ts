// The arithmetic of TOTP (RFC 6238, with the `otpauth` package) and of recovery codes. Parameters are
// the ones every authenticator app understands: SHA-1, 6 digits, 30-second steps; a code is accepted
// one step early or late (clock drift), and the step it matched is returned so the caller can refuse
// its replay. Recovery codes are 80 random bits, shown once, stored as their SHA-256.
import { createHash, randomBytes } from 'node:crypto';
import { Secret, TOTP } from 'otpauth';
import { toString as qrCodeString } from 'qrcode';

export const TOTP_ISSUER = 'Verzek AutoTrader';
export const TOTP_PERIOD_SECONDS = 30;
export const TOTP_DIGITS = 6;
/** Steps accepted either side of the current one. */
export const TOTP_WINDOW = 1;
/** RFC 4226 recommends at least 128 bits; 160 (the HMAC-SHA-1 block size's worth) is the norm. */
export const TOTP_SECRET_BYTES = 20;

export const RECOVERY_CODE_COUNT = 10;
/** Base32 characters per code: 16 × 5 bits = 80 bits, beyond guessing even from the stored hashes. */
const RECOVERY_CODE_LENGTH = 16;
const BASE32 = 'abcdefghijklmnopqrstuvwxyz234567';

/** A new secret, base32 (what the otpauth URI carries and what is sealed). */
export function newTotpSecret(): string {
  // otpauth draws the bytes from the platform's CSPRNG (crypto.getRandomValues).
  return new Secret({ size: TOTP_SECRET_BYTES }).base32;
}

function totpFor(secretBase32: string, label = ''): TOTP {
  return new TOTP({
    issuer: TOTP_ISSUER,
    label,
    algorithm: 'SHA1',
    digits: TOTP_DIGITS,
    period: TOTP_PERIOD_SECONDS,
    secret: Secret.fromBase32(secretBase32),
  });
}

/** The otpauth:// URI an authenticator app scans: issuer "Verzek AutoTrader", label the email. */
export function totpUri(secretBase32: string, email: string): string {
  return totpFor(secretBase32, email).toString();
}

/** The URI as a QR code: an SVG data URL, ready for an <img src>. */
export async function qrCodeDataUrl(uri: string): Promise<string> {
  const svg = await qrCodeString(uri, { type: 'svg', errorCorrectionLevel: 'M', margin: 2 });
  return `data:image/svg+xml;base64,${Buffer.from(svg, 'utf8').toString('base64')}`;
}

/** The RFC 6238 time step of an instant. */
export function totpStep(now: Date): number {
  return Math.floor(now.getTime() / 1000 / TOTP_PERIOD_SECONDS);
}

/** The step whose code `code` is, within the window around `now`; null when it matches none. */
export function matchingStep(secretBase32: string, code: string, now: Date): number | null {
  if (!/^\d{6}$/.test(code)) return null;
  // otpauth compares in constant time and tries the current step first, then ±1.
  const delta = totpFor(secretBase32).validate({
    token: code,
    timestamp: now.getTime(),
    window: TOTP_WINDOW,
  });
  return delta === null ? null : totpStep(now) + delta;
}

/** Ten fresh recovery codes, formatted for reading ("abcd-efgh-ijkl-mnop"). */
export function newRecoveryCodes(count = RECOVERY_CODE_COUNT): string[] {
  return Array.from({ length: count }, () => {
    // 256 is a multiple of 32: taking each byte modulo 32 is unbiased.
    const chars = [...randomBytes(RECOVERY_CODE_LENGTH)].map((byte) => BASE32[byte % 32]).join('');
    return chars.match(/.{4}/g)?.join('-') ?? chars;
  });
}

/**
 * The stored form of a recovery code: SHA-256 (hex) of its normalised spelling (case, dashes and
 * spaces do not matter). Null for anything that cannot be a recovery code.
 */
export function recoveryCodeHash(code: string): string | null {
  const normalised = code.toLowerCase().replace(/[\s-]/g, '');
  if (normalised.length !== RECOVERY_CODE_LENGTH || ![...normalised].every((c) => BASE32.includes(c))) {
    return null;
  }
  return createHash('sha256').update(normalised, 'utf8').digest('hex');
}
