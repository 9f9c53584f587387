// Exchange accounts and their sealed API keys, in the owner's partition. The account item (which the
// auto-trading index may project) and the key item (which carries no gsi1 attribute, so no index
// ever copies the sealed key) are written and deleted together in one transaction.
import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import {
  type DynamoDBDocumentClient,
  GetCommand,
  QueryCommand,
  TransactWriteCommand,
} from '@aws-sdk/lib-dynamodb';
import type {
  ExchangeAccount,
  ExchangeAccountRepository,
  ExchangeKeyInfo,
  StoredExchangeKey,
  TradingAccount,
} from '../../ports/repositories.js';
import { tradingAccountItem } from './account-repositories.js';
import { ACCOUNT_PREFIX, keys, withoutKeys } from './keys.js';

/** The sort-key prefix of key items, from the layout itself. */
const KEY_PREFIX = keys.exchangeKey('-', '').sk;
/** What listing reads of a key item: everything but the sealed key. */
const KEY_INFO_FIELDS = ['userId', 'accountId', 'exchange', 'mode', 'maskedKey', 'createdAt'] as const;

export class DuplicateAccount extends Error {
  override readonly name = 'DuplicateAccount';
}

export class DynamoExchangeAccountRepository implements ExchangeAccountRepository {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async create(account: TradingAccount, key: StoredExchangeKey): Promise<void> {
    if (account.exchange === 'paper' || account.exchange !== key.exchange) {
      throw new Error('an exchange account and its key must name the same exchange');
    }
    if (account.userId !== key.userId || account.accountId !== key.accountId) {
      throw new Error('an exchange account and its key must belong to the same user and account');
    }
    try {
      await this.db.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Put: {
                TableName: this.tableName,
                Item: tradingAccountItem(account),
                ConditionExpression: 'attribute_not_exists(pk)',
              },
            },
            {
              Put: {
                TableName: this.tableName,
                Item: { ...keys.exchangeKey(key.userId, key.accountId), ...key },
                ConditionExpression: 'attribute_not_exists(pk)',
              },
            },
          ],
        }),
      );
    } catch (error) {
      if (error instanceof TransactionCanceledException) {
        const conflict = error.CancellationReasons?.some((r) => r.Code === 'ConditionalCheckFailed');
        if (conflict) throw new DuplicateAccount(`account ${account.accountId} exists`);
      }
      throw error;
    }
  }

  async listForUser(userId: string): Promise<ExchangeAccount[]> {
    const [accountItems, keyItems] = await Promise.all([
      this.queryPrefix(userId, ACCOUNT_PREFIX),
      this.queryPrefix(userId, KEY_PREFIX, KEY_INFO_FIELDS),
    ]);
    const infoByAccount = new Map(
      keyItems.map((item) => {
        const info = withoutKeys<ExchangeKeyInfo>(item);
        return [info.accountId, info] as const;
      }),
    );
    const result: ExchangeAccount[] = [];
    for (const item of accountItems) {
      const account = withoutKeys<TradingAccount>(item);
      const key = infoByAccount.get(account.accountId);
      // Paper accounts have no key; an exchange account without one cannot trade and is not listed.
      if (account.exchange === 'paper' || !key) continue;
      result.push({ account, key });
    }
    return result;
  }

  async remove(userId: string, accountId: string): Promise<boolean> {
    try {
      await this.db.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Delete: {
                TableName: this.tableName,
                Key: keys.account(userId, accountId),
                // Only an exchange account of this user: a paper account is not removed this way.
                ConditionExpression: 'attribute_exists(pk) AND #exchange <> :paper',
                ExpressionAttributeNames: { '#exchange': 'exchange' },
                ExpressionAttributeValues: { ':paper': 'paper' },
              },
            },
            { Delete: { TableName: this.tableName, Key: keys.exchangeKey(userId, accountId) } },
          ],
        }),
      );
      return true;
    } catch (error) {
      if (
        error instanceof TransactionCanceledException &&
        error.CancellationReasons?.some((r) => r.Code === 'ConditionalCheckFailed')
      ) {
        return false;
      }
      throw error;
    }
  }

  async sealedKey(userId: string, accountId: string): Promise<StoredExchangeKey | null> {
    const out = await this.db.send(
      new GetCommand({
        TableName: this.tableName,
        Key: keys.exchangeKey(userId, accountId),
        ConsistentRead: true,
      }),
    );
    return out.Item ? withoutKeys<StoredExchangeKey>(out.Item) : null;
  }

  private async queryPrefix(
    userId: string,
    prefix: string,
    fields?: readonly string[],
  ): Promise<Record<string, unknown>[]> {
    const items: Record<string, unknown>[] = [];
    let startKey: Record<string, unknown> | undefined;
    const names = fields ? Object.fromEntries(fields.map((f, i) => [`#f${i}`, f])) : undefined;
    do {
      const out = await this.db.send(
        new QueryCommand({
          TableName: this.tableName,
          KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
          ExpressionAttributeValues: { ':pk': keys.user(userId).pk, ':prefix': prefix },
          ...(names
            ? { ProjectionExpression: Object.keys(names).join(', '), ExpressionAttributeNames: names }
            : {}),
          ExclusiveStartKey: startKey,
        }),
      );
      items.push(...(out.Items ?? []));
      startKey = out.LastEvaluatedKey;
    } while (startKey);
    return items;
  }
}
