// POST /api/auth/refresh — rotates a refresh token into a new pair; a reused (already rotated) token
// revokes its whole family.
import { sessionAccessTokensFor } from '../../../shared/adapters/auth-clients.js';
import { documentClientFor } from '../../../shared/adapters/clients.js';
import { DynamoSessionRepository } from '../../../shared/adapters/dynamodb/session-repository.js';
import { DynamoUserAuthRepository } from '../../../shared/adapters/dynamodb/user-auth-repository.js';
import { DynamoAuditLog } from '../../../shared/adapters/security/dynamo-audit-log.js';
import { DynamoRateLimiter } from '../../../shared/adapters/security/dynamo-rate-limiter.js';
import { refreshTokenRequestSchema } from '../../../shared/app/auth/auth-requests.js';
import { refreshSession } from '../../../shared/app/auth/refresh.js';
import { httpHandler } from '../../../shared/http/http-handler.js';
import { clientIp, parseJsonBody } from '../../../shared/http/request.js';
import { createLogger } from '../../../shared/observability/logger.js';
import { systemClock } from '../../../shared/ports/clock.js';
import { readFunctionEnv } from '../../../shared/wiring/function-environment.js';
import { functionById } from '../../../shared/wiring/manifest.js';

const fn = functionById('RefreshSession');
const env = readFunctionEnv(fn, ['TABLE_NAME', 'JWT_ISSUER', 'JWT_AUDIENCE']);
const logger = createLogger(fn.id);
const db = documentClientFor(env);
const deps = {
  users: new DynamoUserAuthRepository(db, env.TABLE_NAME),
  sessions: new DynamoSessionRepository(db, env.TABLE_NAME),
  limiter: new DynamoRateLimiter(db, env.TABLE_NAME),
  audit: new DynamoAuditLog(db, env.TABLE_NAME),
  clock: systemClock,
  accessTokens: sessionAccessTokensFor(env),
};

export const handler = httpHandler(logger, async (event) => {
  const { refreshToken } = parseJsonBody(event, refreshTokenRequestSchema);
  return { body: await refreshSession(deps, { refreshToken, ip: clientIp(event) }) };
});
