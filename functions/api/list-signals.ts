// GET /api/signals — the latest signals, newest first (the live feed).
import { documentClientFor } from '../../shared/adapters/clients.js';
import { DynamoSignalRepository } from '../../shared/adapters/dynamodb/signal-repository.js';
import { userAuthenticator } from '../../shared/http/authenticate.js';
import { httpHandler } from '../../shared/http/http-handler.js';
import { parseQuery } from '../../shared/http/request.js';
import { listSignalsQuery } from '../../shared/http/route-schemas.js';
import { createLogger } from '../../shared/observability/logger.js';
import { readFunctionEnv } from '../../shared/wiring/function-environment.js';
import { functionById } from '../../shared/wiring/manifest.js';

const fn = functionById('ListSignals');
const env = readFunctionEnv(fn, ['TABLE_NAME', 'JWT_PUBLIC_JWKS', 'JWT_ISSUER', 'JWT_AUDIENCE']);
const logger = createLogger(fn.id);
const signals = new DynamoSignalRepository(documentClientFor(env), env.TABLE_NAME);
const authenticate = userAuthenticator(env);

const querySchema = listSignalsQuery;

export const handler = httpHandler(logger, async (event) => {
  await authenticate(event);
  const { limit } = parseQuery(event, querySchema);
  const items = await signals.listRecent(limit);
  return {
    body: {
      items: items.map((s) => ({
        signalKey: s.signalKey,
        status: s.status,
        receivedAt: s.receivedAt,
        ...s.signal,
      })),
    },
  };
});
