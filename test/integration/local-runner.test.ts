// The local runner itself, driven by fixture handlers (test/fixtures/local-runner): it must hand
// handlers the events API Gateway, SQS and EventBridge would, and apply their answers the same way.
import {
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  SendMessageBatchCommand,
} from '@aws-sdk/client-sqs';
import type { APIGatewayProxyEventV2, SQSEvent } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRunnerLog, type RunnerLogLine } from '../../local/runner-log.js';
import { type LocalStack, startLocalStack } from '../../local/stack.js';
import { createSqsClient } from '../../shared/adapters/sqs/client.js';
import { scheduledInvocationSchema } from '../../shared/wiring/scheduled-event.js';
import { FIXTURE_FUNCTIONS, FIXTURE_QUEUES } from '../fixtures/local-runner/manifest.js';
import { recorded } from '../fixtures/local-runner/recorder.js';
import { eventually } from '../support/eventually.js';
import { rawRequest } from '../support/raw-http.js';

let stack: LocalStack;
const logLines: RunnerLogLine[] = [];
const startedAt = Date.now();

beforeAll(async () => {
  stack = await startLocalStack({
    port: 0,
    dataDir: null,
    seed: false,
    scheduler: true,
    schedulerFirstFireDelayMs: 200,
    functions: FIXTURE_FUNCTIONS,
    queues: FIXTURE_QUEUES,
    tableName: 'verzek-runner-test-main',
    queuePrefix: 'verzek-runner-test',
    log: createRunnerLog({ silent: true, sink: (line) => logLines.push(line) }),
  });
}, 60_000);

afterAll(async () => {
  await stack?.stop();
});

function sqsClient() {
  return createSqsClient({ region: 'us-east-1', endpoint: stack.env.SQS_ENDPOINT });
}

