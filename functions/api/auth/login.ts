// POST /api/auth/login — email, password and a CAPTCHA solution → an access token (15 min) and the
// first refresh token of a new session family. Rate limited per IP and locked per account. With 2FA
// on, the body also carries `totpCode` or `recoveryCode` (the sealed TOTP secret is opened here).
import { captchaVerifierFor, sessionAccessTokensFor } from '../../../shared/adapters/auth-clients.js';
import { documentClientFor } from '../../../shared/adapters/clients.js';
import { DynamoSessionRepository } from '../../../shared/adapters/dynamodb/session-repository.js';
import { DynamoTwoFactorRepository } from '../../../shared/adapters/dynamodb/two-factor-repository.js';
import { DynamoUserAuthRepository } from '../../../shared/adapters/dynamodb/user-auth-repository.js';
import { DynamoAuditLog } from '../../../shared/adapters/security/dynamo-audit-log.js';
import { DynamoRateLimiter } from '../../../shared/adapters/security/dynamo-rate-limiter.js';
import { ScryptPasswordHasher } from '../../../shared/adapters/security/scrypt-password-hasher.js';
import { secretBoxFor } from '../../../shared/adapters/security/secret-box-for.js';
import { loginRequestSchema } from '../../../shared/app/auth/auth-requests.js';
import { dummyPasswordHash, login } from '../../../shared/app/auth/login.js';
import { totpLoginStep } from '../../../shared/app/auth/two-factor.js';
import { httpHandler } from '../../../shared/http/http-handler.js';
import { clientIp, parseJsonBody } from '../../../shared/http/request.js';
import { createLogger } from '../../../shared/observability/logger.js';
import { systemClock } from '../../../shared/ports/clock.js';
import { readFunctionEnv, SECRET_BOX_ENV } from '../../../shared/wiring/function-environment.js';
import { functionById } from '../../../shared/wiring/manifest.js';

const fn = functionById('Login');
const env = readFunctionEnv(fn, ['TABLE_NAME', 'JWT_ISSUER', 'JWT_AUDIENCE', ...SECRET_BOX_ENV]);
const logger = createLogger(fn.id);
const db = documentClientFor(env);
const hasher = new ScryptPasswordHasher();
const audit = new DynamoAuditLog(db, env.TABLE_NAME);
const deps = {
  users: new DynamoUserAuthRepository(db, env.TABLE_NAME),
  sessions: new DynamoSessionRepository(db, env.TABLE_NAME),
  hasher,
  limiter: new DynamoRateLimiter(db, env.TABLE_NAME),
  captcha: captchaVerifierFor(db, env.TABLE_NAME),
  audit,
  clock: systemClock,
  accessTokens: sessionAccessTokensFor(env),
  // Started now, at cold start: the first unknown-email login must not pay for it.
  dummyHash: dummyPasswordHash(hasher),
  twoFactor: totpLoginStep({
    totp: new DynamoTwoFactorRepository(db, env.TABLE_NAME),
    secretBox: secretBoxFor(env),
    audit,
  }),
};

export const handler = httpHandler(logger, async (event) => {
  const body = parseJsonBody(event, loginRequestSchema);
  return { body: await login(deps, { ...body, ip: clientIp(event) }) };
});
