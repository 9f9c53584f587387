// The security audit trail in DynamoDB, under the user's partition (sk AUDIT#<at>#<eventId>), so a
// user's events are one query, newest first. Append-only: each put is conditional on the item not
// existing, and nothing here updates or deletes. Items carry no TTL and no gsi1 attributes.
import { randomUUID } from 'node:crypto';
import { type DynamoDBDocumentClient, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { AUDIT_EVENT_TYPES, type AuditEvent, type AuditLog } from '../../ports/security.js';
import { AUDIT_PREFIX, keys, USER_PREFIX } from '../dynamodb/keys.js';
import { InvalidCursor } from '../dynamodb/position-repository.js';

export { InvalidCursor };

/**
 * Detail names that suggest a secret. `details` must never hold one (a password, a token, a key, a
 * TOTP or recovery code); a use case that tries is a bug, so it fails loudly here instead of writing.
 */
const SECRET_LOOKING_DETAIL = /pass(word)?|token|secret|api[-_]?key|private|otp|recovery|credential/i;

const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?Z$/;

function checkEvent(event: AuditEvent): void {
  if (!event.userId) throw new Error('audit event without a user id');
  if (!AUDIT_EVENT_TYPES.includes(event.type)) throw new Error(`unknown audit event type ${event.type}`);
  // The sort key orders by `at` as text: only UTC ISO-8601 instants sort as time does.
  if (!ISO_INSTANT.test(event.at)) throw new Error('audit event time must be an ISO-8601 UTC instant');
  for (const name of Object.keys(event.details ?? {})) {
    if (SECRET_LOOKING_DETAIL.test(name)) {
      throw new Error(`audit event detail "${name}" looks like a secret; audit details carry none`);
    }
  }
}

/** A cursor is exactly `{ pk, sk }` of an audit item in this user's partition; anything else is refused. */
function decodeCursor(cursor: string, userId: string): { pk: string; sk: string } {
  let key: unknown;
  try {
    key = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw new InvalidCursor('the cursor is not one this API issued');
  }
  const k = key as Record<string, unknown> | null;
  const valid =
    k !== null &&
    typeof k === 'object' &&
    Object.keys(k).length === 2 &&
    k.pk === `${USER_PREFIX}${userId}` &&
    typeof k.sk === 'string' &&
    k.sk.startsWith(AUDIT_PREFIX);
  if (!valid) throw new InvalidCursor('the cursor is not one this API issued');
  return { pk: k.pk as string, sk: k.sk as string };
}

function toEvent(item: Record<string, unknown>): AuditEvent {
  const { pk: _pk, sk: _sk, eventId: _id, ...event } = item;
  return event as unknown as AuditEvent;
}

export class DynamoAuditLog implements AuditLog {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async append(event: AuditEvent): Promise<void> {
    checkEvent(event);
    const eventId = randomUUID();
    await this.db.send(
      new PutCommand({
        TableName: this.tableName,
        Item: { ...keys.auditEvent(event.userId, event.at, eventId), eventId, ...event },
        // Append-only: never overwrite an event (a uuid clash would be refused, not silently merged).
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    );
  }

  async listForUser(
    userId: string,
    options: { limit: number; cursor?: string },
  ): Promise<{ items: AuditEvent[]; cursor?: string }> {
    // The cursor is only ever used inside this user's partition: a forged one cannot cross tenants.
    const startKey = options.cursor ? decodeCursor(options.cursor, userId) : undefined;
    const out = await this.db.send(
      new QueryCommand({
        TableName: this.tableName,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
        ExpressionAttributeValues: { ':pk': `${USER_PREFIX}${userId}`, ':prefix': AUDIT_PREFIX },
        Limit: options.limit,
        ScanIndexForward: false,
        ...(startKey ? { ExclusiveStartKey: startKey } : {}),
      }),
    );
    const last = out.LastEvaluatedKey;
    const cursor = last
      ? Buffer.from(JSON.stringify({ pk: last.pk, sk: last.sk })).toString('base64url')
      : undefined;
    return { items: (out.Items ?? []).map(toEvent), ...(cursor ? { cursor } : {}) };
  }
}
