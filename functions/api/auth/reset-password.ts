// POST /api/auth/password-reset/confirm — the reset link's token and a new password. The token works
// once; every session is revoked and the login lockout cleared. No session is started: log in next.
import { documentClientFor } from '../../../shared/adapters/clients.js';
import { DynamoActionTokenRepository } from '../../../shared/adapters/dynamodb/action-token-repository.js';
import { DynamoSessionRepository } from '../../../shared/adapters/dynamodb/session-repository.js';
import { DynamoUserAuthRepository } from '../../../shared/adapters/dynamodb/user-auth-repository.js';
import { DynamoAuditLog } from '../../../shared/adapters/security/dynamo-audit-log.js';
import { DynamoRateLimiter } from '../../../shared/adapters/security/dynamo-rate-limiter.js';
import { ScryptPasswordHasher } from '../../../shared/adapters/security/scrypt-password-hasher.js';
import { resetPasswordRequestSchema } from '../../../shared/app/auth/password-requests.js';
import { resetPassword } from '../../../shared/app/auth/password-reset.js';
import { httpHandler } from '../../../shared/http/http-handler.js';
import { clientIp, parseJsonBody } from '../../../shared/http/request.js';
import { createLogger } from '../../../shared/observability/logger.js';
import { systemClock } from '../../../shared/ports/clock.js';
import { readFunctionEnv } from '../../../shared/wiring/function-environment.js';
import { functionById } from '../../../shared/wiring/manifest.js';

const fn = functionById('ResetPassword');
const env = readFunctionEnv(fn, ['TABLE_NAME']);
const logger = createLogger(fn.id);
const db = documentClientFor(env);
const deps = {
  users: new DynamoUserAuthRepository(db, env.TABLE_NAME),
  tokens: new DynamoActionTokenRepository(db, env.TABLE_NAME),
  sessions: new DynamoSessionRepository(db, env.TABLE_NAME),
  hasher: new ScryptPasswordHasher(),
  limiter: new DynamoRateLimiter(db, env.TABLE_NAME),
  audit: new DynamoAuditLog(db, env.TABLE_NAME),
  clock: systemClock,
};

export const handler = httpHandler(logger, async (event) => {
  const body = parseJsonBody(event, resetPasswordRequestSchema);
  return { body: await resetPassword(deps, { ...body, ip: clientIp(event) }) };
});
