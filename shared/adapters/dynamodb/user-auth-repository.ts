// Credentials in DynamoDB: the AUTH item under the user (password hash, status, role), an EMAIL#
// owner item that makes an address unique, and the user's profile, written together in one
// conditional transaction. The AUTH and EMAIL items carry no gsi1 attributes (the index projects
// everything), so no index ever holds a password hash.
import { ConditionalCheckFailedException, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import {
  type DynamoDBDocumentClient,
  GetCommand,
  TransactWriteCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import type { UserAuth, UserAuthRepository } from '../../ports/auth-repositories.js';
import type { UserProfile } from '../../ports/repositories.js';
import { keys, withoutKeys } from './keys.js';

const ABSENT = 'attribute_not_exists(pk)';

export class DynamoUserAuthRepository implements UserAuthRepository {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async create(user: UserAuth, profile: UserProfile): Promise<'created' | 'email-taken'> {
    if (profile.userId !== user.userId || profile.email !== user.email) {
      throw new Error('the profile must belong to the user being created');
    }
    try {
      await this.db.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Put: {
                TableName: this.tableName,
                Item: { ...keys.userAuth(user.userId), ...user },
                ConditionExpression: ABSENT,
              },
            },
            {
              Put: {
                TableName: this.tableName,
                Item: { ...keys.emailOwner(user.email), userId: user.userId, createdAt: user.createdAt },
                ConditionExpression: ABSENT,
              },
            },
            {
              Put: {
                TableName: this.tableName,
                Item: { ...keys.user(profile.userId), ...keys.userByEmail(profile.email), ...profile },
                ConditionExpression: ABSENT,
              },
            },
          ],
        }),
      );
      return 'created';
    } catch (error) {
      // Item 1 is the email owner: its condition failing means the address is taken. Anything else
      // (a user id clash, throttling) is not an answer this method gives.
      if (
        error instanceof TransactionCanceledException &&
        error.CancellationReasons?.[1]?.Code === 'ConditionalCheckFailed'
      ) {
        return 'email-taken';
      }
      throw error;
    }
  }

  async findByEmail(email: string): Promise<UserAuth | null> {
    const owner = await this.db.send(
      new GetCommand({ TableName: this.tableName, Key: keys.emailOwner(email), ConsistentRead: true }),
    );
    const userId = owner.Item?.userId;
    return typeof userId === 'string' ? this.get(userId) : null;
  }

  async get(userId: string): Promise<UserAuth | null> {
    const out = await this.db.send(
      new GetCommand({ TableName: this.tableName, Key: keys.userAuth(userId), ConsistentRead: true }),
    );
    return out.Item ? withoutKeys<UserAuth>(out.Item) : null;
  }

  async markVerified(userId: string, at: string): Promise<boolean> {
    try {
      await this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: keys.userAuth(userId),
          UpdateExpression: 'SET #status = :active, verifiedAt = :at',
          ConditionExpression: 'attribute_exists(pk) AND #status = :unverified',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: { ':active': 'active', ':unverified': 'unverified', ':at': at },
        }),
      );
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  }

  async setPasswordHash(
    userId: string,
    passwordHash: string,
    at: string,
    options: { readonly expectedHash?: string } = {},
  ): Promise<boolean> {
    const expected = options.expectedHash;
    try {
      await this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: keys.userAuth(userId),
          UpdateExpression: 'SET passwordHash = :hash, passwordChangedAt = :at',
          // Only an active user's password changes (a disabled account stays shut), and with
          // `expectedHash` only from the hash the caller checked: of two racing changes one wins.
          ConditionExpression: `attribute_exists(pk) AND #status = :active${
            expected === undefined ? '' : ' AND passwordHash = :expected'
          }`,
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: {
            ':hash': passwordHash,
            ':at': at,
            ':active': 'active',
            ...(expected === undefined ? {} : { ':expected': expected }),
          },
        }),
      );
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  }
}
