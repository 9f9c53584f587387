// Heartbeats of scheduled and tick-driven functions, read by the health route and the watchdog.
import { type DynamoDBDocumentClient, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { Heartbeat, HeartbeatRepository } from '../../ports/repositories.js';
import { keys } from './keys.js';

export class DynamoHeartbeatRepository implements HeartbeatRepository {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async beat(heartbeat: Heartbeat): Promise<void> {
    await this.db.send(
      new PutCommand({
        TableName: this.tableName,
        Item: { ...keys.heartbeat(heartbeat.name), ...heartbeat },
      }),
    );
  }

  async list(): Promise<Heartbeat[]> {
    const out = await this.db.send(
      new QueryCommand({
        TableName: this.tableName,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': 'HEARTBEAT' },
      }),
    );
    return (out.Items ?? []).map((item) => ({
      name: String(item.name),
      at: String(item.at),
      ...(item.detail ? { detail: item.detail as Record<string, string> } : {}),
    }));
  }
}
