// The shared candle cache on the main table: one item per exchange, symbol and timeframe holding the
// closed bars as compact number arrays (indicator floats, not money), expiring after a few hours
// (TTL `expiresAt`; an expired item still present is ignored). A writer never replaces a newer copy.
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { BotTimeframe } from '../../core/bots/bot-types.js';
import type { CachedCandles, CandleStore } from '../market-data/exchange-market-data.js';
import { keys } from './keys.js';

const TTL_SECONDS = 6 * 60 * 60;

function numbers(value: unknown): number[] | null {
  return Array.isArray(value) && value.every((v) => typeof v === 'number') ? (value as number[]) : null;
}

export class DynamoCandleStore implements CandleStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async get(
    exchange: string,
    symbol: string,
    timeframe: BotTimeframe,
    now: Date,
  ): Promise<CachedCandles | null> {
    const out = await this.db.send(
      new GetCommand({ TableName: this.tableName, Key: keys.candles(exchange, symbol, timeframe) }),
    );
    const item = out.Item;
    if (!item || typeof item.expiresAt !== 'number' || item.expiresAt * 1000 <= now.getTime()) return null;
    const [openTime, open, high, low, close, volume] = ['t', 'o', 'h', 'l', 'c', 'v'].map((k) =>
      numbers(item[k]),
    );
    if (!openTime || !open || !high || !low || !close || !volume) return null;
    const n = openTime.length;
    if ([open, high, low, close, volume].some((a) => a.length !== n)) return null;
    return { openTime, open, high, low, close, volume };
  }

  async put(
    exchange: string,
    symbol: string,
    timeframe: BotTimeframe,
    candles: CachedCandles,
    now: Date,
  ): Promise<void> {
    const last = candles.openTime.at(-1);
    if (last === undefined) return;
    try {
      await this.db.send(
        new PutCommand({
          TableName: this.tableName,
          Item: {
            ...keys.candles(exchange, symbol, timeframe),
            t: candles.openTime,
            o: candles.open,
            h: candles.high,
            l: candles.low,
            c: candles.close,
            v: candles.volume,
            lastOpenTime: last,
            updatedAt: now.toISOString(),
            expiresAt: Math.floor(now.getTime() / 1000) + TTL_SECONDS,
          },
          ConditionExpression: 'attribute_not_exists(lastOpenTime) OR lastOpenTime <= :last',
          ExpressionAttributeValues: { ':last': last },
        }),
      );
    } catch (error) {
      // Another Lambda stored a newer copy meanwhile: keep it.
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
    }
  }
}
