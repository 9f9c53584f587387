// Proof-of-work CAPTCHA with ALTCHA (altcha-lib, protocol v2): the server hands out an HMAC-signed
// challenge that expires in 10 minutes; the browser searches for the counter whose PBKDF2 key matches
// the challenge's prefix; the server checks the signature, the expiry and the key, and then records
// the challenge as used (a conditional put on keys.captchaUse, TTL'd past the expiry), so one solved
// challenge buys exactly one request. No third party, no cookies, no tracking.
import { createHmac, randomInt } from 'node:crypto';
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import { type Challenge, createChallenge, type Solution, verifySolution } from 'altcha-lib';
import { deriveKey as pbkdf2DeriveKey } from 'altcha-lib/algorithms/pbkdf2';
import { z } from 'zod';
import type { Env } from '../../config/env.js';
import type { CaptchaVerifier } from '../../ports/security.js';
import { keys } from '../dynamodb/keys.js';

export const CAPTCHA_TTL_SECONDS = 600;

/** How much work a challenge asks for: PBKDF2 iterations per try, and where the answer lies. */
export interface CaptchaWork {
  readonly cost: number;
  readonly counterMin: number;
  readonly counterMax: number;
}

/**
 * altcha-lib's recommended v2 settings: a browser (WebCrypto, several workers) solves in a few
 * seconds; a bot pays the same per attempt. Verifying costs one HMAC (the derived key is signed).
 */
export const DEFAULT_CAPTCHA_WORK: CaptchaWork = { cost: 5_000, counterMin: 5_000, counterMax: 10_000 };

/** The local run: the same protocol with a fraction of the work, so curl flows and e2e tests are quick. */
export const LOCAL_CAPTCHA_WORK: CaptchaWork = { cost: 1_000, counterMin: 20, counterMax: 100 };

export function captchaWorkFor(stage: Env['STAGE']): CaptchaWork {
  return stage === 'local' ? LOCAL_CAPTCHA_WORK : DEFAULT_CAPTCHA_WORK;
}

const ALGORITHM = 'PBKDF2/SHA-256';

/** The second secret altcha-lib signs derived keys with, derived from the one configured key. */
const keySignatureSecret = (hmacKey: string) =>
  createHmac('sha256', hmacKey).update('verzek-altcha-key-signature').digest('hex');

/** A signed challenge, the JSON the ALTCHA widget solves. Needs only the key: no table access. */
export async function createCaptchaChallenge(
  hmacKey: string,
  now: Date,
  work: CaptchaWork = DEFAULT_CAPTCHA_WORK,
): Promise<Challenge> {
  return createChallenge({
    algorithm: ALGORITHM,
    cost: work.cost,
    // Deterministic mode: the server picks the answer, signs its key, and verifies with one HMAC.
    counter: randomInt(work.counterMin, work.counterMax + 1), // node's bound is exclusive
    deriveKey: pbkdf2DeriveKey,
    expiresAt: new Date(now.getTime() + CAPTCHA_TTL_SECONDS * 1000),
    hmacSignatureSecret: hmacKey,
    hmacKeySignatureSecret: keySignatureSecret(hmacKey),
  });
}

const hex = z.string().regex(/^[0-9a-f]+$/i);

/** The widget's payload, base64 of `{ challenge, solution }`; parameters kept whole (they are signed). */
const payloadSchema = z.object({
  challenge: z.object({
    parameters: z.looseObject({ algorithm: z.literal(ALGORITHM), expiresAt: z.number().int().positive() }),
    signature: hex.max(256),
  }),
  solution: z.object({
    counter: z.number().int().nonnegative(),
    derivedKey: hex.max(256),
    time: z.number().optional(),
  }),
});

/** Widget payloads are well under 2 KB; anything much larger is not one. */
const MAX_PAYLOAD_LENGTH = 8192;

function decodePayload(payload: string): z.infer<typeof payloadSchema> | null {
  if (payload.length === 0 || payload.length > MAX_PAYLOAD_LENGTH) return null;
  try {
    const parsed = payloadSchema.safeParse(JSON.parse(Buffer.from(payload, 'base64').toString('utf8')));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

export interface AltchaCaptchaOptions {
  readonly hmacKey: string;
  readonly db: DynamoDBDocumentClient;
  readonly tableName: string;
  /** Default DEFAULT_CAPTCHA_WORK; see captchaWorkFor. */
  readonly work?: CaptchaWork;
}

export class AltchaCaptcha implements CaptchaVerifier {
  private readonly work: CaptchaWork;

  constructor(private readonly options: AltchaCaptchaOptions) {
    if (options.hmacKey.length < 32) throw new Error('the ALTCHA HMAC key must be at least 32 characters');
    this.work = options.work ?? DEFAULT_CAPTCHA_WORK;
  }

  async challenge(now: Date): Promise<Record<string, unknown>> {
    return { ...(await createCaptchaChallenge(this.options.hmacKey, now, this.work)) };
  }

  async verify(payload: string, now: Date): Promise<boolean> {
    const decoded = decodePayload(payload);
    if (!decoded) return false;
    const { challenge } = decoded;
    const expiresAt = challenge.parameters.expiresAt;
    // Expiry against the injected clock (altcha-lib checks it against the wall clock as well).
    if (expiresAt <= Math.floor(now.getTime() / 1000)) return false;
    try {
      const result = await verifySolution({
        challenge: challenge as unknown as Challenge,
        solution: decoded.solution as Solution,
        deriveKey: pbkdf2DeriveKey,
        hmacSignatureSecret: this.options.hmacKey,
        hmacKeySignatureSecret: keySignatureSecret(this.options.hmacKey),
      });
      if (!result.verified) return false;
    } catch {
      return false; // malformed parameters the library refuses (e.g. odd-length hex)
    }
    return this.markUsed(challenge.signature.toLowerCase(), expiresAt);
  }

  /** Records the solved challenge; false when it was already recorded (a replay). */
  private async markUsed(signature: string, expiresAt: number): Promise<boolean> {
    try {
      await this.options.db.send(
        new PutCommand({
          TableName: this.options.tableName,
          Item: { ...keys.captchaUse(signature), expiresAt: expiresAt + 60 },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  }
}
