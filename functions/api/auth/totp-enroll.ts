// POST /api/auth/2fa/enroll — starts (or restarts) TOTP enrollment for the caller: a new secret,
// sealed and stored as pending, answered once as an otpauth URI and its QR code. 409 when 2FA is on.
import { documentClientFor } from '../../../shared/adapters/clients.js';
import { DynamoTwoFactorRepository } from '../../../shared/adapters/dynamodb/two-factor-repository.js';
import { DynamoUserAuthRepository } from '../../../shared/adapters/dynamodb/user-auth-repository.js';
import { DynamoRateLimiter } from '../../../shared/adapters/security/dynamo-rate-limiter.js';
import { secretBoxFor } from '../../../shared/adapters/security/secret-box-for.js';
import { enrollTotp } from '../../../shared/app/auth/totp-enrollment.js';
import { userAuthenticator } from '../../../shared/http/authenticate.js';
import { httpHandler } from '../../../shared/http/http-handler.js';
import { createLogger } from '../../../shared/observability/logger.js';
import { systemClock } from '../../../shared/ports/clock.js';
import {
  readFunctionEnv,
  SECRET_BOX_ENV,
  USER_ROUTE_ENV,
} from '../../../shared/wiring/function-environment.js';
import { functionById } from '../../../shared/wiring/manifest.js';

const fn = functionById('TotpEnroll');
const env = readFunctionEnv(fn, [...USER_ROUTE_ENV, ...SECRET_BOX_ENV]);
const logger = createLogger(fn.id);
const db = documentClientFor(env);
const authenticate = userAuthenticator(env);
const deps = {
  users: new DynamoUserAuthRepository(db, env.TABLE_NAME),
  totp: new DynamoTwoFactorRepository(db, env.TABLE_NAME),
  secretBox: secretBoxFor(env),
  limiter: new DynamoRateLimiter(db, env.TABLE_NAME),
  clock: systemClock,
};

export const handler = httpHandler(logger, async (event) => {
  const userId = await authenticate(event);
  const enrollment = await enrollTotp(deps, userId);
  logger.info('totp enrollment started', { userId }); // never the URI: it carries the secret
  return { body: enrollment };
});
