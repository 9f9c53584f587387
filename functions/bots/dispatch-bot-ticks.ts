// Scheduled (one EventBridge rule per bot): enqueues this minute's delayed ticks for the rule's bot.

import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import type { Context } from 'aws-lambda';
import { documentClientFor, queuePublisherFor } from '../../shared/adapters/clients.js';
import { DynamoHeartbeatRepository } from '../../shared/adapters/dynamodb/heartbeat-repository.js';
import { dispatchBotTicks } from '../../shared/app/bot-ticks.js';
import { createLogger } from '../../shared/observability/logger.js';
import { systemClock } from '../../shared/ports/clock.js';
import { readFunctionEnv } from '../../shared/wiring/function-environment.js';
import { functionById } from '../../shared/wiring/manifest.js';
import { scheduledInvocationSchema } from '../../shared/wiring/scheduled-event.js';

const fn = functionById('DispatchBotTicks');
const env = readFunctionEnv(fn, ['TABLE_NAME', 'BOT_TICK_QUEUE_URL']);
const logger = createLogger(fn.id);
const deps = {
  queue: queuePublisherFor(env),
  heartbeats: new DynamoHeartbeatRepository(documentClientFor(env), env.TABLE_NAME),
  clock: systemClock,
};

export const handler = middy<unknown, void, Error, Context>()
  .use(injectLambdaContext(logger, { resetKeys: true }))
  .handler(async (event) => {
    const invocation = scheduledInvocationSchema.parse(event);
    const botName = invocation.detail.bot;
    if (!botName) throw new Error(`rule ${invocation.rule} carries no bot in its detail`);
    const { ticks } = await dispatchBotTicks(deps, { rule: invocation.rule, time: invocation.time, botName });
    logger.info('bot ticks dispatched', { rule: invocation.rule, ticks });
  });
