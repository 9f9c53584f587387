// ALTCHA against DynamoDB Local: a solved challenge verifies once; a replay, a tampered or an expired
// one, or one signed with another key, is refused. Also GET /api/auth/captcha's handler end to end.
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  AltchaCaptcha,
  CAPTCHA_TTL_SECONDS,
  type CaptchaWork,
  LOCAL_CAPTCHA_WORK,
} from '../../../shared/adapters/security/altcha-captcha.js';
import { solveAltcha } from '../../support/altcha-solver.js';
import { type LocalServices, startLocalServices } from '../../support/local-services.js';

const HMAC_KEY = `${'k'.repeat(16)}test-altcha-hmac-key`;
// Little work: the protocol is what is under test, not the difficulty.
const WORK: CaptchaWork = { cost: 10, counterMin: 5, counterMax: 30 };

let services: LocalServices;
let captcha: AltchaCaptcha;

beforeAll(async () => {
  services = await startLocalServices();
  captcha = new AltchaCaptcha({
    hmacKey: HMAC_KEY,
    db: services.db,
    tableName: services.tableName,
    work: WORK,
  });
});
afterAll(async () => {
  await services?.stop();
});

type Payload = {
  challenge: { parameters: Record<string, unknown>; signature: string };
  solution: { counter: number; derivedKey: string };
};
const decode = (payload: string) => JSON.parse(Buffer.from(payload, 'base64').toString('utf8')) as Payload;
const encode = (payload: Payload) => Buffer.from(JSON.stringify(payload)).toString('base64');

describe('AltchaCaptcha', () => {
  it('hands out a signed challenge that expires in 10 minutes', async () => {
    const now = new Date();
    const challenge = (await captcha.challenge(now)) as Payload['challenge'];
    expect(challenge.signature).toMatch(/^[0-9a-f]{64}$/);
    expect(challenge.parameters).toMatchObject({ algorithm: 'PBKDF2/SHA-256', cost: 10 });
    expect(challenge.parameters.expiresAt).toBe(Math.floor(now.getTime() / 1000) + CAPTCHA_TTL_SECONDS);
    // The answer's key is signed, never given away.
    expect(JSON.stringify(challenge)).not.toMatch(/derivedKey|counter/);
  });

  it('accepts a solved challenge once and refuses its replay', async () => {
    const now = new Date();
    const payload = await solveAltcha(await captcha.challenge(now));
    // The answer lies where the work setting puts it.
    const { counter } = decode(payload).solution;
    expect(counter).toBeGreaterThanOrEqual(WORK.counterMin);
    expect(counter).toBeLessThanOrEqual(WORK.counterMax);
    expect(await captcha.verify(payload, now)).toBe(true);
    expect(await captcha.verify(payload, now)).toBe(false);
  });

  it('lets exactly one of several concurrent uses of one solution through', async () => {
    const now = new Date();
    const payload = await solveAltcha(await captcha.challenge(now));
    const results = await Promise.all(Array.from({ length: 5 }, () => captcha.verify(payload, now)));
    expect(results.filter(Boolean)).toHaveLength(1);
  });

  it('refuses a wrong solution, tampered parameters and a forged signature', async () => {
    const now = new Date();
    const solved = decode(await solveAltcha(await captcha.challenge(now)));

    const wrongKey = { ...solved, solution: { ...solved.solution, derivedKey: '00'.repeat(32) } };
    // (The counter alone is not checked: the signed derived key is the proof of work.)
    const longerLife = {
      ...solved,
      challenge: {
        ...solved.challenge,
        parameters: {
          ...solved.challenge.parameters,
          expiresAt: Number(solved.challenge.parameters.expiresAt) + 3600,
        },
      },
    };
    const easier = {
      ...solved,
      challenge: { ...solved.challenge, parameters: { ...solved.challenge.parameters, cost: 1 } },
    };
    const forged = { ...solved, challenge: { ...solved.challenge, signature: 'ab'.repeat(32) } };
    const cases = { wrongKey, longerLife, easier, forged };
    for (const [name, p] of Object.entries(cases)) {
      expect(await captcha.verify(encode(p), now), name).toBe(false);
    }
    // The genuine one still works: the refusals above did not burn it.
    expect(await captcha.verify(encode(solved), now)).toBe(true);
  });

  it('refuses a challenge signed with another key', async () => {
    const other = new AltchaCaptcha({
      hmacKey: 'another-key-of-at-least-32-characters',
      db: services.db,
      tableName: services.tableName,
      work: WORK,
    });
    const now = new Date();
    const payload = await solveAltcha(await other.challenge(now));
    expect(await captcha.verify(payload, now)).toBe(false);
    expect(await other.verify(payload, now)).toBe(true);
  });

  it('refuses an expired challenge', async () => {
    const issued = new Date();
    const payload = await solveAltcha(await captcha.challenge(issued));
    const later = new Date(issued.getTime() + (CAPTCHA_TTL_SECONDS + 1) * 1000);
    expect(await captcha.verify(payload, later)).toBe(false);
    // …and was not consumed by that refusal.
    expect(await captcha.verify(payload, issued)).toBe(true);
  });

  it.each([
    '',
    'not base64 at all %%%',
    Buffer.from('{"challenge":1}').toString('base64'),
    Buffer.from('[]').toString('base64'),
    'A'.repeat(20_000),
  ])('refuses garbage without throwing: %#', async (payload) => {
    expect(await captcha.verify(payload, new Date())).toBe(false);
  });

  it('marks the use with a TTL after the challenge expires', async () => {
    const now = new Date();
    const payload = await solveAltcha(await captcha.challenge(now));
    expect(await captcha.verify(payload, now)).toBe(true);
    const { challenge } = decode(payload);
    const { GetCommand } = await import('@aws-sdk/lib-dynamodb');
    const { keys } = await import('../../../shared/adapters/dynamodb/keys.js');
    const item = await services.db.send(
      new GetCommand({ TableName: services.tableName, Key: keys.captchaUse(challenge.signature) }),
    );
    expect(item.Item?.expiresAt).toBeGreaterThan(Number(challenge.parameters.expiresAt));
  });
});

