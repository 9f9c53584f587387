// POST /api/auth/2fa/confirm — { code }: a first valid code from the app turns 2FA on; the answer
// carries the recovery codes, once. 400 TOTP.INVALID_CODE for a wrong code; rate limited per user.
import { documentClientFor } from '../../../shared/adapters/clients.js';
import { DynamoTwoFactorRepository } from '../../../shared/adapters/dynamodb/two-factor-repository.js';
import { DynamoAuditLog } from '../../../shared/adapters/security/dynamo-audit-log.js';
import { DynamoRateLimiter } from '../../../shared/adapters/security/dynamo-rate-limiter.js';
import { secretBoxFor } from '../../../shared/adapters/security/secret-box-for.js';
import { confirmTotp } from '../../../shared/app/auth/totp-enrollment.js';
import { totpConfirmRequestSchema } from '../../../shared/app/auth/two-factor-requests.js';
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

const fn = functionById('TotpConfirm');
const env = readFunctionEnv(fn, [...USER_ROUTE_ENV, ...SECRET_BOX_ENV]);
const logger = createLogger(fn.id);
const db = documentClientFor(env);
const authenticate = userAuthenticator(env);
const deps = {
  totp: new DynamoTwoFactorRepository(db, env.TABLE_NAME),
  secretBox: secretBoxFor(env),
  limiter: new DynamoRateLimiter(db, env.TABLE_NAME),
  audit: new DynamoAuditLog(db, env.TABLE_NAME),
  clock: systemClock,
};

export const handler = httpHandler(logger, async (event) => {
  const userId = await authenticate(event);
  const body = parseJsonBody(event, totpConfirmRequestSchema);
  const confirmed = await confirmTotp(deps, userId, body, { ip: clientIp(event) });
  logger.info('totp enabled', { userId }); // never the recovery codes
  return { body: confirmed };
});
