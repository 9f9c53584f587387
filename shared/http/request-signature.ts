// Signed requests from the house signal engine. Besides its bearer token (HOUSE_ENGINE_TOKEN) the
// engine signs every body with a second secret, HOUSE_SIGNING_SECRET, which never travels in a
// request: a leaked Authorization header (a proxy log, a debugging session) is then not enough to
// forge a signal.
//
//   X-Verzek-Timestamp: <unix seconds>
//   X-Verzek-Signature: v1=<hex HMAC-SHA256(HOUSE_SIGNING_SECRET, "<timestamp>.<raw body>")>
//
// The raw body is the bytes as received (API Gateway's base64 `isBase64Encoded` bodies decoded
// first), never a re-serialisation of the parsed JSON, so any change to a byte fails the check.
//
// Replay protection comes from two things together:
//  - The timestamp is inside the signature and must be within MAX_SKEW_SECONDS (300 s) of the
//    server clock, either way: a captured request is worthless five minutes later, and moving its
//    timestamp forward breaks the signature.
//  - Inside that window an identical replay is harmless: ingest is idempotent by signal id (the same
//    id with the same content answers 200 `duplicate: true` and enqueues nothing; the same id with
//    other content answers 409), and a replay with an altered body fails the signature.
// So no nonce store is needed.
//
// Verification order: header shape (AUTH.SIGNATURE_REQUIRED), then the signature over the given
// timestamp (AUTH.INVALID_SIGNATURE), then the window (AUTH.SIGNATURE_EXPIRED): "expired" is told
// only to a caller who holds the secret. The comparison is constant-time.
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { Unauthorized } from './errors.js';

export const TIMESTAMP_HEADER = 'x-verzek-timestamp';
export const SIGNATURE_HEADER = 'x-verzek-signature';
/** How far the signed timestamp may be from the server clock, in either direction. */
export const MAX_SKEW_SECONDS = 300;

export type SignatureFailureCode =
  | 'AUTH.SIGNATURE_REQUIRED'
  | 'AUTH.SIGNATURE_EXPIRED'
  | 'AUTH.INVALID_SIGNATURE';

export type SignatureCheck =
  | { readonly ok: true }
  | { readonly ok: false; readonly code: SignatureFailureCode; readonly message: string };

export interface SignedRequest {
  readonly headers: Readonly<Record<string, string | undefined>>;
  /** The body bytes exactly as received. */
  readonly body: Uint8Array;
}

/** Unix seconds: digits only (no sign, no fraction), at most 12 of them. */
const TIMESTAMP = /^\d{1,12}$/;
const SIGNATURE = /^v1=([0-9a-fA-F]{64})$/;

function unixSeconds(date: Date): number {
  return Math.floor(date.getTime() / 1000);
}

function toBytes(body: string | Uint8Array): Uint8Array {
  return typeof body === 'string' ? Buffer.from(body, 'utf8') : body;
}

function hmac(secret: string, timestamp: string, body: Uint8Array): Buffer {
  return createHmac('sha256', secret).update(`${timestamp}.`, 'utf8').update(body).digest();
}

/** A header by name, whatever its case (API Gateway lowercases; other callers may not). */
function header(headers: Readonly<Record<string, string | undefined>>, name: string): string | undefined {
  const direct = headers[name];
  if (direct !== undefined) return direct;
  for (const [key, value] of Object.entries(headers)) if (key.toLowerCase() === name) return value;
  return undefined;
}

/** A type, not an interface: it spreads into and passes as a plain header record. */
export type SignedHeaders = {
  readonly [TIMESTAMP_HEADER]: string;
  readonly [SIGNATURE_HEADER]: string;
};

/**
 * The two headers for `body` signed at `now`. Send exactly these bytes as the body: a client that
 * re-serialises the JSON after signing sends a different body.
 */
export function signHouseRequest(secret: string, body: string | Uint8Array, now: Date): SignedHeaders {
  const timestamp = String(unixSeconds(now));
  return {
    [TIMESTAMP_HEADER]: timestamp,
    [SIGNATURE_HEADER]: `v1=${hmac(secret, timestamp, toBytes(body)).toString('hex')}`,
  };
}

/** Checks the signature headers against the body and the clock; never throws. */
export function checkHouseSignature(secret: string, request: SignedRequest, now: Date): SignatureCheck {
  const timestamp = header(request.headers, TIMESTAMP_HEADER)?.trim() ?? '';
  const signature = SIGNATURE.exec(header(request.headers, SIGNATURE_HEADER)?.trim() ?? '')?.[1];
  if (!TIMESTAMP.test(timestamp) || signature === undefined) {
    return {
      ok: false,
      code: 'AUTH.SIGNATURE_REQUIRED',
      message:
        'Sign the request: X-Verzek-Timestamp: <unix seconds> and ' +
        'X-Verzek-Signature: v1=<hex HMAC-SHA256 of "<timestamp>.<body>">',
    };
  }
  const expected = hmac(secret, timestamp, request.body);
  const presented = Buffer.from(signature, 'hex');
  if (!timingSafeEqual(presented, expected)) {
    return { ok: false, code: 'AUTH.INVALID_SIGNATURE', message: 'The request signature does not match' };
  }
  if (Math.abs(unixSeconds(now) - Number(timestamp)) > MAX_SKEW_SECONDS) {
    return {
      ok: false,
      code: 'AUTH.SIGNATURE_EXPIRED',
      message: `The signed timestamp is more than ${MAX_SKEW_SECONDS} seconds from the server clock`,
    };
  }
  return { ok: true };
}

/** The body bytes of an HTTP API (payload v2) event exactly as the client sent them. */
export function rawBody(event: Pick<APIGatewayProxyEventV2, 'body' | 'isBase64Encoded'>): Buffer {
  return event.isBase64Encoded
    ? Buffer.from(event.body ?? '', 'base64')
    : Buffer.from(event.body ?? '', 'utf8');
}

/** Throws Unauthorized (401, the failure's code) unless the event is correctly signed and fresh. */
export function verifyHouseSignature(
  secret: string,
  event: Pick<APIGatewayProxyEventV2, 'headers' | 'body' | 'isBase64Encoded'>,
  now: Date,
): void {
  const check = checkHouseSignature(secret, { headers: event.headers ?? {}, body: rawBody(event) }, now);
  if (!check.ok) throw new Unauthorized(check.code, check.message);
}
