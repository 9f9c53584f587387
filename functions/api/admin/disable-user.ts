// POST /api/admin/users/{userId}/disable — { totpCode }: admins (with 2FA and a fresh code) only.
// The user can no longer log in or refresh; every session is revoked; audited under the user.
// Acting on another user's id is this route's purpose: the admin check replaces tenant isolation.
import { documentClientFor } from '../../../shared/adapters/clients.js';
import { DynamoUserAdminRepository } from '../../../shared/adapters/dynamodb/admin-repositories.js';
import { DynamoSessionRepository } from '../../../shared/adapters/dynamodb/session-repository.js';
import { DynamoUserAuthRepository } from '../../../shared/adapters/dynamodb/user-auth-repository.js';
import { secondFactorCheckFor } from '../../../shared/adapters/second-factor.js';
import { DynamoAuditLog } from '../../../shared/adapters/security/dynamo-audit-log.js';
import { adminDisableUser, adminDisableUserBody, adminUserPath } from '../../../shared/app/admin/admin.js';
import { userAuthenticator } from '../../../shared/http/authenticate.js';
import { ValidationError } from '../../../shared/http/errors.js';
import { httpHandler } from '../../../shared/http/http-handler.js';
import { clientIp, parseJsonBody } from '../../../shared/http/request.js';
import { createLogger } from '../../../shared/observability/logger.js';
import { systemClock } from '../../../shared/ports/clock.js';
import {
  readFunctionEnv,
  SECRET_BOX_ENV,
  USER_ROUTE_ENV,
} from '../../../shared/wiring/function-environment.js';
import { functionById } from '../../../shared/wiring/manifest.js';

const fn = functionById('AdminDisableUser');
const env = readFunctionEnv(fn, [...USER_ROUTE_ENV, ...SECRET_BOX_ENV]);
const logger = createLogger(fn.id);
const db = documentClientFor(env);
const authenticate = userAuthenticator(env);
const deps = {
  users: new DynamoUserAuthRepository(db, env.TABLE_NAME),
  admin: new DynamoUserAdminRepository(db, env.TABLE_NAME),
  sessions: new DynamoSessionRepository(db, env.TABLE_NAME),
  stepUp: secondFactorCheckFor(db, env.TABLE_NAME, env),
  audit: new DynamoAuditLog(db, env.TABLE_NAME),
  clock: systemClock,
};

export const handler = httpHandler(logger, async (event) => {
  const callerId = await authenticate(event);
  const path = adminUserPath.safeParse(event.pathParameters ?? {});
  if (!path.success) throw new ValidationError('PATH.INVALID', 'The user id is not valid');
  const body = parseJsonBody(event, adminDisableUserBody);
  const answer = await adminDisableUser(deps, callerId, path.data.userId, body, clientIp(event));
  logger.info('admin disabled a user', {
    userId: callerId,
    targetUserId: answer.userId,
    revokedSessions: answer.revokedSessions,
  });
  return { body: answer };
});
