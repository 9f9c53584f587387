// POST /api/exchange-keys/check — checks an exchange API key before the trader adds the account:
// the key works, may trade, has no withdrawal or transfer rights, and is bound to the platform's
// egress IPs where the exchange tells. The key and secret are used for this one call: never stored,
// logged or echoed back.
import { createExchangeGateway } from '../../shared/adapters/exchanges/gateway-factory.js';
import { checkExchangeKey } from '../../shared/app/check-exchange-key.js';
import { userAuthenticator } from '../../shared/http/authenticate.js';
import { exchangeErrorAsHttp } from '../../shared/http/exchange-errors.js';
import { httpHandler } from '../../shared/http/http-handler.js';
import { parseJsonBody } from '../../shared/http/request.js';
import { checkExchangeKeyBody } from '../../shared/http/route-schemas.js';
import { createLogger } from '../../shared/observability/logger.js';
import { ExchangeError } from '../../shared/ports/exchange-gateway.js';
import { readFunctionEnv } from '../../shared/wiring/function-environment.js';
import { functionById } from '../../shared/wiring/manifest.js';

const fn = functionById('CheckExchangeKey');
const env = readFunctionEnv(fn, ['JWT_PUBLIC_JWKS', 'JWT_ISSUER', 'JWT_AUDIENCE', 'EXCHANGE_BASE_URLS']);
const logger = createLogger(fn.id);
const authenticate = userAuthenticator(env);

const bodySchema = checkExchangeKeyBody;

export const handler = httpHandler(logger, async (event) => {
  const userId = await authenticate(event);
  const body = parseJsonBody(event, bodySchema);
  const baseUrl = env.EXCHANGE_BASE_URLS?.[body.exchange];
  const gateway = createExchangeGateway({
    exchange: body.exchange,
    mode: body.mode,
    credentials: { apiKey: body.apiKey, secret: body.secret },
    ...(baseUrl === undefined ? {} : { baseUrl }),
  });
  try {
    const result = await checkExchangeKey(gateway, { exchange: body.exchange, mode: body.mode });
    logger.info('exchange key checked', {
      userId,
      exchange: body.exchange,
      mode: body.mode,
      accepted: result.accepted,
    });
    return { body: result };
  } catch (error) {
    if (error instanceof ExchangeError) {
      logger.warn('exchange key check failed', { userId, exchange: body.exchange, kind: error.kind });
      throw exchangeErrorAsHttp(error);
    }
    throw error;
  }
});
