// POST /api/auth/register — creates an unverified user and mails the verification link. A taken
// address gets the same 202 (its owner is mailed instead): the route never tells who has an account.
import { captchaVerifierFor } from '../../../shared/adapters/auth-clients.js';
import { documentClientFor } from '../../../shared/adapters/clients.js';
import { DynamoActionTokenRepository } from '../../../shared/adapters/dynamodb/action-token-repository.js';
import { DynamoUserAuthRepository } from '../../../shared/adapters/dynamodb/user-auth-repository.js';
import { DynamoAuditLog } from '../../../shared/adapters/security/dynamo-audit-log.js';
import { DynamoRateLimiter } from '../../../shared/adapters/security/dynamo-rate-limiter.js';
import { mailerFor } from '../../../shared/adapters/security/mailers.js';
import { ScryptPasswordHasher } from '../../../shared/adapters/security/scrypt-password-hasher.js';
import { registerRequestSchema } from '../../../shared/app/auth/auth-requests.js';
import { register } from '../../../shared/app/auth/register.js';
import { httpHandler } from '../../../shared/http/http-handler.js';
import { clientIp, parseJsonBody } from '../../../shared/http/request.js';
import { createLogger } from '../../../shared/observability/logger.js';
import { systemClock } from '../../../shared/ports/clock.js';
import { readFunctionEnv } from '../../../shared/wiring/function-environment.js';
import { functionById } from '../../../shared/wiring/manifest.js';

const fn = functionById('Register');
const env = readFunctionEnv(fn, [
  'TABLE_NAME',
  'APP_BASE_URL',
  'MAIL_FROM',
  'LOCAL_OUTBOX_DIR',
  'RESEND_BASE_URL',
]);
const logger = createLogger(fn.id);
const db = documentClientFor(env);
const deps = {
  users: new DynamoUserAuthRepository(db, env.TABLE_NAME),
  tokens: new DynamoActionTokenRepository(db, env.TABLE_NAME),
  hasher: new ScryptPasswordHasher(),
  limiter: new DynamoRateLimiter(db, env.TABLE_NAME),
  captcha: captchaVerifierFor(db, env.TABLE_NAME),
  mailer: mailerFor(env),
  audit: new DynamoAuditLog(db, env.TABLE_NAME),
  clock: systemClock,
  appBaseUrl: env.APP_BASE_URL,
};

export const handler = httpHandler(logger, async (event) => {
  const body = parseJsonBody(event, registerRequestSchema);
  const answer = await register(deps, { ...body, ip: clientIp(event) });
  return { status: 202, body: answer };
});
