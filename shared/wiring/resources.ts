// The stateful resources of the platform, declared once. The CDK stacks and the local runner both
// build their tables and queues from these definitions, so local and cloud cannot drift.

export const MAIN_TABLE = {
  id: 'Main',
  envVar: 'TABLE_NAME',
  partitionKey: 'pk',
  sortKey: 'sk',
  /** Epoch seconds; DynamoDB's TTL deletes expired items (rate-limit windows, sessions, idempotency records). */
  ttlAttribute: 'expiresAt',
  globalIndexes: [
    // Cross-tenant reads only: signals by time, trading accounts for fan-out, open positions by symbol.
    { name: 'gsi1', partitionKey: 'gsi1pk', sortKey: 'gsi1sk' },
  ],
} as const;

export type QueueId = 'signals' | 'execution' | 'notifications' | 'botTicks';

export interface QueueDefinition {
  readonly id: QueueId;
  /** Environment variable that carries the queue URL to the functions that use it. */
  readonly envVar: string;
  readonly fifo: boolean;
  /** Six times the consumer's timeout, as AWS recommends for Lambda event sources; checked by a test. */
  readonly visibilityTimeoutSeconds: number;
  /** Receives before a message moves to the dead-letter queue. */
  readonly maxReceiveCount: number;
  /** Messages in the dead-letter queue at or above this raise the alarm. */
  readonly dlqAlarmThreshold: number;
  /** Visible messages in the main queue at or above this raise the backlog alarm. */
  readonly backlogAlarmThreshold: number;
  /**
   * The oldest message older than this raises the alarm: consumers report failures per message, so
   * a failing consumer shows here long before its messages reach the DLQ. Absent for queues whose
   * messages are delayed on purpose (bot ticks).
   */
  readonly oldestMessageAlarmSeconds?: number;
  readonly retentionDays: number;
}

export const QUEUES: Readonly<Record<QueueId, QueueDefinition>> = {
  signals: {
    id: 'signals',
    envVar: 'SIGNAL_QUEUE_URL',
    fifo: false,
    visibilityTimeoutSeconds: 180,
    maxReceiveCount: 5,
    dlqAlarmThreshold: 1,
    backlogAlarmThreshold: 100,
    oldestMessageAlarmSeconds: 300,
    retentionDays: 4,
  },
  // FIFO, one message group per exchange account: one account's orders are serialized while
  // accounts run in parallel; the deduplication id is the command's idempotency key.
  execution: {
    id: 'execution',
    envVar: 'EXECUTION_QUEUE_URL',
    fifo: true,
    visibilityTimeoutSeconds: 360,
    maxReceiveCount: 5,
    dlqAlarmThreshold: 1,
    backlogAlarmThreshold: 500,
    oldestMessageAlarmSeconds: 300,
    retentionDays: 4,
  },
  notifications: {
    id: 'notifications',
    envVar: 'NOTIFICATION_QUEUE_URL',
    fifo: false,
    visibilityTimeoutSeconds: 60,
    maxReceiveCount: 5,
    dlqAlarmThreshold: 1,
    backlogAlarmThreshold: 1000,
    oldestMessageAlarmSeconds: 900,
    retentionDays: 4,
  },
  // Sub-minute bot cadence: a per-minute dispatcher enqueues ticks with DelaySeconds 0/15/30/45.
  botTicks: {
    id: 'botTicks',
    envVar: 'BOT_TICK_QUEUE_URL',
    fifo: false,
    visibilityTimeoutSeconds: 360,
    maxReceiveCount: 2,
    dlqAlarmThreshold: 10,
    backlogAlarmThreshold: 50,
    retentionDays: 1,
  },
};

export const QUEUE_IDS = Object.keys(QUEUES) as QueueId[];

/** The name a queue gets (stage-prefixed in the cloud; FIFO names must end in `.fifo`). */
export function queueName(prefix: string, queue: QueueDefinition, deadLetter = false): string {
  const base = `${prefix}-${queue.id}${deadLetter ? '-dlq' : ''}`;
  return queue.fifo ? `${base}.fifo` : base;
}
