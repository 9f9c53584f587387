// DynamoDB Local (in memory) and fauxqs on free ports: the engines integration tests run against.
// Started once for a whole vitest project by local-engines.global-setup.ts when the config names it,
// or once per test file by startLocalServices() when it does not.
import { startDynamoDbLocal } from '../../local/dynamodb-local.js';
import { findFreePort } from '../../local/ports.js';
import { createRunnerLog } from '../../local/runner-log.js';
import { startSqsEmulator } from '../../local/sqs-emulator.js';

export interface LocalEngineEndpoints {
  readonly dynamoEndpoint: string;
  readonly sqsEndpoint: string;
}

export interface LocalEngines extends LocalEngineEndpoints {
  /** DynamoDB Local's process id, so a test can check it is gone after stop(). */
  readonly dynamoPid: number;
  stop(): Promise<void>;
}

export async function startLocalEngines(): Promise<LocalEngines> {
  const log = createRunnerLog({ quiet: true });
  const [dynamoResult, sqsResult] = await Promise.allSettled([
    findFreePort().then((port) => startDynamoDbLocal({ port, dataDir: null, log })),
    startSqsEmulator({ port: 0 }),
  ]);
  if (dynamoResult.status === 'rejected' || sqsResult.status === 'rejected') {
    // One engine may have started while the other failed: do not leak it.
    if (dynamoResult.status === 'fulfilled') await dynamoResult.value.stop();
    if (sqsResult.status === 'fulfilled') await sqsResult.value.stop();
    throw dynamoResult.status === 'rejected'
      ? dynamoResult.reason
      : (sqsResult as PromiseRejectedResult).reason;
  }
  const dynamo = dynamoResult.value;
  const sqs = sqsResult.value;
  return {
    dynamoEndpoint: dynamo.endpoint,
    sqsEndpoint: sqs.endpoint,
    dynamoPid: dynamo.pid,
    stop: async () => {
      await Promise.allSettled([sqs.stop(), dynamo.stop()]);
    },
  };
}
