// GET /api/positions — the caller's own positions, paginated (in position-id order; a time index comes
// with the monitor, which needs open positions by time anyway).
import { documentClientFor } from '../../shared/adapters/clients.js';
import {
  DynamoPositionRepository,
  InvalidCursor,
} from '../../shared/adapters/dynamodb/position-repository.js';
import { positionView } from '../../shared/app/position-view.js';
import { userAuthenticator } from '../../shared/http/authenticate.js';
import { ValidationError } from '../../shared/http/errors.js';
import { httpHandler } from '../../shared/http/http-handler.js';
import { parseQuery } from '../../shared/http/request.js';
import { listPositionsQuery } from '../../shared/http/route-schemas.js';
import { createLogger } from '../../shared/observability/logger.js';
import { readFunctionEnv } from '../../shared/wiring/function-environment.js';
import { functionById } from '../../shared/wiring/manifest.js';

const fn = functionById('ListPositions');
const env = readFunctionEnv(fn, ['TABLE_NAME', 'JWT_PUBLIC_JWKS', 'JWT_ISSUER', 'JWT_AUDIENCE']);
const logger = createLogger(fn.id);
const positions = new DynamoPositionRepository(documentClientFor(env), env.TABLE_NAME);
const authenticate = userAuthenticator(env);

const querySchema = listPositionsQuery;

export const handler = httpHandler(logger, async (event) => {
  const userId = await authenticate(event);
  const query = parseQuery(event, querySchema);
  const page = await positions
    .listForUser(userId, { limit: query.limit, ...(query.cursor ? { cursor: query.cursor } : {}) })
    .catch((error: unknown) => {
      if (error instanceof InvalidCursor) throw new ValidationError('QUERY.INVALID_CURSOR', error.message);
      throw error;
    });
  return { body: { items: page.items.map(positionView), ...(page.cursor ? { cursor: page.cursor } : {}) } };
});
