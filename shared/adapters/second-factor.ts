// Composition helper for the functions that guard a sensitive action with the second factor (adding
// an exchange key, changing the password): built once at module scope from the function's env, it
// checks a request's TOTP or recovery code with `requireSecondFactor`. The function needs KMS
// `decrypt` in the manifest (the TOTP secret is sealed) and reads KMS_KEY_ID, KMS_ENDPOINT and
// LOCAL_MASTER_KEY.
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import {
  requireSecondFactor,
  type SecondFactorProof,
  type TwoFactorOutcome,
} from '../app/auth/two-factor.js';
import { DynamoTwoFactorRepository } from './dynamodb/two-factor-repository.js';
import { DynamoAuditLog } from './security/dynamo-audit-log.js';
import { DynamoRateLimiter } from './security/dynamo-rate-limiter.js';
import { type SecretBoxEnv, secretBoxFor } from './security/secret-box-for.js';

export type SecondFactorCheck = (
  userId: string,
  proof: SecondFactorProof,
  now: Date,
  ip?: string,
) => Promise<TwoFactorOutcome>;

/** Resolves when the user has no 2FA or the proof passes; throws 403 (or 429) otherwise. */
export function secondFactorCheckFor(
  db: DynamoDBDocumentClient,
  tableName: string,
  env: SecretBoxEnv,
): SecondFactorCheck {
  const deps = {
    totp: new DynamoTwoFactorRepository(db, tableName),
    secretBox: secretBoxFor(env),
    audit: new DynamoAuditLog(db, tableName),
    limiter: new DynamoRateLimiter(db, tableName),
  };
  return (userId, proof, now, ip) => requireSecondFactor(deps, userId, proof, now, ip);
}
