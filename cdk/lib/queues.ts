// One SQS queue and its dead-letter queue per QUEUES entry; consumers report partial batch failures,
// so only the failing messages are retried and, after maxReceiveCount receives, parked in the DLQ.
import { Duration, aws_sqs as sqs } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import {
  QUEUE_IDS,
  QUEUES,
  type QueueDefinition,
  type QueueId,
  queueName,
} from '../../shared/wiring/resources.js';
import type { DeploymentSettings } from './settings.js';

/** A DLQ keeps its messages as long as SQS allows, so an operator has time to inspect and redrive them. */
const DEAD_LETTER_RETENTION = Duration.days(14);

export interface QueuePair {
  readonly definition: QueueDefinition;
  readonly queue: sqs.Queue;
  readonly deadLetterQueue: sqs.Queue;
}

export class Queues extends Construct {
  readonly byId: Readonly<Record<QueueId, QueuePair>>;

  constructor(scope: Construct, id: string, settings: DeploymentSettings) {
    super(scope, id);
    const entries = QUEUE_IDS.map(
      (queueId) => [queueId, this.createPair(QUEUES[queueId], settings)] as const,
    );
    this.byId = Object.fromEntries(entries) as Record<QueueId, QueuePair>;
  }

  get all(): readonly QueuePair[] {
    return Object.values(this.byId);
  }

  private createPair(definition: QueueDefinition, settings: DeploymentSettings): QueuePair {
    const common = {
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      removalPolicy: settings.removalPolicy,
      // Deduplication ids are our idempotency keys, never a hash of the body.
      ...(definition.fifo ? { fifo: true, contentBasedDeduplication: false } : {}),
    };
    const deadLetterQueue = new sqs.Queue(this, `${definition.id}-dlq`, {
      ...common,
      queueName: queueName(settings.namePrefix, definition, true),
      retentionPeriod: DEAD_LETTER_RETENTION,
    });
    const queue = new sqs.Queue(this, definition.id, {
      ...common,
      queueName: queueName(settings.namePrefix, definition),
      visibilityTimeout: Duration.seconds(definition.visibilityTimeoutSeconds),
      retentionPeriod: Duration.days(definition.retentionDays),
      deadLetterQueue: { queue: deadLetterQueue, maxReceiveCount: definition.maxReceiveCount },
    });
    return { definition, queue, deadLetterQueue };
  }
}
