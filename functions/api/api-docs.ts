// GET /api/docs — local run only: the OpenAPI document, built from the manifest and route schemas.
import { NotFound } from '../../shared/http/errors.js';
import { httpHandler } from '../../shared/http/http-handler.js';
import { buildOpenApiDocument } from '../../shared/http/openapi.js';
import { createLogger } from '../../shared/observability/logger.js';
import { readFunctionEnv } from '../../shared/wiring/function-environment.js';
import { functionById } from '../../shared/wiring/manifest.js';

const fn = functionById('ApiDocs');
const env = readFunctionEnv(fn, []);
const logger = createLogger(fn.id);
const document = buildOpenApiDocument();

export const handler = httpHandler(logger, async () => {
  if (env.STAGE !== 'local') throw new NotFound('ROUTE.NOT_FOUND', 'No such route');
  return { body: document };
});
