// GET /api/exchange-accounts — the caller's exchange accounts with masked keys, and the platform's
// egress IPs to bind keys to. Reads no sealed key: the repository's listing never fetches one.
import { documentClientFor } from '../../../shared/adapters/clients.js';
import { DynamoExchangeAccountRepository } from '../../../shared/adapters/dynamodb/exchange-account-repository.js';
import { parseEgressIps } from '../../../shared/app/exchange-accounts/exchange-account-view.js';
import { listExchangeAccounts } from '../../../shared/app/exchange-accounts/list-exchange-accounts.js';
import { userAuthenticator } from '../../../shared/http/authenticate.js';
import { httpHandler } from '../../../shared/http/http-handler.js';
import { createLogger } from '../../../shared/observability/logger.js';
import { readFunctionEnv } from '../../../shared/wiring/function-environment.js';
import { functionById } from '../../../shared/wiring/manifest.js';

const fn = functionById('ListExchangeAccounts');
const env = readFunctionEnv(fn, [
  'TABLE_NAME',
  'JWT_PUBLIC_JWKS',
  'JWT_ISSUER',
  'JWT_AUDIENCE',
  'EGRESS_IPS',
]);
const logger = createLogger(fn.id);
const authenticate = userAuthenticator(env);
const deps = {
  accounts: new DynamoExchangeAccountRepository(documentClientFor(env), env.TABLE_NAME),
  egressIps: parseEgressIps(env.EGRESS_IPS),
};

export const handler = httpHandler(logger, async (event) => {
  const userId = await authenticate(event);
  return { body: await listExchangeAccounts(deps, userId) };
});
