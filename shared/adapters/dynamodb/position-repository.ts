// Positions in DynamoDB under the owner's partition. Every update is conditional on the version the
// caller read, so two writers can never silently overwrite each other.
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, GetCommand, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { type Position, TERMINAL_STATUSES } from '../../core/positions/position.js';
import { type PositionRepository, VersionConflict } from '../../ports/repositories.js';
import { keys, POSITION_PREFIX, withoutKeys } from './keys.js';

function toItem(position: Position): Record<string, unknown> {
  const open = !TERMINAL_STATUSES.includes(position.status);
  return {
    ...keys.position(position.userId, position.positionId),
    ...(open ? keys.openPositionBySymbol(position.symbol, position.positionId) : {}),
    ...position,
  };
}

const fromItem = (item: Record<string, unknown>) => withoutKeys<Position>(item);

export class InvalidCursor extends Error {
  override readonly name = 'InvalidCursor';
}

/** A cursor is exactly `{ pk, sk }` of this user's partition; anything else is refused, never passed on. */
function decodeCursor(cursor: string, userId: string): { pk: string; sk: string } {
  let key: unknown;
  try {
    key = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw new InvalidCursor('the cursor is not one this API issued');
  }
  const k = key as Record<string, unknown> | null;
  const valid =
    k !== null &&
    typeof k === 'object' &&
    Object.keys(k).length === 2 &&
    k.pk === `USER#${userId}` &&
    typeof k.sk === 'string' &&
    k.sk.startsWith(POSITION_PREFIX);
  if (!valid) throw new InvalidCursor('the cursor is not one this API issued');
  return { pk: k.pk as string, sk: k.sk as string };
}

function encodeCursor(key: Record<string, unknown> | undefined): string | undefined {
  return key ? Buffer.from(JSON.stringify(key)).toString('base64url') : undefined;
}

export class DynamoPositionRepository implements PositionRepository {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async get(userId: string, positionId: string): Promise<Position | null> {
    const out = await this.db.send(
      new GetCommand({
        TableName: this.tableName,
        Key: keys.position(userId, positionId),
        ConsistentRead: true,
      }),
    );
    return out.Item ? fromItem(out.Item) : null;
  }

  async createIfAbsent(position: Position): Promise<Position> {
    try {
      await this.db.send(
        new PutCommand({
          TableName: this.tableName,
          Item: toItem(position),
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
      return position;
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
      const existing = await this.get(position.userId, position.positionId);
      if (!existing) throw error;
      return existing;
    }
  }

  async update(next: Position, expectedVersion: number): Promise<Position> {
    const stored = { ...next, version: expectedVersion + 1 };
    try {
      await this.db.send(
        new PutCommand({
          TableName: this.tableName,
          Item: toItem(stored),
          ConditionExpression: 'version = :v',
          ExpressionAttributeValues: { ':v': expectedVersion },
        }),
      );
      return stored;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) {
        throw new VersionConflict(`position ${next.positionId} changed since version ${expectedVersion}`);
      }
      throw error;
    }
  }

  async listForUser(
    userId: string,
    options: { limit: number; cursor?: string },
  ): Promise<{ items: Position[]; cursor?: string }> {
    // The cursor is only ever used inside this user's partition: a forged one cannot cross tenants.
    const startKey = options.cursor ? decodeCursor(options.cursor, userId) : undefined;
    const out = await this.db.send(
      new QueryCommand({
        TableName: this.tableName,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
        ExpressionAttributeValues: { ':pk': `USER#${userId}`, ':prefix': POSITION_PREFIX },
        Limit: options.limit,
        ScanIndexForward: false,
        ...(startKey ? { ExclusiveStartKey: startKey } : {}),
      }),
    );
    const cursor = encodeCursor(out.LastEvaluatedKey);
    return { items: (out.Items ?? []).map(fromItem), ...(cursor ? { cursor } : {}) };
  }
}
