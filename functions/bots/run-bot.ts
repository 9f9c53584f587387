// Bot tick queue consumer: runs one tick of the bot the tick names: its strategy over its universe on
// closed bars (the replay locally, Binance's public candles in the cloud), signals into ingest.
import { documentClientFor, queuePublisherFor } from '../../shared/adapters/clients.js';
import { DynamoBotStateRepository } from '../../shared/adapters/dynamodb/bot-state-repository.js';
import { DynamoHeartbeatRepository } from '../../shared/adapters/dynamodb/heartbeat-repository.js';
import { DynamoSignalRepository } from '../../shared/adapters/dynamodb/signal-repository.js';
import { marketDataFor } from '../../shared/adapters/market-data/market-data-for.js';
import { runBotTick } from '../../shared/app/bot-ticks.js';
import { DEFAULT_BOT_RUNTIME, DEFAULT_CLOUD_UNIVERSE } from '../../shared/app/bots/bot-config.js';
import { strategyFor } from '../../shared/app/bots/bot-registry.js';
import { botTickSchema } from '../../shared/app/messages.js';
import { queueHandler } from '../../shared/http/queue-handler.js';
import { createLogger } from '../../shared/observability/logger.js';
import { systemClock } from '../../shared/ports/clock.js';
import { readFunctionEnv } from '../../shared/wiring/function-environment.js';
import { functionById } from '../../shared/wiring/manifest.js';

const fn = functionById('RunBot');
const env = readFunctionEnv(fn, [
  'TABLE_NAME',
  'SIGNAL_QUEUE_URL',
  'PAPER_MARKET_DIR',
  'PAPER_REPLAY_SPEED',
  'EXCHANGE_BASE_URLS',
  'BOT_UNIVERSE',
]);
const cloudUniverse = env.BOT_UNIVERSE ?? DEFAULT_CLOUD_UNIVERSE;
const logger = createLogger(fn.id);
const db = documentClientFor(env);
const deps = {
  heartbeats: new DynamoHeartbeatRepository(db, env.TABLE_NAME),
  clock: systemClock,
  strategyFor,
  cloudUniverse,
  runner: {
    market: marketDataFor(env, db, cloudUniverse),
    state: new DynamoBotStateRepository(db, env.TABLE_NAME),
    ingest: {
      signals: new DynamoSignalRepository(db, env.TABLE_NAME),
      queue: queuePublisherFor(env),
      clock: systemClock,
    },
    clock: systemClock,
    config: DEFAULT_BOT_RUNTIME,
    log: logger,
  },
};

export const handler = queueHandler(logger, botTickSchema, async (tick) => {
  const result = await runBotTick(deps, tick);
  if (!result.ran) logger.warn('stale tick skipped', { bot: tick.bot, lagSeconds: result.lagSeconds });
  else if (result.run) {
    const log = result.signals > 0 || result.run.rateLimited ? logger.info : logger.debug;
    log.call(logger, 'bot tick', {
      bot: tick.bot,
      signals: result.signals,
      rateLimited: result.run.rateLimited,
      outcomes: result.run.outcomes,
    });
  }
});
