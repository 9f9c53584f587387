// POST /api/auth/resend-verification — a new verification link for an unverified address; always 202.
import { documentClientFor } from '../../../shared/adapters/clients.js';
import { DynamoActionTokenRepository } from '../../../shared/adapters/dynamodb/action-token-repository.js';
import { DynamoUserAuthRepository } from '../../../shared/adapters/dynamodb/user-auth-repository.js';
import { DynamoRateLimiter } from '../../../shared/adapters/security/dynamo-rate-limiter.js';
import { mailerFor } from '../../../shared/adapters/security/mailers.js';
import { resendVerificationRequestSchema } from '../../../shared/app/auth/auth-requests.js';
import { resendVerification } from '../../../shared/app/auth/resend-verification.js';
import { httpHandler } from '../../../shared/http/http-handler.js';
import { clientIp, parseJsonBody } from '../../../shared/http/request.js';
import { createLogger } from '../../../shared/observability/logger.js';
import { systemClock } from '../../../shared/ports/clock.js';
import { readFunctionEnv } from '../../../shared/wiring/function-environment.js';
import { functionById } from '../../../shared/wiring/manifest.js';

const fn = functionById('ResendVerification');
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
  limiter: new DynamoRateLimiter(db, env.TABLE_NAME),
  mailer: mailerFor(env),
  clock: systemClock,
  appBaseUrl: env.APP_BASE_URL,
};

export const handler = httpHandler(logger, async (event) => {
  const { email } = parseJsonBody(event, resendVerificationRequestSchema);
  return { status: 202, body: await resendVerification(deps, { email, ip: clientIp(event) }) };
});
