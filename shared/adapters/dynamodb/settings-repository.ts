// A user's settings document under their partition, replaced whole with a version condition.
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import {
  type SettingsRepository,
  SettingsVersionConflict,
  type StoredSettings,
  type UserSettings,
} from '../../app/settings/user-settings.js';
import { keys } from './keys.js';

export class DynamoSettingsRepository implements SettingsRepository {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async get(userId: string): Promise<StoredSettings | null> {
    const out = await this.db.send(
      new GetCommand({ TableName: this.tableName, Key: keys.settings(userId), ConsistentRead: true }),
    );
    if (!out.Item) return null;
    return {
      settings: out.Item.settings as UserSettings,
      version: Number(out.Item.version),
      updatedAt: String(out.Item.updatedAt),
    };
  }

  async replace(
    userId: string,
    settings: UserSettings,
    expectedVersion: number,
    at: string,
  ): Promise<StoredSettings> {
    const version = expectedVersion + 1;
    try {
      await this.db.send(
        new PutCommand({
          TableName: this.tableName,
          Item: { ...keys.settings(userId), userId, settings, version, updatedAt: at },
          ...(expectedVersion === 0
            ? { ConditionExpression: 'attribute_not_exists(pk)' }
            : {
                ConditionExpression: 'version = :expected',
                ExpressionAttributeValues: { ':expected': expectedVersion },
              }),
        }),
      );
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) {
        throw new SettingsVersionConflict((await this.get(userId))?.version ?? 0);
      }
      throw error;
    }
    return { settings, version, updatedAt: at };
  }
}
