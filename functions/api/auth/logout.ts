// POST /api/auth/logout — ends the session (family) of the refresh token given. Always 204.
import { documentClientFor } from '../../../shared/adapters/clients.js';
import { DynamoSessionRepository } from '../../../shared/adapters/dynamodb/session-repository.js';
import { DynamoAuditLog } from '../../../shared/adapters/security/dynamo-audit-log.js';
import { refreshTokenRequestSchema } from '../../../shared/app/auth/auth-requests.js';
import { logout } from '../../../shared/app/auth/logout.js';
import { httpHandler } from '../../../shared/http/http-handler.js';
import { clientIp, parseJsonBody } from '../../../shared/http/request.js';
import { createLogger } from '../../../shared/observability/logger.js';
import { systemClock } from '../../../shared/ports/clock.js';
import { readFunctionEnv } from '../../../shared/wiring/function-environment.js';
import { functionById } from '../../../shared/wiring/manifest.js';

const fn = functionById('Logout');
const env = readFunctionEnv(fn, ['TABLE_NAME']);
const logger = createLogger(fn.id);
const db = documentClientFor(env);
const deps = {
  sessions: new DynamoSessionRepository(db, env.TABLE_NAME),
  audit: new DynamoAuditLog(db, env.TABLE_NAME),
  clock: systemClock,
};

export const handler = httpHandler(logger, async (event) => {
  const { refreshToken } = parseJsonBody(event, refreshTokenRequestSchema);
  await logout(deps, { refreshToken, ip: clientIp(event) });
  return { status: 204, body: undefined };
});
