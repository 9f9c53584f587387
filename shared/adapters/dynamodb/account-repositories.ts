// Users and their trading accounts in DynamoDB, under the user's partition.
import { type DynamoDBDocumentClient, GetCommand, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import type {
  TradingAccount,
  TradingAccountRepository,
  UserProfile,
  UserRepository,
} from '../../ports/repositories.js';
import { keys, withoutKeys } from './keys.js';

export class DynamoUserRepository implements UserRepository {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async put(user: UserProfile): Promise<void> {
    await this.db.send(
      new PutCommand({
        TableName: this.tableName,
        Item: { ...keys.user(user.userId), ...keys.userByEmail(user.email), ...user },
      }),
    );
  }

  async findByEmail(email: string): Promise<UserProfile | null> {
    const index = keys.userByEmail(email);
    const out = await this.db.send(
      new QueryCommand({
        TableName: this.tableName,
        IndexName: 'gsi1',
        KeyConditionExpression: 'gsi1pk = :pk AND gsi1sk = :sk',
        ExpressionAttributeValues: { ':pk': index.gsi1pk, ':sk': index.gsi1sk },
        Limit: 1,
      }),
    );
    const item = out.Items?.[0];
    return item ? withoutKeys<UserProfile>(item) : null;
  }
}

/** The account item: under its owner, and on the sparse auto-trading index only while auto-trade is on. */
export function tradingAccountItem(account: TradingAccount): Record<string, unknown> {
  return {
    ...keys.account(account.userId, account.accountId),
    ...(account.autoTrade ? keys.autoTradingAccount(account.accountId) : {}),
    ...account,
  };
}

export class DynamoTradingAccountRepository implements TradingAccountRepository {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async put(account: TradingAccount): Promise<void> {
    await this.db.send(new PutCommand({ TableName: this.tableName, Item: tradingAccountItem(account) }));
  }

  async get(userId: string, accountId: string): Promise<TradingAccount | null> {
    const out = await this.db.send(
      // Consistent: execution re-checks auto-trade here, and a switch-off must win over a queued command.
      new GetCommand({
        TableName: this.tableName,
        Key: keys.account(userId, accountId),
        ConsistentRead: true,
      }),
    );
    return out.Item ? withoutKeys<TradingAccount>(out.Item) : null;
  }

  async *listAutoTrading(): AsyncIterable<TradingAccount> {
    let startKey: Record<string, unknown> | undefined;
    do {
      const out = await this.db.send(
        new QueryCommand({
          TableName: this.tableName,
          IndexName: 'gsi1',
          KeyConditionExpression: 'gsi1pk = :pk',
          ExpressionAttributeValues: { ':pk': 'AUTOTRADE' },
          ExclusiveStartKey: startKey,
        }),
      );
      for (const item of out.Items ?? []) yield withoutKeys<TradingAccount>(item);
      startKey = out.LastEvaluatedKey;
    } while (startKey);
  }
}
