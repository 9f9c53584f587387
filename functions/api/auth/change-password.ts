// POST /api/auth/password — the signed-in user changes their password: the current one (counted in
// the account's lockout), the new one (policy), and a second factor when 2FA is on. Answers 204 and
// revokes every session, this device's too: the client logs in again (see change-password.ts).
import { documentClientFor } from '../../../shared/adapters/clients.js';
import { DynamoSessionRepository } from '../../../shared/adapters/dynamodb/session-repository.js';
import { DynamoUserAuthRepository } from '../../../shared/adapters/dynamodb/user-auth-repository.js';
import { secondFactorCheckFor } from '../../../shared/adapters/second-factor.js';
import { DynamoAuditLog } from '../../../shared/adapters/security/dynamo-audit-log.js';
import { DynamoRateLimiter } from '../../../shared/adapters/security/dynamo-rate-limiter.js';
import { ScryptPasswordHasher } from '../../../shared/adapters/security/scrypt-password-hasher.js';
import { type ChangePasswordDeps, changePassword } from '../../../shared/app/auth/change-password.js';
import { changePasswordRequestSchema } from '../../../shared/app/auth/password-requests.js';
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

const fn = functionById('ChangePassword');
const env = readFunctionEnv(fn, [...USER_ROUTE_ENV, ...SECRET_BOX_ENV]);
const logger = createLogger(fn.id);
const db = documentClientFor(env);
const authenticate = userAuthenticator(env);
const checkSecondFactor = secondFactorCheckFor(db, env.TABLE_NAME, env);
const deps: ChangePasswordDeps = {
  users: new DynamoUserAuthRepository(db, env.TABLE_NAME),
  sessions: new DynamoSessionRepository(db, env.TABLE_NAME),
  hasher: new ScryptPasswordHasher(),
  limiter: new DynamoRateLimiter(db, env.TABLE_NAME),
  audit: new DynamoAuditLog(db, env.TABLE_NAME),
  clock: systemClock,
  // With 2FA on, the TOTP or recovery code of the body (403 when missing or wrong, 429 when spent).
  secondFactor: (user, proof, now, ip) => checkSecondFactor(user.userId, proof, now, ip),
};

export const handler = httpHandler(logger, async (event) => {
  const userId = await authenticate(event);
  const body = parseJsonBody(event, changePasswordRequestSchema);
  await changePassword(deps, userId, body, { ip: clientIp(event) });
  return { status: 204, body: undefined };
});
