// TOTP records in DynamoDB: one item per user (USER#<id> / TOTP), with no gsi1 attributes (the index
// projects everything, and the item holds a sealed secret and recovery-code hashes). Turning 2FA on
// or off writes the item and the credentials' `totpEnabled` in one transaction, so login never sees
// one without the other. Uses of a code are conditional writes: a time step is accepted once, a
// recovery code removed once, whatever the concurrency.
import { ConditionalCheckFailedException, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import {
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  TransactWriteCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import type { SealedSecret } from '../../ports/security.js';
import type { PendingTotp, TotpActivation, TotpRecord, TwoFactorRepository } from '../../ports/two-factor.js';
import { keys } from './keys.js';

async function unlessConditionFails(write: Promise<unknown>): Promise<boolean> {
  try {
    await write;
    return true;
  } catch (error) {
    if (error instanceof ConditionalCheckFailedException) return false;
    throw error;
  }
}

export class DynamoTwoFactorRepository implements TwoFactorRepository {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async get(userId: string): Promise<TotpRecord | null> {
    const out = await this.db.send(
      new GetCommand({ TableName: this.tableName, Key: keys.totp(userId), ConsistentRead: true }),
    );
    const item = out.Item;
    if (!item) return null;
    const secret = item.secret as SealedSecret;
    if (item.status === 'pending') {
      return {
        status: 'pending',
        userId,
        enrollmentId: String(item.enrollmentId),
        secret,
        createdAt: String(item.createdAt),
        expiresAt: Number(item.expiresAt),
      };
    }
    const hashes = item.recoveryCodeHashes as Set<string> | undefined;
    return {
      status: 'active',
      userId,
      secret,
      enabledAt: String(item.enabledAt),
      lastUsedStep: Number(item.lastUsedStep),
      recoveryCodesLeft: hashes?.size ?? 0,
    };
  }

  putPending(pending: PendingTotp): Promise<boolean> {
    return unlessConditionFails(
      this.db.send(
        new PutCommand({
          TableName: this.tableName,
          Item: { ...keys.totp(pending.userId), ...pending },
          // Replaces a pending enrollment, never an active factor.
          ConditionExpression: 'attribute_not_exists(pk) OR #status = :pending',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: { ':pending': 'pending' },
        }),
      ),
    );
  }

  async activate(userId: string, activation: TotpActivation): Promise<boolean> {
    try {
      await this.db.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              // A whole new item: the pending fields and the TTL go.
              Put: {
                TableName: this.tableName,
                Item: {
                  ...keys.totp(userId),
                  status: 'active',
                  userId,
                  secret: activation.secret,
                  enabledAt: activation.enabledAt,
                  lastUsedStep: activation.lastUsedStep,
                  recoveryCodeHashes: new Set(activation.recoveryCodeHashes),
                },
                ConditionExpression: '#status = :pending AND enrollmentId = :enrollmentId',
                ExpressionAttributeNames: { '#status': 'status' },
                ExpressionAttributeValues: {
                  ':pending': 'pending',
                  ':enrollmentId': activation.enrollmentId,
                },
              },
            },
            {
              Update: {
                TableName: this.tableName,
                Key: keys.userAuth(userId),
                UpdateExpression: 'SET totpEnabled = :on',
                ConditionExpression: 'attribute_exists(pk)',
                ExpressionAttributeValues: { ':on': true },
              },
            },
          ],
        }),
      );
      return true;
    } catch (error) {
      if (
        error instanceof TransactionCanceledException &&
        error.CancellationReasons?.[0]?.Code === 'ConditionalCheckFailed'
      ) {
        return false;
      }
      throw error;
    }
  }

  markStepUsed(userId: string, step: number): Promise<boolean> {
    return unlessConditionFails(
      this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: keys.totp(userId),
          UpdateExpression: 'SET lastUsedStep = :step',
          ConditionExpression: '#status = :active AND lastUsedStep < :step',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: { ':active': 'active', ':step': step },
        }),
      ),
    );
  }

  consumeRecoveryCode(userId: string, codeHash: string): Promise<boolean> {
    return unlessConditionFails(
      this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: keys.totp(userId),
          UpdateExpression: 'DELETE recoveryCodeHashes :used',
          ConditionExpression: '#status = :active AND contains(recoveryCodeHashes, :hash)',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: { ':active': 'active', ':used': new Set([codeHash]), ':hash': codeHash },
        }),
      ),
    );
  }

  async remove(userId: string): Promise<void> {
    await this.db.send(
      new TransactWriteCommand({
        TransactItems: [
          { Delete: { TableName: this.tableName, Key: keys.totp(userId) } },
          {
            Update: {
              TableName: this.tableName,
              Key: keys.userAuth(userId),
              UpdateExpression: 'SET totpEnabled = :off',
              ConditionExpression: 'attribute_exists(pk)',
              ExpressionAttributeValues: { ':off': false },
            },
          },
        ],
      }),
    );
  }
}
