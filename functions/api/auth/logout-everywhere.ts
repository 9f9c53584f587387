// POST /api/auth/logout-all — the authenticated caller ends all of their sessions (every device).
import { documentClientFor } from '../../../shared/adapters/clients.js';
import { DynamoSessionRepository } from '../../../shared/adapters/dynamodb/session-repository.js';
import { DynamoAuditLog } from '../../../shared/adapters/security/dynamo-audit-log.js';
import { logoutEverywhere } from '../../../shared/app/auth/logout-everywhere.js';
import { userAuthenticator } from '../../../shared/http/authenticate.js';
import { httpHandler } from '../../../shared/http/http-handler.js';
import { clientIp } from '../../../shared/http/request.js';
import { createLogger } from '../../../shared/observability/logger.js';
import { systemClock } from '../../../shared/ports/clock.js';
import { readFunctionEnv } from '../../../shared/wiring/function-environment.js';
import { functionById } from '../../../shared/wiring/manifest.js';

const fn = functionById('LogoutEverywhere');
const env = readFunctionEnv(fn, ['TABLE_NAME', 'JWT_PUBLIC_JWKS', 'JWT_ISSUER', 'JWT_AUDIENCE']);
const logger = createLogger(fn.id);
const db = documentClientFor(env);
const authenticate = userAuthenticator(env);
const deps = {
  sessions: new DynamoSessionRepository(db, env.TABLE_NAME),
  audit: new DynamoAuditLog(db, env.TABLE_NAME),
  clock: systemClock,
};

export const handler = httpHandler(logger, async (event) => {
  const userId = await authenticate(event);
  return { body: await logoutEverywhere(deps, userId, { ip: clientIp(event) }) };
});
