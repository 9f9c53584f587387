// The admin side of the table. Listing users scans for AUTH items and projects only the summary
// attributes, so no password hash ever leaves DynamoDB: the AUTH items carry no gsi1 attributes (they
// hold the hash), which leaves a scan as the way to enumerate them. Admin listing is rare and the
// user count small; a sparse index of summaries is the move once that stops being true.
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import {
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  ScanCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import type {
  KillSwitchRepository,
  KillSwitchState,
  UserAdminRepository,
  UserSummary,
} from '../../ports/admin.js';
import type { UserRole } from '../../ports/auth-repositories.js';
import { keys } from './keys.js';

const SUMMARY_ATTRIBUTES = ['userId', 'email', 'status', 'role', 'createdAt', 'totpEnabled'] as const;

function encodeCursor(key: Record<string, unknown> | undefined): string | undefined {
  return key ? Buffer.from(JSON.stringify(key)).toString('base64url') : undefined;
}

function decodeCursor(cursor: string): Record<string, unknown> {
  try {
    const key = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown;
    // Only a key of an AUTH item is a cursor this method gave out.
    if (
      typeof key === 'object' &&
      key !== null &&
      typeof (key as { pk?: unknown }).pk === 'string' &&
      (key as { sk?: unknown }).sk === 'AUTH'
    ) {
      return key as Record<string, unknown>;
    }
  } catch {
    // falls through to the refusal below
  }
  throw new InvalidCursor();
}

export class InvalidCursor extends Error {
  override readonly name = 'InvalidCursor';
}

export class DynamoUserAdminRepository implements UserAdminRepository {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async list(options: {
    readonly limit: number;
    readonly cursor?: string | undefined;
  }): Promise<{ items: UserSummary[]; cursor?: string }> {
    const items: UserSummary[] = [];
    let startKey = options.cursor === undefined ? undefined : decodeCursor(options.cursor);
    // A scan's Limit counts items read before the filter, so pages are gathered until full or done.
    do {
      const out = await this.db.send(
        new ScanCommand({
          TableName: this.tableName,
          FilterExpression: 'sk = :auth',
          ProjectionExpression: [...SUMMARY_ATTRIBUTES, 'pk', 'sk'].map((a) => `#${a}`).join(', '),
          ExpressionAttributeNames: Object.fromEntries(
            [...SUMMARY_ATTRIBUTES, 'pk', 'sk'].map((a) => [`#${a}`, a]),
          ),
          ExpressionAttributeValues: { ':auth': 'AUTH' },
          Limit: options.limit - items.length,
          ...(startKey ? { ExclusiveStartKey: startKey } : {}),
        }),
      );
      for (const item of out.Items ?? []) {
        items.push({
          userId: String(item.userId),
          email: String(item.email),
          status: item.status as UserSummary['status'],
          role: (item.role as UserRole | undefined) ?? 'user',
          createdAt: String(item.createdAt),
          totpEnabled: item.totpEnabled === true,
        });
      }
      startKey = out.LastEvaluatedKey;
    } while (startKey && items.length < options.limit);
    const cursor = encodeCursor(startKey);
    return cursor === undefined ? { items } : { items, cursor };
  }

  async disable(userId: string, at: string): Promise<boolean> {
    return this.conditionalUpdate(
      userId,
      'SET #status = :disabled, disabledAt = :at',
      '#status <> :disabled',
      {
        ':disabled': 'disabled',
        ':at': at,
      },
    );
  }

  async setRole(userId: string, role: UserRole): Promise<boolean> {
    return this.conditionalUpdate(userId, 'SET #role = :role', 'attribute_exists(pk)', { ':role': role });
  }

  private async conditionalUpdate(
    userId: string,
    update: string,
    condition: string,
    values: Record<string, unknown>,
  ): Promise<boolean> {
    try {
      await this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: keys.userAuth(userId),
          UpdateExpression: update,
          ConditionExpression: `attribute_exists(pk) AND ${condition}`,
          ExpressionAttributeNames: update.includes('#status')
            ? { '#status': 'status' }
            : { '#role': 'role' },
          ExpressionAttributeValues: values,
        }),
      );
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  }
}

export class DynamoKillSwitchRepository implements KillSwitchRepository {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async get(): Promise<KillSwitchState> {
    const out = await this.db.send(
      new GetCommand({ TableName: this.tableName, Key: keys.killSwitch(), ConsistentRead: true }),
    );
    const item = out.Item;
    if (!item) return { on: false };
    return {
      on: item.on === true,
      ...(typeof item.changedAt === 'string' ? { changedAt: item.changedAt } : {}),
      ...(typeof item.changedBy === 'string' ? { changedBy: item.changedBy } : {}),
    };
  }

  async set(state: Required<KillSwitchState>): Promise<void> {
    await this.db.send(
      new PutCommand({ TableName: this.tableName, Item: { ...keys.killSwitch(), ...state } }),
    );
  }
}
