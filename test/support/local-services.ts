// Real engines for an integration test file: a table and queues shaped exactly as in the cloud
// (local/provision.ts), a document client and an SQS client on them, and the environment a handler
// would see. Call it in beforeAll (allow ~10 s: DynamoDB Local's JVM takes 2-4 s to start) and
// stop() in afterAll. With local-engines.global-setup.ts enabled, the engines are shared and each
// file gets its own uniquely named table and queues, deleted again by stop().
import { randomBytes } from 'node:crypto';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DeleteTableCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DeleteQueueCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { inject } from 'vitest';
import { applyEnvironment, buildLocalEnvironment, LOCAL_REGION } from '../../local/local-environment.js';
import {
  type ProvisionedQueues,
  provisionQueues,
  provisionTable,
  type QueueDefinitions,
} from '../../local/provision.js';
import { REPOSITORY_ROOT } from '../../local/repository-root.js';
import { generateLocalSecrets, type LocalSecrets } from '../../local/secrets.js';
import { createDocumentClient, createDynamoClient } from '../../shared/adapters/dynamodb/client.js';
import { createSqsClient } from '../../shared/adapters/sqs/client.js';
import { QUEUES, type QueueId } from '../../shared/wiring/resources.js';
import { type LocalEngineEndpoints, startLocalEngines } from './local-engines.js';

export interface LocalServices {
  /** The variables a handler reads (endpoints, table, queue URLs, generated secrets, market dir). */
  readonly env: Readonly<Record<string, string>>;
  readonly tableName: string;
  readonly db: DynamoDBDocumentClient;
  readonly dynamo: DynamoDBClient;
  readonly sqs: SQSClient;
  readonly queueUrls: Readonly<Record<QueueId, string>>;
  /** URLs and ARNs of each queue and its dead-letter queue. */
  readonly queues: ProvisionedQueues;
  readonly secrets: LocalSecrets;
  /** Whether this file started its own engines (no globalSetup) or shares the project's. */
  readonly sharedEngines: boolean;
  stop(): Promise<void>;
}

export interface LocalServicesOptions {
  /** Queue shapes; default QUEUES (tests of retries may shorten visibility timeouts). */
  readonly queues?: QueueDefinitions;
  /** Also set the variables on process.env (restored by stop()); default true, so handler modules
   * imported after this call parse them at load, as on a cold start. */
  readonly setProcessEnv?: boolean;
}

function sharedEndpoints(): LocalEngineEndpoints | undefined {
  try {
    return inject('verzekLocalEngines');
  } catch {
    return undefined; // not inside a vitest worker
  }
}

export async function startLocalServices(options: LocalServicesOptions = {}): Promise<LocalServices> {
  const shared = sharedEndpoints();
  const ownEngines = shared ? undefined : await startLocalEngines();
  const endpoints = shared ?? (ownEngines as LocalEngineEndpoints);
  // Unique names keep files apart when they share engines.
  const suffix = shared ? `-${randomBytes(4).toString('hex')}` : '';
  const tableName = `verzek-test${suffix}-main`;
  const queuePrefix = `verzek-test${suffix}`;

  const dynamo = createDynamoClient({ region: LOCAL_REGION, endpoint: endpoints.dynamoEndpoint });
  const db = createDocumentClient({ region: LOCAL_REGION, endpoint: endpoints.dynamoEndpoint });
  const sqs = createSqsClient({ region: LOCAL_REGION, endpoint: endpoints.sqsEndpoint });
  let restoreEnv: (() => void) | undefined;
  let queues: ProvisionedQueues | undefined;

  const stop = async () => {
    restoreEnv?.();
    if (shared) {
      await dynamo.send(new DeleteTableCommand({ TableName: tableName })).catch(() => undefined);
      for (const q of Object.values(queues ?? {})) {
        await sqs.send(new DeleteQueueCommand({ QueueUrl: q.url })).catch(() => undefined);
        await sqs.send(new DeleteQueueCommand({ QueueUrl: q.deadLetterUrl })).catch(() => undefined);
      }
    }
    db.destroy();
    dynamo.destroy();
    sqs.destroy();
    await ownEngines?.stop();
  };

  try {
    const secrets = await generateLocalSecrets();
    [queues] = await Promise.all([
      provisionQueues(sqs, queuePrefix, options.queues ?? QUEUES),
      provisionTable(dynamo, tableName),
    ]);
    const env = buildLocalEnvironment({
      dynamoEndpoint: endpoints.dynamoEndpoint,
      sqsEndpoint: endpoints.sqsEndpoint,
      tableName,
      queues,
      secrets,
      paperMarketDir: join(REPOSITORY_ROOT, 'test/fixtures/market'),
      outboxDir: await mkdtemp(join(tmpdir(), 'verzek-test-outbox-')),
    });
    if (options.setProcessEnv ?? true) restoreEnv = applyEnvironment(env);
    const provisioned = queues;
    const queueUrls = Object.fromEntries(
      (Object.keys(provisioned) as QueueId[]).map((id) => [id, provisioned[id].url]),
    ) as Record<QueueId, string>;
    return {
      env,
      tableName,
      db,
      dynamo,
      sqs,
      queueUrls,
      queues,
      secrets,
      sharedEngines: Boolean(shared),
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}
