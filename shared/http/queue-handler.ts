// Processes an SQS batch record by record and reports partial failures, so one bad message never
// makes the good ones run again. On a FIFO queue, once a record of a message group fails, the later
// records of that group are failed too, untried, to keep each group's order.
import type { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import type { SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import type { z } from 'zod';

export function queueHandler<S extends z.ZodType>(
  logger: Logger,
  schema: S,
  processMessage: (message: z.infer<S>, record: SQSRecord) => Promise<void>,
) {
  return middy<SQSEvent, SQSBatchResponse>()
    .use(injectLambdaContext(logger, { resetKeys: true }))
    .handler(async (event) => {
      const failures: { itemIdentifier: string }[] = [];
      const failedGroups = new Set<string>();
      for (const record of event.Records) {
        const group = record.attributes.MessageGroupId;
        if (group !== undefined && failedGroups.has(group)) {
          failures.push({ itemIdentifier: record.messageId });
          continue;
        }
        const correlationId = record.messageAttributes.correlationId?.stringValue;
        logger.appendKeys({ messageId: record.messageId, ...(correlationId ? { correlationId } : {}) });
        try {
          let body: unknown;
          try {
            body = JSON.parse(record.body);
          } catch {
            throw new Error('message body is not JSON');
          }
          const parsed = schema.safeParse(body);
          // A malformed message fails every time: it reaches the dead-letter queue after maxReceiveCount.
          if (!parsed.success) throw new Error(`message does not match its schema: ${parsed.error.message}`);
          await processMessage(parsed.data, record);
        } catch (error) {
          logger.error('message failed', {
            error,
            receiveCount: record.attributes.ApproximateReceiveCount,
          });
          failures.push({ itemIdentifier: record.messageId });
          if (group !== undefined) failedGroups.add(group);
        } finally {
          logger.removeKeys(['messageId', 'correlationId']);
        }
      }
      return { batchItemFailures: failures };
    });
}
