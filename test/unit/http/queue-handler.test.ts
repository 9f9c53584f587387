import type { Context, SQSEvent, SQSRecord } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { queueHandler } from '../../../shared/http/queue-handler.js';
import { createLogger } from '../../../shared/observability/logger.js';

const context = {
  functionName: 'test',
  awsRequestId: 'req-1',
  getRemainingTimeInMillis: () => 10_000,
} as unknown as Context;

function record(id: string, body: unknown, group?: string): SQSRecord {
  return {
    messageId: id,
    receiptHandle: `rh-${id}`,
    body: typeof body === 'string' ? body : JSON.stringify(body),
    attributes: {
      ApproximateReceiveCount: '1',
      SentTimestamp: '0',
      SenderId: 'x',
      ApproximateFirstReceiveTimestamp: '0',
      ...(group ? { MessageGroupId: group, MessageDeduplicationId: id, SequenceNumber: '1' } : {}),
    },
    messageAttributes: {},
    md5OfBody: '',
    eventSource: 'aws:sqs',
    eventSourceARN: 'arn:aws:sqs:us-east-1:000000000000:q',
    awsRegion: 'us-east-1',
  };
}

const logger = createLogger('test');
logger.setLogLevel('SILENT');

describe('queue handler', () => {
  it('reports only the failed and malformed records of a batch', async () => {
    const seen: number[] = [];
    const handler = queueHandler(logger, z.object({ n: z.number() }), async ({ n }) => {
      seen.push(n);
      if (n === 2) throw new Error('boom');
    });
    const event: SQSEvent = {
      Records: [
        record('a', { n: 1 }),
        record('b', { n: 2 }),
        record('c', 'not json'),
        record('d', { x: 1 }),
        record('e', { n: 5 }),
      ],
    };
    const result = await handler(event, context);
    expect(result.batchItemFailures.map((f) => f.itemIdentifier)).toEqual(['b', 'c', 'd']);
    expect(seen).toEqual([1, 2, 5]);
  });

  it('on a FIFO batch, fails the rest of a group after its first failure without running them', async () => {
    const seen: string[] = [];
    const handler = queueHandler(logger, z.object({ id: z.string() }), async ({ id }) => {
      seen.push(id);
      if (id === 'g1-2') throw new Error('boom');
    });
    const event: SQSEvent = {
      Records: [
        record('1', { id: 'g1-1' }, 'g1'),
        record('2', { id: 'g2-1' }, 'g2'),
        record('3', { id: 'g1-2' }, 'g1'),
        record('4', { id: 'g1-3' }, 'g1'),
        record('5', { id: 'g2-2' }, 'g2'),
      ],
    };
    const result = await handler(event, context);
    expect(result.batchItemFailures.map((f) => f.itemIdentifier)).toEqual(['3', '4']);
    expect(seen).toEqual(['g1-1', 'g2-1', 'g1-2', 'g2-2']);
  });
});
