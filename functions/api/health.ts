// GET /api/health — table, queues and the heartbeat of every scheduled function. Unauthenticated,
// and it shows no user data: only reachability, queue depths and heartbeat ages.
import { DescribeTableCommand } from '@aws-sdk/client-dynamodb';
import { GetQueueAttributesCommand } from '@aws-sdk/client-sqs';
import { documentClientFor, queueUrlsIn, sqsClientFor } from '../../shared/adapters/clients.js';
import { DynamoHeartbeatRepository } from '../../shared/adapters/dynamodb/heartbeat-repository.js';
import { checkHealth } from '../../shared/app/health.js';
import { httpHandler } from '../../shared/http/http-handler.js';
import { createLogger } from '../../shared/observability/logger.js';
import { systemClock } from '../../shared/ports/clock.js';
import { readFunctionEnv } from '../../shared/wiring/function-environment.js';
import { functionById } from '../../shared/wiring/manifest.js';
import type { QueueId } from '../../shared/wiring/resources.js';

const fn = functionById('Health');
const env = readFunctionEnv(fn, [
  'TABLE_NAME',
  'SIGNAL_QUEUE_URL',
  'EXECUTION_QUEUE_URL',
  'NOTIFICATION_QUEUE_URL',
  'BOT_TICK_QUEUE_URL',
]);
const logger = createLogger(fn.id);
const db = documentClientFor(env);
const sqs = sqsClientFor(env);
const urls = queueUrlsIn(env);
const heartbeats = new DynamoHeartbeatRepository(db, env.TABLE_NAME);

const probes = {
  queues: fn.access.inspect,
  clock: systemClock,
  heartbeats: () => heartbeats.list(),
  tableStatus: async () => {
    const out = await db.send(new DescribeTableCommand({ TableName: env.TABLE_NAME }));
    return out.Table?.TableStatus ?? 'UNKNOWN';
  },
  queueDepth: async (queue: QueueId) => {
    const out = await sqs.send(
      new GetQueueAttributesCommand({
        QueueUrl: urls[queue],
        AttributeNames: [
          'ApproximateNumberOfMessages',
          'ApproximateNumberOfMessagesNotVisible',
          'ApproximateNumberOfMessagesDelayed',
        ],
      }),
    );
    const a = out.Attributes ?? {};
    return {
      visible: Number(a.ApproximateNumberOfMessages ?? 0),
      inFlight: Number(a.ApproximateNumberOfMessagesNotVisible ?? 0),
      delayed: Number(a.ApproximateNumberOfMessagesDelayed ?? 0),
    };
  },
};

export const handler = httpHandler(logger, async () => {
  const { httpStatus, body } = await checkHealth(probes);
  if (httpStatus !== 200) logger.warn('unhealthy', { body });
  return { status: httpStatus, body };
});
