// POST /api/auth/2fa/disable — { password, totpCode | recoveryCode }: turns 2FA off, deletes the
// secret and the recovery codes, and signs out every other session of the caller.
import { decodeJwt } from 'jose';
import { documentClientFor } from '../../../shared/adapters/clients.js';
import { DynamoSessionRepository } from '../../../shared/adapters/dynamodb/session-repository.js';
import { DynamoTwoFactorRepository } from '../../../shared/adapters/dynamodb/two-factor-repository.js';
import { DynamoUserAuthRepository } from '../../../shared/adapters/dynamodb/user-auth-repository.js';
import { DynamoAuditLog } from '../../../shared/adapters/security/dynamo-audit-log.js';
import { DynamoRateLimiter } from '../../../shared/adapters/security/dynamo-rate-limiter.js';
import { ScryptPasswordHasher } from '../../../shared/adapters/security/scrypt-password-hasher.js';
import { secretBoxFor } from '../../../shared/adapters/security/secret-box-for.js';
import { disableTotp } from '../../../shared/app/auth/totp-enrollment.js';
import { totpDisableRequestSchema } from '../../../shared/app/auth/two-factor-requests.js';
import { bearerToken } from '../../../shared/http/auth.js';
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

const fn = functionById('TotpDisable');
const env = readFunctionEnv(fn, [...USER_ROUTE_ENV, ...SECRET_BOX_ENV]);
const logger = createLogger(fn.id);
const db = documentClientFor(env);
const authenticate = userAuthenticator(env);
const deps = {
  users: new DynamoUserAuthRepository(db, env.TABLE_NAME),
  totp: new DynamoTwoFactorRepository(db, env.TABLE_NAME),
  secretBox: secretBoxFor(env),
  hasher: new ScryptPasswordHasher(),
  limiter: new DynamoRateLimiter(db, env.TABLE_NAME),
  sessions: new DynamoSessionRepository(db, env.TABLE_NAME),
  audit: new DynamoAuditLog(db, env.TABLE_NAME),
  clock: systemClock,
};

/** The session (refresh-token family) of the access token, which `authenticate` has just verified. */
function sessionIdOf(headers: Readonly<Record<string, string | undefined>>): string | undefined {
  const token = bearerToken(headers);
  const sid = token ? decodeJwt(token).sid : undefined;
  return typeof sid === 'string' ? sid : undefined;
}

export const handler = httpHandler(logger, async (event) => {
  const userId = await authenticate(event);
  const body = parseJsonBody(event, totpDisableRequestSchema);
  const answer = await disableTotp(deps, userId, body, {
    ip: clientIp(event),
    sessionId: sessionIdOf(event.headers),
  });
  logger.info('totp disabled', { userId, revokedSessions: answer.revokedSessions });
  return { body: answer };
});
