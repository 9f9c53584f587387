// POST /api/exchange-accounts — adds an exchange account for the caller: the key is checked on the
// exchange from the platform's egress IPs, sealed (KMS data key in the cloud, the local master key
// locally) and stored with the account. The answer shows the masked key, the warnings of the check
// and the IPs to bind the key to; the key and secret are never logged or echoed.
import { randomBytes } from 'node:crypto';
import { documentClientFor } from '../../../shared/adapters/clients.js';
import { DynamoExchangeAccountRepository } from '../../../shared/adapters/dynamodb/exchange-account-repository.js';
import { createExchangeGateway } from '../../../shared/adapters/exchanges/gateway-factory.js';
import { secondFactorCheckFor } from '../../../shared/adapters/second-factor.js';
import { DynamoAuditLog } from '../../../shared/adapters/security/dynamo-audit-log.js';
import { DynamoRateLimiter } from '../../../shared/adapters/security/dynamo-rate-limiter.js';
import { secretBoxFor } from '../../../shared/adapters/security/secret-box-for.js';
import {
  ADD_ACCOUNT_RATE_RULE,
  addExchangeAccount,
  ExchangeKeyRefused,
} from '../../../shared/app/exchange-accounts/add-exchange-account.js';
import { parseEgressIps } from '../../../shared/app/exchange-accounts/exchange-account-view.js';
import { userAuthenticator } from '../../../shared/http/authenticate.js';
import { AppError, TooManyRequests } from '../../../shared/http/errors.js';
import { exchangeErrorAsHttp } from '../../../shared/http/exchange-errors.js';
import { httpHandler } from '../../../shared/http/http-handler.js';
import { clientIp, parseJsonBody } from '../../../shared/http/request.js';
import { addExchangeAccountBody } from '../../../shared/http/route-schemas.js';
import { createLogger } from '../../../shared/observability/logger.js';
import { systemClock } from '../../../shared/ports/clock.js';
import { ExchangeError } from '../../../shared/ports/exchange-gateway.js';
import { readFunctionEnv, SECRET_BOX_ENV } from '../../../shared/wiring/function-environment.js';
import { functionById } from '../../../shared/wiring/manifest.js';

const fn = functionById('AddExchangeAccount');
const env = readFunctionEnv(fn, [
  'TABLE_NAME',
  'JWT_PUBLIC_JWKS',
  'JWT_ISSUER',
  'JWT_AUDIENCE',
  'EXCHANGE_BASE_URLS',
  ...SECRET_BOX_ENV,
  'EGRESS_IPS',
]);
const logger = createLogger(fn.id);
const db = documentClientFor(env);
const authenticate = userAuthenticator(env);
const limiter = new DynamoRateLimiter(db, env.TABLE_NAME);
const checkSecondFactor = secondFactorCheckFor(db, env.TABLE_NAME, env);
const deps = {
  accounts: new DynamoExchangeAccountRepository(db, env.TABLE_NAME),
  secretBox: secretBoxFor(env),
  audit: new DynamoAuditLog(db, env.TABLE_NAME),
  clock: systemClock,
  gatewayFor: (account: Parameters<typeof createExchangeGateway>[0]) => {
    const baseUrl = env.EXCHANGE_BASE_URLS?.[account.exchange];
    return createExchangeGateway({ ...account, ...(baseUrl === undefined ? {} : { baseUrl }) });
  },
  newAccountId: () => `acc_${randomBytes(12).toString('base64url')}`,
  egressIps: parseEgressIps(env.EGRESS_IPS),
};

const bodySchema = addExchangeAccountBody;

export const handler = httpHandler(logger, async (event) => {
  const userId = await authenticate(event);
  const { totpCode, recoveryCode, ...body } = parseJsonBody(event, bodySchema);
  // Before the exchange is called or the add budget spent: 403 when 2FA is on and the code is
  // missing or wrong.
  await checkSecondFactor(userId, { totpCode, recoveryCode }, systemClock.now(), clientIp(event));
  // Each add calls the exchange from the shared egress IPs: bounded per user, so no one can spend
  // the platform's request weight (or earn it a ban) by adding keys in a loop.
  const decision = await limiter.consume(ADD_ACCOUNT_RATE_RULE, userId, systemClock.now());
  if (!decision.allowed) {
    throw new TooManyRequests(
      'RATE.LIMITED',
      'Too many exchange accounts added; try again later',
      decision.retryAfterSeconds,
    );
  }
  try {
    const added = await addExchangeAccount(deps, userId, body, { ip: clientIp(event) });
    logger.info('exchange account added', {
      userId,
      accountId: added.accountId,
      exchange: added.exchange,
      mode: added.mode,
    });
    return { status: 201, body: added };
  } catch (error) {
    if (error instanceof ExchangeKeyRefused) {
      logger.info('exchange key refused', { userId, exchange: body.exchange, reasons: error.reasons.length });
      throw new AppError(422, 'EXCHANGE_KEY.REFUSED', 'The key may not be used for auto-trading', {
        reasons: error.reasons,
        warnings: error.warnings,
      });
    }
    if (error instanceof ExchangeError) {
      logger.warn('exchange key check failed', { userId, exchange: body.exchange, kind: error.kind });
      throw exchangeErrorAsHttp(error);
    }
    throw error;
  }
});
