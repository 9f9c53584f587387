// The house engine's request signature: HMAC-SHA256 over "<timestamp>.<raw body>", a 300 s window
// either way, and a 401 with its own code for each way it can fail.
import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { AppError } from '../../../shared/http/errors.js';
import {
  checkHouseSignature,
  MAX_SKEW_SECONDS,
  rawBody,
  SIGNATURE_HEADER,
  signHouseRequest,
  TIMESTAMP_HEADER,
  verifyHouseSignature,
} from '../../../shared/http/request-signature.js';

const SECRET = 'test-signing-secret-0123456789-abcdefghijklmnop';
const OTHER_SECRET = 'another-signing-secret-0123456789-abcdefghijkl';
const NOW = new Date('2025-11-26T09:30:00.000Z');
const NOW_S = NOW.getTime() / 1000;
const BODY = '{"signalId":"s-1","source":"house","note":"prix: 42 €"}';

const at = (seconds: number) => new Date((NOW_S + seconds) * 1000);
const bytes = (text: string) => Buffer.from(text, 'utf8');

function check(headers: Record<string, string | undefined>, body: string = BODY, now: Date = NOW) {
  return checkHouseSignature(SECRET, { headers, body: bytes(body) }, now);
}

describe('signHouseRequest', () => {
  it('gives unix seconds and v1=<hex HMAC-SHA256 of "<timestamp>.<body>">, independently computed', () => {
    const headers = signHouseRequest(SECRET, BODY, new Date(NOW.getTime() + 999));
    expect(headers[TIMESTAMP_HEADER]).toBe(String(NOW_S));
    const expected = createHmac('sha256', SECRET).update(`${NOW_S}.${BODY}`).digest('hex');
    expect(headers[SIGNATURE_HEADER]).toBe(`v1=${expected}`);
  });

  it('signs the same bytes whether given a string or a buffer', () => {
    expect(signHouseRequest(SECRET, bytes(BODY), NOW)).toEqual(signHouseRequest(SECRET, BODY, NOW));
  });
});

