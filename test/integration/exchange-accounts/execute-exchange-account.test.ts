// ExecuteSignal (the real handler module) on an exchange account against the fake Binance: the
// account's sealed key is opened for the message, the ccxt gateway places the base order and the
// take-profit on the fake, and the key appears in no log line. A sealed key that does not open for
// the account (copied from another account) refuses the command without retrying it.
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import type { Context, SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoTradingAccountRepository } from '../../../shared/adapters/dynamodb/account-repositories.js';
import { DynamoExchangeAccountRepository } from '../../../shared/adapters/dynamodb/exchange-account-repository.js';
import { keys } from '../../../shared/adapters/dynamodb/keys.js';
import { DynamoPositionRepository } from '../../../shared/adapters/dynamodb/position-repository.js';
import { DynamoSignalRepository } from '../../../shared/adapters/dynamodb/signal-repository.js';
import { createExchangeGateway } from '../../../shared/adapters/exchanges/gateway-factory.js';
import { DynamoAuditLog } from '../../../shared/adapters/security/dynamo-audit-log.js';
import { LocalSecretBox } from '../../../shared/adapters/security/local-secret-box.js';
import { addExchangeAccount } from '../../../shared/app/exchange-accounts/add-exchange-account.js';
import { ingestSignal } from '../../../shared/app/ingest-signal.js';
import type { ExecutionCommand } from '../../../shared/app/messages.js';
import { positionIdFor } from '../../../shared/app/open-position.js';
import { signalSchema } from '../../../shared/core/signals/signal.js';
import { systemClock } from '../../../shared/ports/clock.js';
import type { QueuePublisher } from '../../../shared/ports/queue-publisher.js';
import { type BinanceFake, startBinanceFake } from '../../support/fake-exchanges/binance-fake.js';
import { type LocalServices, startLocalServices } from '../../support/local-services.js';

type Handler = (event: SQSEvent, context: Context) => Promise<SQSBatchResponse>;

let services: LocalServices;
let binance: BinanceFake;
let handler: Handler;
let restoreBaseUrls: () => void;
const logged: string[] = [];
const originalWrite = process.stdout.write.bind(process.stdout);
const USER = 'user-exec-live';
const context = {
  functionName: 'ExecuteSignal',
  awsRequestId: 'req-exec',
  getRemainingTimeInMillis: () => 60_000,
} as unknown as Context;
const noQueue: QueuePublisher = { send: async () => undefined };

beforeAll(async () => {
  services = await startLocalServices();
  binance = await startBinanceFake();
  const previous = process.env.EXCHANGE_BASE_URLS;
  process.env.EXCHANGE_BASE_URLS = JSON.stringify({ binance: binance.baseUrl });
  restoreBaseUrls = () => {
    if (previous === undefined) delete process.env.EXCHANGE_BASE_URLS;
    else process.env.EXCHANGE_BASE_URLS = previous;
  };
  // Imported once the environment is set, as on a cold start.
  ({ handler } = (await import('../../../functions/pipeline/execute-signal.js')) as { handler: Handler });
  process.stdout.write = ((chunk: unknown) => {
    logged.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk as Uint8Array).toString('utf8'));
    return true;
  }) as typeof process.stdout.write;
});
afterAll(async () => {
  process.stdout.write = originalWrite;
  restoreBaseUrls?.();
  await binance?.close();
  await services?.stop();
});

const repos = () => ({
  accounts: new DynamoTradingAccountRepository(services.db, services.tableName),
  exchangeAccounts: new DynamoExchangeAccountRepository(services.db, services.tableName),
  positions: new DynamoPositionRepository(services.db, services.tableName),
  signals: new DynamoSignalRepository(services.db, services.tableName),
});

/** Adds a Binance account through the use case (the fake checks the key), then turns auto-trade on. */
async function liveBinanceAccount(label: string) {
  const added = await addExchangeAccount(
    {
      accounts: repos().exchangeAccounts,
      secretBox: new LocalSecretBox(services.env.LOCAL_MASTER_KEY ?? ''),
      audit: new DynamoAuditLog(services.db, services.tableName),
      clock: systemClock,
      gatewayFor: (account) => createExchangeGateway({ ...account, baseUrl: binance.baseUrl }),
      newAccountId: () => `acc_exec_${label}`,
      egressIps: [],
    },
    USER,
    { exchange: 'binance', mode: 'live', label, apiKey: binance.apiKey, secret: binance.secret },
  );
  const account = await repos().accounts.get(USER, added.accountId);
  if (!account) throw new Error('account not stored');
  await repos().accounts.put({ ...account, autoTrade: true, baseOrderQuote: '100' });
  return account;
}

