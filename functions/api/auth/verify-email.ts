// POST /api/auth/verify-email — consumes the single-use token of a verification link.
import { documentClientFor } from '../../../shared/adapters/clients.js';
import { DynamoActionTokenRepository } from '../../../shared/adapters/dynamodb/action-token-repository.js';
import { DynamoUserAuthRepository } from '../../../shared/adapters/dynamodb/user-auth-repository.js';
import { DynamoAuditLog } from '../../../shared/adapters/security/dynamo-audit-log.js';
import { DynamoRateLimiter } from '../../../shared/adapters/security/dynamo-rate-limiter.js';
import { verifyEmailRequestSchema } from '../../../shared/app/auth/auth-requests.js';
import { verifyEmail } from '../../../shared/app/auth/verify-email.js';
import { httpHandler } from '../../../shared/http/http-handler.js';
import { clientIp, parseJsonBody } from '../../../shared/http/request.js';
import { createLogger } from '../../../shared/observability/logger.js';
import { systemClock } from '../../../shared/ports/clock.js';
import { readFunctionEnv } from '../../../shared/wiring/function-environment.js';
import { functionById } from '../../../shared/wiring/manifest.js';

const fn = functionById('VerifyEmail');
const env = readFunctionEnv(fn, ['TABLE_NAME']);
const logger = createLogger(fn.id);
const db = documentClientFor(env);
const deps = {
  users: new DynamoUserAuthRepository(db, env.TABLE_NAME),
  tokens: new DynamoActionTokenRepository(db, env.TABLE_NAME),
  limiter: new DynamoRateLimiter(db, env.TABLE_NAME),
  audit: new DynamoAuditLog(db, env.TABLE_NAME),
  clock: systemClock,
};

export const handler = httpHandler(logger, async (event) => {
  const { token } = parseJsonBody(event, verifyEmailRequestSchema);
  return { body: await verifyEmail(deps, { token, ip: clientIp(event) }) };
});