describe('checkHouseSignature', () => {
  it('accepts a request signed now', () => {
    expect(check(signHouseRequest(SECRET, BODY, NOW))).toEqual({ ok: true });
  });

  it('accepts header names in any case and an uppercase hex signature', () => {
    const signed = signHouseRequest(SECRET, BODY, NOW);
    const headers = {
      'X-Verzek-Timestamp': signed[TIMESTAMP_HEADER],
      'X-Verzek-Signature': signed[SIGNATURE_HEADER].replace(/[0-9a-f]{64}$/, (hex) => hex.toUpperCase()),
    };
    expect(check(headers)).toEqual({ ok: true });
  });

  it('refuses a body changed after signing, even by one byte or one trailing space', () => {
    const signed = signHouseRequest(SECRET, BODY, NOW);
    for (const tampered of [BODY.replace('s-1', 's-2'), `${BODY} `, BODY.replace('€', 'E'), '']) {
      expect(check(signed, tampered)).toMatchObject({ ok: false, code: 'AUTH.INVALID_SIGNATURE' });
    }
  });

  it('refuses a timestamp changed after signing, inside or outside the window', () => {
    const signed = signHouseRequest(SECRET, BODY, at(-200));
    for (const moved of [NOW_S - 199, NOW_S, NOW_S - 10_000]) {
      expect(check({ ...signed, [TIMESTAMP_HEADER]: String(moved) })).toMatchObject({
        ok: false,
        code: 'AUTH.INVALID_SIGNATURE',
      });
    }
  });

  it('refuses a signature made with another secret (the bearer token, say)', () => {
    expect(check(signHouseRequest(OTHER_SECRET, BODY, NOW))).toMatchObject({
      ok: false,
      code: 'AUTH.INVALID_SIGNATURE',
    });
  });

  it(`allows exactly ${MAX_SKEW_SECONDS} s of skew either way and refuses 301 s`, () => {
    expect(MAX_SKEW_SECONDS).toBe(300);
    expect(check(signHouseRequest(SECRET, BODY, at(-300)))).toEqual({ ok: true });
    expect(check(signHouseRequest(SECRET, BODY, at(300)))).toEqual({ ok: true });
    for (const skew of [-301, 301, -86_400]) {
      const answer = check(signHouseRequest(SECRET, BODY, at(skew)));
      expect(answer).toMatchObject({ ok: false, code: 'AUTH.SIGNATURE_EXPIRED' });
      expect(answer.ok ? '' : answer.message).toContain('300 seconds');
    }
  });

  it('judges the window from the injected clock, not the machine clock', () => {
    const signed = signHouseRequest(SECRET, BODY, NOW);
    expect(check(signed, BODY, at(300))).toEqual({ ok: true });
    expect(check(signed, BODY, at(301))).toMatchObject({ ok: false, code: 'AUTH.SIGNATURE_EXPIRED' });
    expect(check(signed, BODY, at(-301))).toMatchObject({ ok: false, code: 'AUTH.SIGNATURE_EXPIRED' });
  });

  it('asks for a signature when a header is missing or malformed', () => {
    const good = signHouseRequest(SECRET, BODY, NOW);
    const hex = good[SIGNATURE_HEADER].slice(3);
    const cases: Record<string, string | undefined>[] = [
      {},
      { [TIMESTAMP_HEADER]: good[TIMESTAMP_HEADER] },
      { [SIGNATURE_HEADER]: good[SIGNATURE_HEADER] },
      { ...good, [TIMESTAMP_HEADER]: '' },
      { ...good, [TIMESTAMP_HEADER]: '-1' },
      { ...good, [TIMESTAMP_HEADER]: '1.5' },
      { ...good, [TIMESTAMP_HEADER]: '1e9' },
      { ...good, [TIMESTAMP_HEADER]: '2025-11-26T09:30:00Z' },
      { ...good, [TIMESTAMP_HEADER]: '1234567890123' },
      { ...good, [SIGNATURE_HEADER]: hex },
      { ...good, [SIGNATURE_HEADER]: `v2=${hex}` },
      { ...good, [SIGNATURE_HEADER]: `v1=${hex.slice(1)}` },
      { ...good, [SIGNATURE_HEADER]: `v1=${hex}00` },
      { ...good, [SIGNATURE_HEADER]: `v1=${hex.slice(2)}zz` },
      { ...good, [SIGNATURE_HEADER]: `v1=${Buffer.from(hex, 'hex').toString('base64')}` },
      { ...good, [SIGNATURE_HEADER]: `v1=${hex},v1=${hex}` },
    ];
    for (const headers of cases) {
      expect(check(headers), JSON.stringify(headers)).toMatchObject({
        ok: false,
        code: 'AUTH.SIGNATURE_REQUIRED',
      });
    }
  });
});

describe('verifyHouseSignature on an HTTP API event', () => {
  it('verifies a base64-encoded body over its decoded bytes', () => {
    const binary = Buffer.from([0x7b, 0x22, 0xff, 0x00, 0xfe, 0x22, 0x7d]);
    const headers = { ...signHouseRequest(SECRET, binary, NOW) };
    const event = { headers, body: binary.toString('base64'), isBase64Encoded: true };
    expect(rawBody(event)).toEqual(binary);
    expect(() => verifyHouseSignature(SECRET, event, NOW)).not.toThrow();
    // The same base64 text taken as the body itself is another body.
    expect(() => verifyHouseSignature(SECRET, { ...event, isBase64Encoded: false }, NOW)).toThrow(
      expect.objectContaining({ status: 401, code: 'AUTH.INVALID_SIGNATURE' }),
    );
  });

  it('verifies a text body over its UTF-8 bytes, and an absent body as empty', () => {
    const event = { headers: { ...signHouseRequest(SECRET, BODY, NOW) }, body: BODY, isBase64Encoded: false };
    expect(() => verifyHouseSignature(SECRET, event, NOW)).not.toThrow();
    const empty = { headers: { ...signHouseRequest(SECRET, '', NOW) }, isBase64Encoded: false };
    expect(() => verifyHouseSignature(SECRET, empty, NOW)).not.toThrow();
  });

  it('throws a 401 AppError with the failure code and no secret in the message', () => {
    const event = { headers: {}, body: BODY, isBase64Encoded: false };
    let thrown: unknown;
    try {
      verifyHouseSignature(SECRET, event, NOW);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(AppError);
    expect(thrown).toMatchObject({ status: 401, code: 'AUTH.SIGNATURE_REQUIRED' });
    expect(String((thrown as Error).message)).not.toContain(SECRET);
  });
});
