// POST /api/house-signals/ingest — the house engine's signals enter the pipeline here.
import { documentClientFor, queuePublisherFor } from '../../shared/adapters/clients.js';
import { DynamoSignalRepository } from '../../shared/adapters/dynamodb/signal-repository.js';
import { ingestSignal } from '../../shared/app/ingest-signal.js';
import { ConfigError } from '../../shared/config/env.js';
import { loadSecret } from '../../shared/config/secrets.js';
import { signalConsistencyErrors, signalSchema } from '../../shared/core/signals/signal.js';
import { bearerToken, secretsMatch } from '../../shared/http/auth.js';
import { Unauthorized, ValidationError } from '../../shared/http/errors.js';
import { httpHandler } from '../../shared/http/http-handler.js';
import { parseJsonBody } from '../../shared/http/request.js';
import { verifyHouseSignature } from '../../shared/http/request-signature.js';
import { createLogger } from '../../shared/observability/logger.js';
import { systemClock } from '../../shared/ports/clock.js';
import { readFunctionEnv } from '../../shared/wiring/function-environment.js';
import { functionById } from '../../shared/wiring/manifest.js';

const fn = functionById('IngestHouseSignal');
const env = readFunctionEnv(fn, ['TABLE_NAME', 'SIGNAL_QUEUE_URL']);
const logger = createLogger(fn.id);
const deps = {
  signals: new DynamoSignalRepository(documentClientFor(env), env.TABLE_NAME),
  queue: queuePublisherFor(env),
  clock: systemClock,
};

/** The configured token, refused at first use when it is too short to be a secret worth the name. */
async function houseToken(): Promise<string> {
  const token = await loadSecret('HOUSE_ENGINE_TOKEN');
  if (token.length < 32) throw new ConfigError('HOUSE_ENGINE_TOKEN must be at least 32 characters');
  return token;
}

/** The body-signing secret: as long as the token, and not the token (a leaked header must not sign). */
async function signingSecret(token: string): Promise<string> {
  const secret = await loadSecret('HOUSE_SIGNING_SECRET');
  if (secret.length < 32) throw new ConfigError('HOUSE_SIGNING_SECRET must be at least 32 characters');
  if (secretsMatch(secret, token)) {
    throw new ConfigError('HOUSE_SIGNING_SECRET must differ from HOUSE_ENGINE_TOKEN');
  }
  return secret;
}

export const handler = httpHandler(logger, async (event) => {
  const token = bearerToken(event.headers);
  const expectedToken = await houseToken();
  if (!token || !secretsMatch(token, expectedToken)) {
    throw new Unauthorized('AUTH.INVALID_HOUSE_TOKEN', 'A valid house engine token is required');
  }
  // The body's signature, over the raw bytes, before anything reads them (request-signature.ts).
  verifyHouseSignature(await signingSecret(expectedToken), event, deps.clock.now());
  const signal = parseJsonBody(event, signalSchema);
  // This route speaks for the house engine only; other sources have their own ingest paths.
  if (signal.source !== 'house') {
    throw new ValidationError(
      'SIGNAL.SOURCE_NOT_HOUSE',
      'This route accepts only signals with source "house"',
    );
  }
  const inconsistent = signalConsistencyErrors(signal, undefined);
  if (inconsistent.length > 0) {
    throw new ValidationError(
      'SIGNAL.INCONSISTENT',
      'Targets or stop are on the wrong side of the entry',
      inconsistent,
    );
  }
  const result = await ingestSignal(deps, signal);
  logger.info('signal ingested', { correlationId: result.signalKey, duplicate: result.duplicate });
  return { status: result.duplicate ? 200 : 202, body: result };
});