describe('GET /api/auth/captcha (AuthCaptcha)', () => {
  const context = { functionName: 'AuthCaptcha', awsRequestId: 'test' } as unknown as Context;
  const event = {
    version: '2.0',
    routeKey: 'GET /api/auth/captcha',
    rawPath: '/api/auth/captcha',
    rawQueryString: '',
    headers: {},
    isBase64Encoded: false,
    requestContext: { http: { method: 'GET', path: '/api/auth/captcha', sourceIp: '127.0.0.1' } },
  } as unknown as APIGatewayProxyEventV2;

  it('answers a fresh, uncached challenge that the local stage verifies once', async () => {
    const { handler } = await import('../../../functions/api/auth/captcha.js');
    const first = (await handler(event, context)) as APIGatewayProxyStructuredResultV2;
    const second = (await handler(event, context)) as APIGatewayProxyStructuredResultV2;
    expect(first.statusCode).toBe(200);
    expect(first.headers?.['cache-control']).toBe('no-store');
    const challenge = JSON.parse(first.body ?? '{}') as Payload['challenge'];
    expect(challenge.signature).not.toBe((JSON.parse(second.body ?? '{}') as Payload['challenge']).signature);
    // The local stage asks for the light work.
    expect(challenge.parameters.cost).toBe(LOCAL_CAPTCHA_WORK.cost);

    const verifier = new AltchaCaptcha({
      hmacKey: services.env.ALTCHA_HMAC_KEY as string,
      db: services.db,
      tableName: services.tableName,
    });
    const payload = await solveAltcha(challenge);
    expect(await verifier.verify(payload, new Date())).toBe(true);
    expect(await verifier.verify(payload, new Date())).toBe(false);
  });
});
