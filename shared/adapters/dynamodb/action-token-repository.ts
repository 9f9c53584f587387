// Single-use action tokens in DynamoDB, keyed by the token's SHA-256 (TOKEN#<hash>), expiring by TTL.
// A use is a conditional delete (right purpose, not yet expired) returning the old item, so of two
// concurrent uses exactly one gets the token. TTL deletion is lazy, hence the explicit expiry check.
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { DeleteCommand, type DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { ActionPurpose, ActionToken, ActionTokenRepository } from '../../ports/auth-repositories.js';
import { keys, withoutKeys } from './keys.js';

export class DynamoActionTokenRepository implements ActionTokenRepository {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async put(token: ActionToken): Promise<void> {
    await this.db.send(
      new PutCommand({
        TableName: this.tableName,
        Item: { ...keys.actionToken(token.tokenHash), ...token },
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    );
  }

  async consume(tokenHash: string, purpose: ActionPurpose, now: Date): Promise<ActionToken | null> {
    try {
      const out = await this.db.send(
        new DeleteCommand({
          TableName: this.tableName,
          Key: keys.actionToken(tokenHash),
          ConditionExpression: 'attribute_exists(pk) AND purpose = :purpose AND expiresAt > :now',
          ExpressionAttributeValues: { ':purpose': purpose, ':now': Math.floor(now.getTime() / 1000) },
          ReturnValues: 'ALL_OLD',
        }),
      );
      return out.Attributes ? withoutKeys<ActionToken>(out.Attributes) : null;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return null;
      throw error;
    }
  }
}
