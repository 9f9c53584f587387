// GET /api/settings — the caller's settings (defaults at version 0 until first saved).
import { documentClientFor } from '../../../shared/adapters/clients.js';
import { DynamoSettingsRepository } from '../../../shared/adapters/dynamodb/settings-repository.js';
import { getSettings } from '../../../shared/app/settings/user-settings.js';
import { userAuthenticator } from '../../../shared/http/authenticate.js';
import { httpHandler } from '../../../shared/http/http-handler.js';
import { createLogger } from '../../../shared/observability/logger.js';
import { readFunctionEnv } from '../../../shared/wiring/function-environment.js';
import { functionById } from '../../../shared/wiring/manifest.js';

const fn = functionById('GetSettings');
const env = readFunctionEnv(fn, ['TABLE_NAME', 'JWT_PUBLIC_JWKS', 'JWT_ISSUER', 'JWT_AUDIENCE']);
const logger = createLogger(fn.id);
const settings = new DynamoSettingsRepository(documentClientFor(env), env.TABLE_NAME);
const authenticate = userAuthenticator(env);

export const handler = httpHandler(logger, async (event) => {
  const userId = await authenticate(event);
  return { body: await getSettings(settings, userId) };
});
