// Refresh-token families in DynamoDB, under the user (USER#<id> / SESSION#<familyId>), expiring by TTL
// at the family's end. Rotation is conditional on the stored current hash, so two refreshes with one
// token cannot both rotate; revocation marks the item (kept until its TTL, for the record).
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import {
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import type {
  Session,
  SessionRepository,
  SessionRevocation,
  SessionRotation,
} from '../../ports/auth-repositories.js';
import { keys, SESSION_PREFIX, USER_PREFIX, withoutKeys } from './keys.js';

async function unlessConditionFails(write: Promise<unknown>): Promise<boolean> {
  try {
    await write;
    return true;
  } catch (error) {
    if (error instanceof ConditionalCheckFailedException) return false;
    throw error;
  }
}

export class DynamoSessionRepository implements SessionRepository {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async create(session: Session): Promise<void> {
    await this.db.send(
      new PutCommand({
        TableName: this.tableName,
        Item: { ...keys.session(session.userId, session.familyId), ...session },
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    );
  }

  async get(userId: string, familyId: string): Promise<Session | null> {
    const out = await this.db.send(
      new GetCommand({
        TableName: this.tableName,
        Key: keys.session(userId, familyId),
        ConsistentRead: true,
      }),
    );
    return out.Item ? withoutKeys<Session>(out.Item) : null;
  }

  rotate(userId: string, familyId: string, expectedHash: string, next: SessionRotation): Promise<boolean> {
    return unlessConditionFails(
      this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: keys.session(userId, familyId),
          UpdateExpression:
            'SET tokenHash = :next, generation = :generation, rotatedHashes = :rotated, lastUsedAt = :at',
          ConditionExpression: 'tokenHash = :expected AND attribute_not_exists(revokedAt)',
          ExpressionAttributeValues: {
            ':next': next.tokenHash,
            ':generation': next.generation,
            ':rotated': [...next.rotatedHashes],
            ':at': next.lastUsedAt,
            ':expected': expectedHash,
          },
        }),
      ),
    );
  }

  revoke(userId: string, familyId: string, at: string, reason: SessionRevocation): Promise<boolean> {
    return unlessConditionFails(
      this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: keys.session(userId, familyId),
          UpdateExpression: 'SET revokedAt = :at, revokedReason = :reason',
          ConditionExpression: 'attribute_exists(pk) AND attribute_not_exists(revokedAt)',
          ExpressionAttributeValues: { ':at': at, ':reason': reason },
        }),
      ),
    );
  }

  async revokeAll(
    userId: string,
    at: string,
    reason: SessionRevocation,
    options: { readonly except?: string } = {},
  ): Promise<number> {
    let revoked = 0;
    let startKey: Record<string, unknown> | undefined;
    do {
      const out = await this.db.send(
        new QueryCommand({
          TableName: this.tableName,
          KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
          FilterExpression: 'attribute_not_exists(revokedAt)',
          ProjectionExpression: 'familyId',
          ExpressionAttributeValues: { ':pk': `${USER_PREFIX}${userId}`, ':prefix': SESSION_PREFIX },
          ExclusiveStartKey: startKey,
        }),
      );
      for (const item of out.Items ?? []) {
        if (typeof item.familyId !== 'string' || item.familyId === options.except) continue;
        if (await this.revoke(userId, item.familyId, at, reason)) revoked++;
      }
      startKey = out.LastEvaluatedKey;
    } while (startKey);
    return revoked;
  }
}
