// Bot tick queue consumer: runs one tick of the bot the tick names.
import { documentClientFor } from '../../shared/adapters/clients.js';
import { DynamoHeartbeatRepository } from '../../shared/adapters/dynamodb/heartbeat-repository.js';
import { runBotTick } from '../../shared/app/bot-ticks.js';
import { botTickSchema } from '../../shared/app/messages.js';
import { queueHandler } from '../../shared/http/queue-handler.js';
import { createLogger } from '../../shared/observability/logger.js';
import { systemClock } from '../../shared/ports/clock.js';
import { readFunctionEnv } from '../../shared/wiring/function-environment.js';
import { functionById } from '../../shared/wiring/manifest.js';

const fn = functionById('RunBot');
const env = readFunctionEnv(fn, ['TABLE_NAME']);
const logger = createLogger(fn.id);
const deps = {
  heartbeats: new DynamoHeartbeatRepository(documentClientFor(env), env.TABLE_NAME),
  clock: systemClock,
};

export const handler = queueHandler(logger, botTickSchema, async (tick) => {
  const result = await runBotTick(deps, tick);
  if (!result.ran) logger.warn('stale tick skipped', { bot: tick.bot, lagSeconds: result.lagSeconds });
});
