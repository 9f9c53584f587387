// Signals in DynamoDB: one item per signal key, created with a conditional put so that the same
// signal delivered twice is stored once.
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import {
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import type { SignalRepository, SignalStatus, StoredSignal } from '../../ports/repositories.js';
import { keys, withoutKeys } from './keys.js';

const STATUS_ORDER: readonly SignalStatus[] = ['received', 'enqueued', 'fanned-out'];

const toStored = (item: Record<string, unknown>) => withoutKeys<StoredSignal>(item);

export class DynamoSignalRepository implements SignalRepository {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async putIfAbsent(signal: StoredSignal): Promise<{ created: boolean; stored: StoredSignal }> {
    try {
      await this.db.send(
        new PutCommand({
          TableName: this.tableName,
          Item: {
            ...keys.signal(signal.signalKey),
            // By the server's receive time: a producer's clock or offset cannot reorder the feed.
            ...keys.signalsByTime(signal.receivedAt, signal.signalKey),
            ...signal,
          },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
      return { created: true, stored: signal };
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
      const stored = await this.get(signal.signalKey);
      if (!stored) throw error;
      return { created: false, stored };
    }
  }

  async get(signalKey: string): Promise<StoredSignal | null> {
    const out = await this.db.send(
      new GetCommand({ TableName: this.tableName, Key: keys.signal(signalKey), ConsistentRead: true }),
    );
    return out.Item ? toStored(out.Item) : null;
  }

  async markStatus(signalKey: string, status: SignalStatus, fannedOutTo?: number): Promise<void> {
    // A slow ingest must not write "enqueued" over the "fanned-out" a fast fan-out already wrote.
    const earlier = STATUS_ORDER.slice(0, STATUS_ORDER.indexOf(status));
    try {
      await this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: keys.signal(signalKey),
          ConditionExpression: `attribute_exists(pk) AND #status IN (${earlier.map((_, i) => `:e${i}`).join(', ') || ':none'})`,
          UpdateExpression:
            fannedOutTo === undefined ? 'SET #status = :s' : 'SET #status = :s, fannedOutTo = :n',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: {
            ':s': status,
            ...Object.fromEntries(earlier.map((e, i) => [`:e${i}`, e])),
            ...(earlier.length === 0 ? { ':none': '' } : {}),
            ...(fannedOutTo === undefined ? {} : { ':n': fannedOutTo }),
          },
        }),
      );
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException && (await this.get(signalKey))) return;
      throw error;
    }
  }

  async listRecent(limit: number): Promise<StoredSignal[]> {
    const out = await this.db.send(
      new QueryCommand({
        TableName: this.tableName,
        IndexName: 'gsi1',
        KeyConditionExpression: 'gsi1pk = :pk',
        ExpressionAttributeValues: { ':pk': 'SIGNALS' },
        ScanIndexForward: false,
        Limit: limit,
      }),
    );
    return (out.Items ?? []).map(toStored);
  }
}
