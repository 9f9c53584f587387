// Sends messages to the platform's queues in batches of 10 (the SQS maximum). A message that SQS
// refuses makes the whole call throw, so the caller's own retry sends it again: FIFO deduplication
// ids and consumers' idempotency keys make that resend harmless.
import { createHash } from 'node:crypto';
import { SendMessageBatchCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { OutgoingMessage, QueuePublisher } from '../../ports/queue-publisher.js';
import { QUEUES, type QueueId } from '../../wiring/resources.js';

/** FIFO deduplication ids allow 128 characters of a restricted alphabet: a digest always fits. */
export function deduplicationId(idempotencyKey: string): string {
  return createHash('sha256').update(idempotencyKey).digest('hex');
}

export class SqsQueuePublisher implements QueuePublisher {
  constructor(
    private readonly sqs: SQSClient,
    private readonly queueUrls: Partial<Record<QueueId, string>>,
  ) {}

  async send(queue: QueueId, messages: readonly OutgoingMessage[]): Promise<void> {
    const url = this.queueUrls[queue];
    if (!url) throw new Error(`No URL configured for queue "${queue}"`);
    const fifo = QUEUES[queue].fifo;
    for (let start = 0; start < messages.length; start += 10) {
      const batch = messages.slice(start, start + 10);
      const out = await this.sqs.send(
        new SendMessageBatchCommand({
          QueueUrl: url,
          Entries: batch.map((m, i) => ({
            Id: String(i),
            MessageBody: JSON.stringify(m.body),
            ...(fifo
              ? {
                  MessageGroupId: m.groupId ?? 'default',
                  MessageDeduplicationId: deduplicationId(m.idempotencyKey),
                }
              : {}),
            ...(!fifo && m.delaySeconds ? { DelaySeconds: m.delaySeconds } : {}),
            MessageAttributes: {
              idempotencyKey: { DataType: 'String', StringValue: m.idempotencyKey },
              ...(m.correlationId
                ? { correlationId: { DataType: 'String', StringValue: m.correlationId } }
                : {}),
            },
          })),
        }),
      );
      if (out.Failed && out.Failed.length > 0) {
        const reasons = out.Failed.map((f) => `${f.Code}: ${f.Message ?? ''}`).join('; ');
        throw new Error(
          `SQS refused ${out.Failed.length} of ${batch.length} messages to ${queue}: ${reasons}`,
        );
      }
    }
  }
}
