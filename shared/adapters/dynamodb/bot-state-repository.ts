// Each house bot's state per symbol on the main table (pk BOT#<bot>, sk SYMBOL#<symbol>). A bar is
// claimed with a conditional write, so of two overlapping ticks only one evaluates and emits for it.
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { BotName } from '../../core/bots/bot-types.js';
import type { BotStateRepository, BotSymbolState, OpenBotSignal } from '../../ports/market-data.js';
import { BOT_SYMBOL_PREFIX, keys } from './keys.js';

export class DynamoBotStateRepository implements BotStateRepository {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async listForBot(bot: BotName): Promise<ReadonlyMap<string, BotSymbolState>> {
    const states = new Map<string, BotSymbolState>();
    let startKey: Record<string, unknown> | undefined;
    do {
      const out = await this.db.send(
        new QueryCommand({
          TableName: this.tableName,
          KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
          ExpressionAttributeValues: { ':pk': keys.botSymbol(bot, '').pk, ':prefix': BOT_SYMBOL_PREFIX },
          ConsistentRead: true,
          ...(startKey ? { ExclusiveStartKey: startKey } : {}),
        }),
      );
      for (const item of out.Items ?? []) {
        const symbol = String(item.symbol);
        states.set(symbol, {
          bot,
          symbol,
          ...(typeof item.lastEvaluatedBar === 'number' ? { lastEvaluatedBar: item.lastEvaluatedBar } : {}),
          ...(typeof item.lastSignalAt === 'string' ? { lastSignalAt: item.lastSignalAt } : {}),
          ...(item.openSignal ? { openSignal: item.openSignal as OpenBotSignal } : {}),
        });
      }
      startKey = out.LastEvaluatedKey;
    } while (startKey);
    return states;
  }

  async claimBar(
    bot: BotName,
    symbol: string,
    bar: number,
    openSignal: OpenBotSignal | null,
    at: Date,
  ): Promise<boolean> {
    const set = ['symbol = :symbol', 'lastEvaluatedBar = :bar', 'updatedAt = :at'];
    const values: Record<string, unknown> = { ':symbol': symbol, ':bar': bar, ':at': at.toISOString() };
    if (openSignal) {
      set.push('openSignal = :open', 'lastSignalAt = :openedAt');
      values[':open'] = openSignal;
      values[':openedAt'] = openSignal.openedAt;
    }
    try {
      await this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: keys.botSymbol(bot, symbol),
          UpdateExpression: `SET ${set.join(', ')}${openSignal ? '' : ' REMOVE openSignal'}`,
          ConditionExpression: 'attribute_not_exists(lastEvaluatedBar) OR lastEvaluatedBar < :bar',
          ExpressionAttributeValues: values,
        }),
      );
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  }

  async markDelivered(bot: BotName, symbol: string, signalKey: string): Promise<void> {
    try {
      await this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: keys.botSymbol(bot, symbol),
          UpdateExpression: 'SET openSignal.delivered = :true',
          ConditionExpression: 'openSignal.signalKey = :key',
          ExpressionAttributeValues: { ':true': true, ':key': signalKey },
        }),
      );
    } catch (error) {
      // The open signal was replaced or cleared meanwhile: nothing left to mark.
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
    }
  }
}
