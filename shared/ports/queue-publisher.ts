// Sends messages to the platform's queues; the SQS adapter implements it.
import type { QueueId } from '../wiring/resources.js';

export interface OutgoingMessage {
  readonly body: unknown;
  /** Idempotency key: FIFO deduplication id, and carried in the body for consumers. */
  readonly idempotencyKey: string;
  /** FIFO queues only: messages of one group are delivered in order. */
  readonly groupId?: string;
  readonly delaySeconds?: number;
  /** Follows a signal from ingest to every order it causes (logs). */
  readonly correlationId?: string;
}

export interface QueuePublisher {
  /** Sends all messages; throws if any could not be sent (none are lost silently). */
  send(queue: QueueId, messages: readonly OutgoingMessage[]): Promise<void>;
}
