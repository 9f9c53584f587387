// Signal queue consumer: one execution command per eligible user account.
import { documentClientFor, queuePublisherFor } from '../../shared/adapters/clients.js';
import { DynamoTradingAccountRepository } from '../../shared/adapters/dynamodb/account-repositories.js';
import { DynamoKillSwitchRepository } from '../../shared/adapters/dynamodb/admin-repositories.js';
import { DynamoSignalRepository } from '../../shared/adapters/dynamodb/signal-repository.js';
import { fanOutSignal } from '../../shared/app/fan-out-signal.js';
import { signalQueuedSchema } from '../../shared/app/messages.js';
import { queueHandler } from '../../shared/http/queue-handler.js';
import { createLogger } from '../../shared/observability/logger.js';
import { readFunctionEnv } from '../../shared/wiring/function-environment.js';
import { functionById } from '../../shared/wiring/manifest.js';

const fn = functionById('FanOutSignal');
const env = readFunctionEnv(fn, ['TABLE_NAME', 'EXECUTION_QUEUE_URL']);
const logger = createLogger(fn.id);
const db = documentClientFor(env);
const deps = {
  signals: new DynamoSignalRepository(db, env.TABLE_NAME),
  accounts: new DynamoTradingAccountRepository(db, env.TABLE_NAME),
  queue: queuePublisherFor(env),
  killSwitch: new DynamoKillSwitchRepository(db, env.TABLE_NAME),
};

export const handler = queueHandler(logger, signalQueuedSchema, async (message) => {
  const { commands, skipped } = await fanOutSignal(deps, message.signalKey);
  if (skipped) {
    logger.warn('signal not fanned out: the global kill switch is on', { correlationId: message.signalKey });
  } else {
    logger.info('signal fanned out', { correlationId: message.signalKey, commands });
  }
});