describe('HTTP front door', () => {
  it('delivers a payload 2.0 event: route key, lower-cased and comma-joined headers, cookies, query', async () => {
    const res = await rawRequest(stack.url, {
      path: '/echo?symbol=BTC%2FUSDT&tag=a&tag=b&empty',
      method: 'POST',
      headers: [
        'Content-Type',
        'application/json',
        'X-Repeated',
        'one',
        'X-Repeated',
        'two',
        'Cookie',
        'session=abc; theme=dark',
      ],
      body: Buffer.from('{"hello":"world"}'),
    });
    expect(res.status).toBe(200);
    expect(res.headers['x-fixture']).toBe('echo');
    expect(res.headers['set-cookie']).toEqual(['a=1; Path=/', 'b=2; Path=/']);
    expect(res.headers['apigw-requestid']).toBeTruthy();
    const { event, context, tableName } = JSON.parse(res.body.toString()) as {
      event: APIGatewayProxyEventV2;
      context: { functionName: string; memoryLimitInMB: string; remainingMs: number };
      tableName: string;
    };
    expect(event.version).toBe('2.0');
    expect(event.routeKey).toBe('POST /echo');
    expect(event.rawPath).toBe('/echo');
    expect(event.rawQueryString).toBe('symbol=BTC%2FUSDT&tag=a&tag=b&empty');
    expect(event.queryStringParameters).toEqual({ symbol: 'BTC/USDT', tag: 'a,b', empty: '' });
    expect(event.headers['content-type']).toBe('application/json');
    expect(event.headers['x-repeated']).toBe('one,two');
    expect(event.headers.cookie).toBeUndefined();
    expect(event.cookies).toEqual(['session=abc', 'theme=dark']);
    expect(event.body).toBe('{"hello":"world"}');
    expect(event.isBase64Encoded).toBe(false);
    expect(event.requestContext).toMatchObject({
      http: { method: 'POST', path: '/echo', sourceIp: '127.0.0.1' },
      routeKey: 'POST /echo',
      stage: '$default',
    });
    expect(event.requestContext.timeEpoch).toBeGreaterThanOrEqual(startedAt);
    expect(context.functionName).toBe('verzek-local-Echo');
    expect(context.memoryLimitInMB).toBe('128');
    expect(context.remainingMs).toBeGreaterThan(0);
    expect(context.remainingMs).toBeLessThanOrEqual(5_000);
    expect(tableName).toBe('verzek-runner-test-main');
  });

  it('base64-encodes a binary request body', async () => {
    const bytes = Buffer.from([0, 1, 2, 253, 254, 255]);
    const res = await fetch(`${stack.url}/echo`, {
      method: 'POST',
      headers: { 'content-type': 'application/octet-stream' },
      body: bytes,
    });
    const { event } = (await res.json()) as { event: APIGatewayProxyEventV2 };
    expect(event.isBase64Encoded).toBe(true);
    expect(Buffer.from(event.body ?? '', 'base64')).toEqual(bytes);
  });

  it('decodes a base64 response body into raw bytes', async () => {
    const res = await fetch(`${stack.url}/binary`);
    expect(res.headers.get('content-type')).toBe('application/octet-stream');
    expect(Buffer.from(await res.arrayBuffer())).toEqual(Buffer.from([0, 1, 254, 255]));
  });

  it('passes the path parameters of a parameterised route', async () => {
    const res = await fetch(`${stack.url}/items/pos%20123`);
    const { event } = (await res.json()) as { event: APIGatewayProxyEventV2 };
    expect(event.routeKey).toBe('GET /items/{itemId}');
    expect(event.pathParameters).toEqual({ itemId: 'pos 123' });
    expect(event.body).toBeUndefined();
  });

  it('answers a plain object result with 200 and the object as JSON', async () => {
    const res = await fetch(`${stack.url}/plain`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/json');
    expect(await res.json()).toEqual({ hello: 'world' });
  });

  it('answers an unknown path with 404 ROUTE.NOT_FOUND and a wrong method with 405', async () => {
    const missing = await fetch(`${stack.url}/nowhere`);
    expect(missing.status).toBe(404);
    expect(await missing.json()).toMatchObject({ code: 'ROUTE.NOT_FOUND' });

    const wrongMethod = await fetch(`${stack.url}/echo`, { method: 'GET' });
    expect(wrongMethod.status).toBe(405);
    expect(wrongMethod.headers.get('allow')).toBe('POST');
    expect(await wrongMethod.json()).toMatchObject({ code: 'ROUTE.METHOD_NOT_ALLOWED' });
  });

  it('answers 500 INTERNAL when the handler throws, and logs the error', async () => {
    const res = await fetch(`${stack.url}/throws`);
    expect(res.status).toBe(500);
    expect(await res.json()).toEqual({ code: 'INTERNAL', message: 'Internal server error' });
    const logged = logLines.find((l) => l.level === 'error' && l.message.startsWith('Throws failed'));
    expect((logged?.error as Error | undefined)?.message).toBe('fixture handler failure');
  });

  it('answers 500 when the handler outlives its timeout, and logs the timeout', async () => {
    const before = Date.now();
    const res = await fetch(`${stack.url}/slow`);
    expect(res.status).toBe(500);
    expect(Date.now() - before).toBeLessThan(1_450);
    expect(logLines.some((l) => l.level === 'error' && l.message.startsWith('Slow timed out'))).toBe(true);
  });

  it('answers 413 to a body over 10 MB without calling the handler', async () => {
    const res = await fetch(`${stack.url}/echo`, {
      method: 'POST',
      headers: { 'content-type': 'application/octet-stream' },
      body: Buffer.alloc(10 * 1024 * 1024 + 1),
    });
    expect(res.status).toBe(413);
    expect(await res.json()).toMatchObject({ code: 'REQUEST.TOO_LARGE' });
  });

  it('logs one line per request with method, path, status and duration', () => {
    expect(logLines.some((l) => l.level === 'info' && /^GET \/nowhere 404 \d+ms$/.test(l.message))).toBe(
      true,
    );
  });
});

describe('queue pollers', () => {
  it('deletes the messages that succeeded and redelivers only the failed one', async () => {
    const sqs = sqsClient();
    await sqs.send(
      new SendMessageBatchCommand({
        QueueUrl: stack.queues.signals.url,
        Entries: [
          { Id: '1', MessageBody: JSON.stringify({ id: 'partial-ok-1' }) },
          { Id: '2', MessageBody: JSON.stringify({ id: 'partial-retry', fail: 'once' }) },
          { Id: '3', MessageBody: JSON.stringify({ id: 'partial-ok-2' }) },
        ],
      }),
    );
    const done = () => recorded('standard-done').map((b) => (b as { id: string }).id);
    await eventually('all three processed', () =>
      done().filter((id) => id.startsWith('partial')).length === 3 ? true : undefined,
    );

    const deliveries = recorded('standard-delivery').map((b) => (b as { id: string }).id);
    expect(deliveries.filter((id) => id === 'partial-ok-1')).toHaveLength(1);
    expect(deliveries.filter((id) => id === 'partial-ok-2')).toHaveLength(1);
    expect(deliveries.filter((id) => id === 'partial-retry')).toHaveLength(2);

    const retried = (recorded('standard-batch') as SQSEvent[])
      .flatMap((e) => e.Records)
      .filter((r) => r.body.includes('partial-retry'));
    expect(retried.map((r) => r.attributes.ApproximateReceiveCount)).toEqual(['1', '2']);
    expect(retried[0]).toMatchObject({
      eventSource: 'aws:sqs',
      eventSourceARN: stack.queues.signals.arn,
      awsRegion: 'us-east-1',
    });
    expect(retried[0]?.md5OfBody).toMatch(/^[0-9a-f]{32}$/);

    const { Attributes } = await sqs.send(
      new GetQueueAttributesCommand({ QueueUrl: stack.queues.signals.url, AttributeNames: ['All'] }),
    );
    expect(Attributes?.ApproximateNumberOfMessages).toBe('0');
    expect(Attributes?.ApproximateNumberOfMessagesNotVisible).toBe('0');
    sqs.destroy();
  });

  it('moves a message that keeps failing to the dead-letter queue after maxReceiveCount receives', async () => {
    const sqs = sqsClient();
    await sqs.send(
      new SendMessageBatchCommand({
        QueueUrl: stack.queues.signals.url,
        Entries: [{ Id: '1', MessageBody: JSON.stringify({ id: 'poison', fail: 'always' }) }],
      }),
    );
    const parked = await eventually('the poison message in the DLQ', async () => {
      const { Messages } = await sqs.send(
        new ReceiveMessageCommand({ QueueUrl: stack.queues.signals.deadLetterUrl, WaitTimeSeconds: 1 }),
      );
      return Messages?.[0];
    });
    expect(JSON.parse(parked.Body ?? '{}')).toEqual({ id: 'poison', fail: 'always' });
    const deliveries = recorded('standard-delivery').filter((b) => (b as { id: string }).id === 'poison');
    expect(deliveries).toHaveLength(FIXTURE_QUEUES.signals.maxReceiveCount);
    sqs.destroy();
  });

  it('keeps the order within each FIFO message group, across a failed delivery', async () => {
    const sqs = sqsClient();
    const message = (group: string, seq: number, failOnce = false) => ({
      Id: `${group}${seq}`,
      MessageBody: JSON.stringify({ group, seq, failOnce }),
      MessageGroupId: group,
      MessageDeduplicationId: `${group}-${seq}`,
    });
    await sqs.send(
      new SendMessageBatchCommand({
        QueueUrl: stack.queues.execution.url,
        Entries: [
          message('A', 1),
          message('B', 1),
          message('A', 2, true),
          message('B', 2),
          message('A', 3),
          message('B', 3),
          message('A', 4),
        ],
      }),
    );
    await eventually('every FIFO message processed', () =>
      recorded('fifo-done').length === 7 ? true : undefined,
    );

    const done = recorded('fifo-done') as string[];
    expect(done.filter((k) => k.startsWith('A'))).toEqual(['A:1', 'A:2', 'A:3', 'A:4']);
    expect(done.filter((k) => k.startsWith('B'))).toEqual(['B:1', 'B:2', 'B:3']);
    const deliveries = (recorded('fifo-delivery') as string[]).filter((k) => k.startsWith('A'));
    expect(deliveries).toEqual(['A:1', 'A:2', 'A:2', 'A:3', 'A:4']);

    const record = (recorded('fifo-batch') as SQSEvent[])[0]?.Records[0];
    expect(record?.attributes.MessageGroupId).toMatch(/^[AB]$/);
    expect(record?.attributes.MessageDeduplicationId).toMatch(/^[AB]-\d$/);
    expect(record?.attributes.SequenceNumber).toBeTruthy();
    sqs.destroy();
  });
});

describe('scheduler', () => {
  it('invokes scheduled functions with { rule, time, detail } shortly after start', async () => {
    const first = await eventually('the first scheduled invocation', () => recorded('scheduled')[0]);
    const event = scheduledInvocationSchema.parse(first);
    expect(event).toEqual({ rule: 'fixture-every-minute', time: event.time, detail: { bot: 'fixture' } });
    expect(event.time).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    expect(Math.abs(Date.parse(event.time) - Date.now())).toBeLessThan(60_000);
  });
});

describe('stop', () => {
  it('ends DynamoDB Local, closes the HTTP port and restores the environment', async () => {
    const pid = stack.dynamoDbLocal.pid;
    expect(() => process.kill(pid, 0)).not.toThrow();
    await stack.stop();
    expect(() => process.kill(pid, 0)).toThrow(expect.objectContaining({ code: 'ESRCH' }));
    await expect(fetch(`${stack.url}/plain`)).rejects.toThrow();
    expect(process.env.TABLE_NAME).toBeUndefined();
    await stack.stop(); // a second stop is harmless
  });
});
