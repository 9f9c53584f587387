// Fixed-window rate limits in DynamoDB: one item per rule, key and window, counted with an atomic
// conditional ADD, so concurrent Lambdas never let more than `limit` hits through in a window. The
// item expires (TTL) shortly after its window ends; correctness does not depend on TTL (each window
// has its own item), it only keeps the table small.
import { createHash } from 'node:crypto';
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { DeleteCommand, type DynamoDBDocumentClient, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { RateDecision, RateLimiter, RateRule } from '../../ports/security.js';
import { keys } from '../dynamodb/keys.js';

/** How long a window's item outlives the window (TTL deletion is lazy anyway). */
const TTL_MARGIN_SECONDS = 300;

/** Longer keys (or keys that could collide with the key layout's '#') are stored as their SHA-256. */
const MAX_PLAIN_KEY_LENGTH = 200;

function storedKey(key: string): string {
  if (key.length <= MAX_PLAIN_KEY_LENGTH && !key.includes('#')) return key;
  return `sha256:${createHash('sha256').update(key).digest('hex')}`;
}

function checkRule(rule: RateRule): void {
  const valid =
    /^[a-z0-9][a-z0-9-]*$/.test(rule.name) &&
    Number.isInteger(rule.limit) &&
    rule.limit >= 1 &&
    Number.isInteger(rule.windowSeconds) &&
    rule.windowSeconds >= 1;
  if (!valid) throw new Error(`invalid rate rule ${JSON.stringify(rule)}`);
}

/** The window `now` falls in, in epoch seconds. */
function windowOf(rule: RateRule, now: Date): { start: number; end: number; nowSeconds: number } {
  const nowSeconds = Math.floor(now.getTime() / 1000);
  const start = nowSeconds - (nowSeconds % rule.windowSeconds);
  return { start, end: start + rule.windowSeconds, nowSeconds };
}

export class DynamoRateLimiter implements RateLimiter {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async consume(rule: RateRule, key: string, now: Date): Promise<RateDecision> {
    checkRule(rule);
    const window = windowOf(rule, now);
    try {
      // The condition makes "count and check" one atomic step: a hit beyond the limit is refused by
      // DynamoDB itself, and the counter never passes `limit`.
      const out = await this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: keys.rateWindow(rule.name, storedKey(key), window.start),
          UpdateExpression: 'ADD hits :one SET expiresAt = if_not_exists(expiresAt, :expiresAt)',
          ConditionExpression: 'attribute_not_exists(hits) OR hits < :limit',
          ExpressionAttributeValues: {
            ':one': 1,
            ':limit': rule.limit,
            ':expiresAt': window.end + TTL_MARGIN_SECONDS,
          },
          ReturnValues: 'UPDATED_NEW',
        }),
      );
      const hits = Number(out.Attributes?.hits ?? rule.limit);
      return { allowed: true, remaining: Math.max(0, rule.limit - hits) };
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
      return { allowed: false, retryAfterSeconds: Math.max(1, window.end - window.nowSeconds) };
    }
  }

  async reset(rule: RateRule, key: string, now: Date): Promise<void> {
    checkRule(rule);
    const window = windowOf(rule, now);
    await this.db.send(
      new DeleteCommand({
        TableName: this.tableName,
        Key: keys.rateWindow(rule.name, storedKey(key), window.start),
      }),
    );
  }
}
