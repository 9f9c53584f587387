// DELETE /api/exchange-accounts/{accountId} — removes one of the caller's exchange accounts and its
// sealed key. The user comes from the token only: another user's account id is "not found".
import { documentClientFor } from '../../../shared/adapters/clients.js';
import { DynamoExchangeAccountRepository } from '../../../shared/adapters/dynamodb/exchange-account-repository.js';
import { DynamoAuditLog } from '../../../shared/adapters/security/dynamo-audit-log.js';
import {
  ExchangeAccountNotFound,
  removeExchangeAccount,
} from '../../../shared/app/exchange-accounts/remove-exchange-account.js';
import { userAuthenticator } from '../../../shared/http/authenticate.js';
import { NotFound, ValidationError } from '../../../shared/http/errors.js';
import { httpHandler } from '../../../shared/http/http-handler.js';
import { clientIp } from '../../../shared/http/request.js';
import { exchangeAccountPath } from '../../../shared/http/route-schemas.js';
import { createLogger } from '../../../shared/observability/logger.js';
import { systemClock } from '../../../shared/ports/clock.js';
import { readFunctionEnv } from '../../../shared/wiring/function-environment.js';
import { functionById } from '../../../shared/wiring/manifest.js';

const fn = functionById('RemoveExchangeAccount');
const env = readFunctionEnv(fn, ['TABLE_NAME', 'JWT_PUBLIC_JWKS', 'JWT_ISSUER', 'JWT_AUDIENCE']);
const logger = createLogger(fn.id);
const db = documentClientFor(env);
const authenticate = userAuthenticator(env);
const deps = {
  accounts: new DynamoExchangeAccountRepository(db, env.TABLE_NAME),
  audit: new DynamoAuditLog(db, env.TABLE_NAME),
  clock: systemClock,
};

const pathSchema = exchangeAccountPath;

export const handler = httpHandler(logger, async (event) => {
  const userId = await authenticate(event);
  const path = pathSchema.safeParse(event.pathParameters ?? {});
  if (!path.success) throw new ValidationError('PATH.INVALID', 'The account id is not valid');
  const { accountId } = path.data;
  try {
    await removeExchangeAccount(deps, userId, accountId, { ip: clientIp(event) });
  } catch (error) {
    if (error instanceof ExchangeAccountNotFound) {
      throw new NotFound('EXCHANGE_ACCOUNT.NOT_FOUND', 'No such exchange account');
    }
    throw error;
  }
  logger.info('exchange account removed', { userId, accountId });
  return { body: { accountId, removed: true } };
});