/** A long BTC/USDT market signal around the fake's price, received now. */
async function signalFor(id: string): Promise<string> {
  binance.setPrice('BTC/USDT', '60000');
  const signal = signalSchema.parse({
    signalId: id,
    source: 'house',
    bot: 'manual',
    symbol: 'BTC/USDT',
    side: 'long',
    entry: { type: 'market' },
    targets: [{ price: '60600' }],
    stopLoss: '59400',
    createdAt: systemClock.now().toISOString(),
  });
  await ingestSignal({ signals: repos().signals, queue: noQueue, clock: systemClock }, signal);
  return `house:${id}`;
}

async function execute(command: ExecutionCommand): Promise<SQSBatchResponse> {
  return handler(
    {
      Records: [
        {
          messageId: `m-${command.commandId}`,
          receiptHandle: 'rh',
          body: JSON.stringify(command),
          attributes: {
            ApproximateReceiveCount: '1',
            SentTimestamp: '0',
            SenderId: 'x',
            ApproximateFirstReceiveTimestamp: '0',
            MessageGroupId: command.accountId,
            MessageDeduplicationId: command.commandId,
            SequenceNumber: '1',
          },
          messageAttributes: {},
          md5OfBody: '',
          eventSource: 'aws:sqs',
          eventSourceARN: 'arn:aws:sqs:us-east-1:000000000000:execution.fifo',
          awsRegion: 'us-east-1',
        },
      ],
    },
    context,
  );
}

const commandOf = (signalKey: string, accountId: string): ExecutionCommand => ({
  commandId: `${signalKey}|${USER}|${accountId}`,
  signalKey,
  userId: USER,
  accountId,
});

describe('ExecuteSignal on an exchange account', () => {
  let opened: { command: ExecutionCommand; ordersBefore: number } | undefined;

  it('opens the position on the exchange with the opened key: the base order is placed and filled there', async () => {
    const account = await liveBinanceAccount('main');
    const command = commandOf(await signalFor('exec-live-1'), account.accountId);
    const ordersBefore = binance.orderCount();
    const result = await execute(command);
    opened = { command, ordersBefore };
    expect(result.batchItemFailures).toEqual([]);
    const position = await repos().positions.get(USER, positionIdFor(command.commandId));
    expect(position?.status).toBe('open');
    const base = position?.orders.find((o) => o.kind === 'base');
    expect(base?.status).toBe('filled');
    // The fake checked every request's signature with the key and secret: the sealed key was opened.
    const onExchange = binance.ledger.orders.find((o) => o.clientOrderId === base?.clientOrderId);
    expect(onExchange).toBeDefined();
    expect(position?.fills.length).toBeGreaterThan(0);
  });

  // Binance spot takes a buy's fee from the base asset: the take-profit must sell what is held, not
  // what was bought, or the exchange refuses it (insufficient balance) and the position is unprotected.
  it('rests the take-profit for the amount actually held after a base-asset fee', async () => {
    if (!opened) throw new Error('the previous test did not run');
    const position = await repos().positions.get(USER, positionIdFor(opened.command.commandId));
    expect(position?.orders.find((o) => o.kind === 'take-profit')?.status).toBe('open');
    expect(binance.orderCount()).toBe(opened.ordersBefore + 2);
  });

  it('refuses, without retrying or sending anything, when the stored key does not open for the account', async () => {
    const account = await liveBinanceAccount('moved');
    const donor = await repos().exchangeAccounts.sealedKey(USER, 'acc_exec_main');
    if (!donor) throw new Error('donor key missing');
    // The sealed key of another account, copied onto this one: bound to the other account, it must not open.
    await services.db.send(
      new PutCommand({
        TableName: services.tableName,
        Item: { ...keys.exchangeKey(USER, account.accountId), ...donor, accountId: account.accountId },
      }),
    );
    const command = commandOf(await signalFor('exec-live-2'), account.accountId);
    const before = binance.orderCount();
    const result = await execute(command);
    expect(result.batchItemFailures).toEqual([]);
    expect(await repos().positions.get(USER, positionIdFor(command.commandId))).toBeNull();
    expect(binance.orderCount()).toBe(before);
    expect(logged.join('')).toMatch(/cannot be opened/);
  });

  it('logs neither the API key nor the secret', () => {
    const text = logged.join('');
    expect(text).toContain('execution finished');
    expect(text).not.toContain(binance.apiKey);
    expect(text).not.toContain(binance.secret);
  });
});
