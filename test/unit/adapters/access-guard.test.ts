// The local run refuses what IAM would refuse in the cloud; these calls are stopped before any
// request leaves the process (the endpoints point at a closed port).
import { GetItemCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { GetQueueAttributesCommand, SendMessageCommand } from '@aws-sdk/client-sqs';
import { describe, expect, it } from 'vitest';
import {
  AccessDenied,
  type AccessPolicy,
  runWithAccessPolicy,
} from '../../../shared/adapters/access-guard.js';
import { createDynamoClient } from '../../../shared/adapters/dynamodb/client.js';
import { createSqsClient } from '../../../shared/adapters/sqs/client.js';

const closedPort = 'http://127.0.0.1:9';
const dynamo = createDynamoClient({ region: 'us-east-1', endpoint: closedPort });
const sqs = createSqsClient({ region: 'us-east-1', endpoint: closedPort });
const granted = `${closedPort}/000000000000/signals`;
const other = `${closedPort}/000000000000/execution.fifo`;

const policy = (overrides: Partial<AccessPolicy>): AccessPolicy => ({
  functionId: 'Fn',
  table: 'read',
  sendTo: new Set([granted]),
  inspect: new Set(),
  ...overrides,
});
const key = { pk: { S: 'a' }, sk: { S: 'b' } };

describe('access guard', () => {
  it('refuses a table write to a function granted read only', async () => {
    const put = runWithAccessPolicy(policy({}), () =>
      dynamo.send(new PutItemCommand({ TableName: 't', Item: key })),
    );
    await expect(put).rejects.toBeInstanceOf(AccessDenied);
    await expect(put).rejects.toThrow(/Fn may not call DynamoDB PutItemCommand/);
  });

  it('refuses even a read to a function granted no table access', async () => {
    const get = runWithAccessPolicy(policy({ table: 'none' }), () =>
      dynamo.send(new GetItemCommand({ TableName: 't', Key: key })),
    );
    await expect(get).rejects.toBeInstanceOf(AccessDenied);
  });

  it('lets a granted read through to the network (here: a refused connection, not AccessDenied)', async () => {
    const get = runWithAccessPolicy(policy({}), () =>
      dynamo.send(new GetItemCommand({ TableName: 't', Key: key })),
    );
    await expect(get).rejects.not.toBeInstanceOf(AccessDenied);
  });

  it('refuses a send to a queue outside the grant, and reading queue attributes without inspect', async () => {
    const send = runWithAccessPolicy(policy({}), () =>
      sqs.send(new SendMessageCommand({ QueueUrl: other, MessageBody: 'x' })),
    );
    await expect(send).rejects.toBeInstanceOf(AccessDenied);
    const attrs = runWithAccessPolicy(policy({}), () =>
      sqs.send(new GetQueueAttributesCommand({ QueueUrl: granted })),
    );
    await expect(attrs).rejects.toBeInstanceOf(AccessDenied);
  });
});
