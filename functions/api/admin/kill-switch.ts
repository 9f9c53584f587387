// POST /api/admin/kill-switch — { on, totpCode }: admins (with 2FA and a fresh code) only. While on,
// fan-out sends no signal to any account (shared/app/fan-out-signal.ts); audited.
import { documentClientFor } from '../../../shared/adapters/clients.js';
import { DynamoKillSwitchRepository } from '../../../shared/adapters/dynamodb/admin-repositories.js';
import { DynamoUserAuthRepository } from '../../../shared/adapters/dynamodb/user-auth-repository.js';
import { secondFactorCheckFor } from '../../../shared/adapters/second-factor.js';
import { DynamoAuditLog } from '../../../shared/adapters/security/dynamo-audit-log.js';
import { adminKillSwitchBody, adminSetKillSwitch } from '../../../shared/app/admin/admin.js';
import { userAuthenticator } from '../../../shared/http/authenticate.js';
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

const fn = functionById('AdminKillSwitch');
const env = readFunctionEnv(fn, [...USER_ROUTE_ENV, ...SECRET_BOX_ENV]);
const logger = createLogger(fn.id);
const db = documentClientFor(env);
const authenticate = userAuthenticator(env);
const deps = {
  users: new DynamoUserAuthRepository(db, env.TABLE_NAME),
  killSwitch: new DynamoKillSwitchRepository(db, env.TABLE_NAME),
  stepUp: secondFactorCheckFor(db, env.TABLE_NAME, env),
  audit: new DynamoAuditLog(db, env.TABLE_NAME),
  clock: systemClock,
};

export const handler = httpHandler(logger, async (event) => {
  const callerId = await authenticate(event);
  const body = parseJsonBody(event, adminKillSwitchBody);
  const answer = await adminSetKillSwitch(deps, callerId, body, clientIp(event));
  logger.warn('global kill switch changed', { userId: callerId, on: answer.on });
  return { body: answer };
});
