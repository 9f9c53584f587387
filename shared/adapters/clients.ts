// Composition helpers: build each client once, at module scope of a handler, from its parsed env.
import type { SQSClient } from '@aws-sdk/client-sqs';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Env } from '../config/env.js';
import { QUEUES, type QueueId } from '../wiring/resources.js';
import { createDocumentClient } from './dynamodb/client.js';
import { ReplayMarket } from './paper/replay-market.js';
import { createSqsClient } from './sqs/client.js';
import { SqsQueuePublisher } from './sqs/queue-publisher.js';

type BaseEnv = Pick<Env, 'AWS_REGION' | 'DYNAMODB_ENDPOINT' | 'SQS_ENDPOINT'>;

export function documentClientFor(env: BaseEnv): DynamoDBDocumentClient {
  return createDocumentClient({ region: env.AWS_REGION, endpoint: env.DYNAMODB_ENDPOINT });
}

export function sqsClientFor(env: BaseEnv): SQSClient {
  return createSqsClient({ region: env.AWS_REGION, endpoint: env.SQS_ENDPOINT });
}

/** The queue URLs present in `env`, by queue id. */
export function queueUrlsIn(env: Partial<Record<string, unknown>>): Partial<Record<QueueId, string>> {
  const urls: Partial<Record<QueueId, string>> = {};
  for (const q of Object.values(QUEUES)) {
    const url = env[q.envVar];
    if (typeof url === 'string') urls[q.id] = url;
  }
  return urls;
}

export function queuePublisherFor(env: BaseEnv & Partial<Record<string, unknown>>, sqs = sqsClientFor(env)) {
  return new SqsQueuePublisher(sqs, queueUrlsIn(env));
}

/** The replayed paper market, or null where this stage has no market data to replay. */
export function replayMarketFor(
  env: Pick<Env, 'PAPER_MARKET_DIR' | 'PAPER_REPLAY_SPEED'>,
): ReplayMarket | null {
  return env.PAPER_MARKET_DIR ? new ReplayMarket(env.PAPER_MARKET_DIR, env.PAPER_REPLAY_SPEED) : null;
}
