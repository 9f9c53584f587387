// Creates the table and queues the way the CDK stacks do (cdk/lib/data.ts, cdk/lib/queues.ts), from
// the same definitions in shared/wiring/resources.ts. Idempotent: a second start with a persisted
// DynamoDB Local database finds the table and only adds what is missing.
import {
  CreateTableCommand,
  DescribeTableCommand,
  DescribeTimeToLiveCommand,
  type DynamoDBClient,
  ResourceNotFoundException,
  UpdateTableCommand,
  UpdateTimeToLiveCommand,
  waitUntilTableExists,
} from '@aws-sdk/client-dynamodb';
import { CreateQueueCommand, GetQueueAttributesCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { MAIN_TABLE, type QueueDefinition, type QueueId, queueName } from '../shared/wiring/resources.js';

/** As cdk/lib/queues.ts: a DLQ keeps messages as long as SQS allows, for inspection and redrive. */
const DEAD_LETTER_RETENTION_SECONDS = 14 * 24 * 3600;

export type QueueDefinitions = Readonly<Record<QueueId, QueueDefinition>>;

export interface ProvisionedQueue {
  readonly definition: QueueDefinition;
  readonly url: string;
  readonly arn: string;
  readonly deadLetterUrl: string;
  readonly deadLetterArn: string;
}

export type ProvisionedQueues = Readonly<Record<QueueId, ProvisionedQueue>>;

const stringKey = (name: string) => ({ AttributeName: name, AttributeType: 'S' as const });

function gsiCreation(index: (typeof MAIN_TABLE.globalIndexes)[number]) {
  return {
    IndexName: index.name,
    KeySchema: [
      { AttributeName: index.partitionKey, KeyType: 'HASH' as const },
      { AttributeName: index.sortKey, KeyType: 'RANGE' as const },
    ],
    Projection: { ProjectionType: 'ALL' as const },
  };
}

/** Creates the main table if missing (on-demand, GSIs, TTL); adds GSIs or TTL an older table lacks. */
export async function provisionTable(dynamo: DynamoDBClient, tableName: string): Promise<void> {
  let existingIndexes: Set<string> | undefined;
  try {
    const { Table } = await dynamo.send(new DescribeTableCommand({ TableName: tableName }));
    existingIndexes = new Set((Table?.GlobalSecondaryIndexes ?? []).map((i) => i.IndexName ?? ''));
  } catch (error) {
    if (!(error instanceof ResourceNotFoundException)) throw error;
  }

  if (existingIndexes === undefined) {
    const indexKeys = MAIN_TABLE.globalIndexes.flatMap((i) => [i.partitionKey, i.sortKey]);
    const attributeNames = [...new Set([MAIN_TABLE.partitionKey, MAIN_TABLE.sortKey, ...indexKeys])];
    await dynamo.send(
      new CreateTableCommand({
        TableName: tableName,
        BillingMode: 'PAY_PER_REQUEST',
        AttributeDefinitions: attributeNames.map(stringKey),
        KeySchema: [
          { AttributeName: MAIN_TABLE.partitionKey, KeyType: 'HASH' },
          { AttributeName: MAIN_TABLE.sortKey, KeyType: 'RANGE' },
        ],
        GlobalSecondaryIndexes: MAIN_TABLE.globalIndexes.map(gsiCreation),
      }),
    );
    await waitUntilTableExists({ client: dynamo, maxWaitTime: 30, minDelay: 1 }, { TableName: tableName });
  } else {
    for (const index of MAIN_TABLE.globalIndexes) {
      if (existingIndexes.has(index.name)) continue;
      await dynamo.send(
        new UpdateTableCommand({
          TableName: tableName,
          AttributeDefinitions: [stringKey(index.partitionKey), stringKey(index.sortKey)],
          GlobalSecondaryIndexUpdates: [{ Create: gsiCreation(index) }],
        }),
      );
    }
  }

  const ttl = await dynamo.send(new DescribeTimeToLiveCommand({ TableName: tableName }));
  const status = ttl.TimeToLiveDescription?.TimeToLiveStatus;
  if (status !== 'ENABLED' && status !== 'ENABLING') {
    await dynamo.send(
      new UpdateTimeToLiveCommand({
        TableName: tableName,
        TimeToLiveSpecification: { AttributeName: MAIN_TABLE.ttlAttribute, Enabled: true },
      }),
    );
  }
}

async function createQueue(sqs: SQSClient, name: string, attributes: Record<string, string>) {
  const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: name, Attributes: attributes }));
  if (!QueueUrl) throw new Error(`CreateQueue returned no URL for ${name}`);
  const { Attributes } = await sqs.send(
    new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['QueueArn'] }),
  );
  const arn = Attributes?.QueueArn;
  if (!arn) throw new Error(`No QueueArn for ${name}`);
  return { url: QueueUrl, arn };
}

/** Creates each queue with its DLQ and redrive policy, as CDK does; returns their URLs and ARNs. */
export async function provisionQueues(
  sqs: SQSClient,
  prefix: string,
  definitions: QueueDefinitions,
): Promise<ProvisionedQueues> {
  const entries = await Promise.all(
    Object.values(definitions).map(async (definition) => {
      // Deduplication ids are our idempotency keys, never a hash of the body (as in CDK).
      const fifo: Record<string, string> = definition.fifo
        ? { FifoQueue: 'true', ContentBasedDeduplication: 'false' }
        : {};
      const dlq = await createQueue(sqs, queueName(prefix, definition, true), {
        ...fifo,
        MessageRetentionPeriod: String(DEAD_LETTER_RETENTION_SECONDS),
      });
      const main = await createQueue(sqs, queueName(prefix, definition), {
        ...fifo,
        VisibilityTimeout: String(definition.visibilityTimeoutSeconds),
        MessageRetentionPeriod: String(definition.retentionDays * 24 * 3600),
        RedrivePolicy: JSON.stringify({
          deadLetterTargetArn: dlq.arn,
          maxReceiveCount: definition.maxReceiveCount,
        }),
      });
      const queue: ProvisionedQueue = {
        definition,
        url: main.url,
        arn: main.arn,
        deadLetterUrl: dlq.url,
        deadLetterArn: dlq.arn,
      };
      return [definition.id, queue] as const;
    }),
  );
  return Object.fromEntries(entries) as Record<QueueId, ProvisionedQueue>;
}
