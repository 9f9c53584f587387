// POST /api/auth/password-reset/request — email and a CAPTCHA solution; a verified, active owner is
// mailed a single-use reset link (1 hour). Always the same 202: the route never tells who has an account.
import { captchaVerifierFor } from '../../../shared/adapters/auth-clients.js';
import { documentClientFor } from '../../../shared/adapters/clients.js';
import { DynamoActionTokenRepository } from '../../../shared/adapters/dynamodb/action-token-repository.js';
import { DynamoUserAuthRepository } from '../../../shared/adapters/dynamodb/user-auth-repository.js';
import { DynamoAuditLog } from '../../../shared/adapters/security/dynamo-audit-log.js';
import { DynamoRateLimiter } from '../../../shared/adapters/security/dynamo-rate-limiter.js';
import { mailerFor } from '../../../shared/adapters/security/mailers.js';
import { passwordResetRequestSchema } from '../../../shared/app/auth/password-requests.js';
import { requestPasswordReset } from '../../../shared/app/auth/password-reset.js';
import { httpHandler } from '../../../shared/http/http-handler.js';
import { clientIp, parseJsonBody } from '../../../shared/http/request.js';
import { createLogger } from '../../../shared/observability/logger.js';
import { systemClock } from '../../../shared/ports/clock.js';
import { readFunctionEnv } from '../../../shared/wiring/function-environment.js';
import { functionById } from '../../../shared/wiring/manifest.js';

const fn = functionById('RequestPasswordReset');
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
  captcha: captchaVerifierFor(db, env.TABLE_NAME),
  mailer: mailerFor(env),
  audit: new DynamoAuditLog(db, env.TABLE_NAME),
  clock: systemClock,
  appBaseUrl: env.APP_BASE_URL,
  // Longer than storing a token and handing a mail to Resend usually takes: known and unknown
  // addresses answer after the same time.
  minimumAnswerMs: 800,
};

export const handler = httpHandler(logger, async (event) => {
  const body = parseJsonBody(event, passwordResetRequestSchema);
  return { status: 202, body: await requestPasswordReset(deps, { ...body, ip: clientIp(event) }) };
});
