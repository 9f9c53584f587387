// Exchange accounts against DynamoDB Local and the fake Binance, through the use cases and the real
// ccxt gateway: the stored items hold the sealed key and never the plaintext, the key item carries
// no index attributes, a refused key stores nothing, removal deletes both items, each step is
// audited without the key, and one user can neither see nor remove another's account.
import { GetCommand, PutCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoTradingAccountRepository } from '../../../shared/adapters/dynamodb/account-repositories.js';
import { DynamoExchangeAccountRepository } from '../../../shared/adapters/dynamodb/exchange-account-repository.js';
import { keys } from '../../../shared/adapters/dynamodb/keys.js';
import { createExchangeGateway } from '../../../shared/adapters/exchanges/gateway-factory.js';
import { DynamoAuditLog } from '../../../shared/adapters/security/dynamo-audit-log.js';
import { SecretBoxError } from '../../../shared/adapters/security/envelope-crypto.js';
import { LocalSecretBox } from '../../../shared/adapters/security/local-secret-box.js';
import {
  type AddExchangeAccountDeps,
  addExchangeAccount,
  ExchangeKeyRefused,
} from '../../../shared/app/exchange-accounts/add-exchange-account.js';
import { openCredentials } from '../../../shared/app/exchange-accounts/exchange-credentials.js';
import { listExchangeAccounts } from '../../../shared/app/exchange-accounts/list-exchange-accounts.js';
import {
  ExchangeAccountNotFound,
  removeExchangeAccount,
} from '../../../shared/app/exchange-accounts/remove-exchange-account.js';
import { ExchangeError } from '../../../shared/ports/exchange-gateway.js';
import { type BinanceFake, startBinanceFake } from '../../support/fake-exchanges/binance-fake.js';
import { type LocalServices, startLocalServices } from '../../support/local-services.js';

let services: LocalServices;
let binance: BinanceFake;
let deps: AddExchangeAccountDeps & { accounts: DynamoExchangeAccountRepository; audit: DynamoAuditLog };
let box: LocalSecretBox;
let nextId = 0;
const clock = { now: () => new Date('2026-11-20T10:00:00.000Z') };
const ALICE = 'user-int-alice';
const BOB = 'user-int-bob';

beforeAll(async () => {
  services = await startLocalServices();
  binance = await startBinanceFake();
  box = new LocalSecretBox(services.secrets.masterKey);
  deps = {
    accounts: new DynamoExchangeAccountRepository(services.db, services.tableName),
    secretBox: box,
    audit: new DynamoAuditLog(services.db, services.tableName),
    clock,
    gatewayFor: (account) => createExchangeGateway({ ...account, baseUrl: binance.baseUrl }),
    newAccountId: () => `acc_int_${++nextId}`,
    egressIps: ['203.0.113.10', '203.0.113.11'],
  };
});
afterAll(async () => {
  await binance?.close();
  await services?.stop();
});

const add = (userId: string, label = 'Main') =>
  addExchangeAccount(
    deps,
    userId,
    { exchange: 'binance', mode: 'live', label, apiKey: binance.apiKey, secret: binance.secret },
    { ip: '198.51.100.7' },
  );

async function rawItem(key: { pk: string; sk: string }) {
  return (await services.db.send(new GetCommand({ TableName: services.tableName, Key: key }))).Item;
}

async function wholeTable(): Promise<string> {
  const out = await services.db.send(new ScanCommand({ TableName: services.tableName }));
  return JSON.stringify(out.Items ?? []);
}

describe('adding an exchange account', () => {
  it('stores the account (auto-trade off) and the sealed key, and answers with the masked key', async () => {
    const added = await add(ALICE);
    expect(added).toMatchObject({
      exchange: 'binance',
      mode: 'live',
      label: 'Main',
      autoTrade: false,
      maskedKey: `${binance.apiKey.slice(0, 4)}…${binance.apiKey.slice(-4)}`,
      egressIps: ['203.0.113.10', '203.0.113.11'],
      warnings: [],
    });
    const account = await new DynamoTradingAccountRepository(services.db, services.tableName).get(
      ALICE,
      added.accountId,
    );
    expect(account).toMatchObject({ exchange: 'binance', mode: 'live', autoTrade: false });
  });

  it('stores no plaintext: neither the secret nor the API key is in any raw item', async () => {
    const added = await add(ALICE, 'Second');
    const keyItem = await rawItem(keys.exchangeKey(ALICE, added.accountId));
    const accountItem = await rawItem(keys.account(ALICE, added.accountId));
    expect(keyItem?.sealed).toMatchObject({ version: 1, keyId: box.keyId });
    for (const item of [JSON.stringify(keyItem), JSON.stringify(accountItem), await wholeTable()]) {
      expect(item).not.toContain(binance.secret);
      expect(item).not.toContain(binance.apiKey);
    }
    // Secrets never reach the index: the key item has no gsi1 attribute (nor has an auto-trade-off account).
    expect(Object.keys(keyItem ?? {}).filter((k) => k.startsWith('gsi1'))).toEqual([]);
    expect(Object.keys(accountItem ?? {}).filter((k) => k.startsWith('gsi1'))).toEqual([]);
    // And what is stored opens to the key, for this owner only.
    const stored = await deps.accounts.sealedKey(ALICE, added.accountId);
    expect(stored).not.toBeNull();
    if (!stored) return;
    expect(await openCredentials(box, stored)).toEqual({ apiKey: binance.apiKey, secret: binance.secret });
    await expect(openCredentials(box, { ...stored, userId: BOB })).rejects.toBeInstanceOf(SecretBoxError);
    await expect(openCredentials(box, { ...stored, accountId: 'acc_other' })).rejects.toBeInstanceOf(
      SecretBoxError,
    );
  });

  it('audits the addition with the masked key and nothing of the key itself', async () => {
    const added = await add(ALICE, 'Audited');
    const { items } = await deps.audit.listForUser(ALICE, { limit: 20 });
    const event = items.find(
      (e) => e.type === 'exchange-key.added' && e.details?.accountId === added.accountId,
    );
    expect(event).toMatchObject({
      actor: 'user',
      ip: '198.51.100.7',
      details: { exchange: 'binance', mode: 'live', maskedKey: added.maskedKey },
    });
    expect(JSON.stringify(items)).not.toContain(binance.apiKey);
    expect(JSON.stringify(items)).not.toContain(binance.secret);
  });

  it('refuses a withdrawal-enabled key with the reasons and stores nothing', async () => {
    const before = (await deps.accounts.listForUser(BOB)).length;
    binance.setKeyPermissions({ enableWithdrawals: true });
    try {
      const refused = await add(BOB).catch((error: unknown) => error);
      expect(refused).toBeInstanceOf(ExchangeKeyRefused);
      expect((refused as ExchangeKeyRefused).reasons.join(' ')).toMatch(/withdrawal/);
    } finally {
      binance.setKeyPermissions({ enableWithdrawals: false });
    }
    expect(await deps.accounts.listForUser(BOB)).toHaveLength(before);
  });

  it('lets the exchange refusal of a wrong secret through as an auth error, storing nothing', async () => {
    const error = await addExchangeAccount(deps, BOB, {
      exchange: 'binance',
      mode: 'live',
      label: 'Wrong',
      apiKey: binance.apiKey,
      secret: 'not-the-secret-not-the-secret',
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ExchangeError);
    expect((error as ExchangeError).kind).toBe('auth');
    expect(String((error as Error).message)).not.toContain('not-the-secret-not-the-secret');
    expect(await deps.accounts.listForUser(BOB)).toHaveLength(0);
  });
});

describe('listing and removing, within one tenant', () => {
  it("lists only the caller's exchange accounts, never paper ones, and never a sealed key", async () => {
    await services.db.send(
      // A paper account in the same partition: not an exchange account.
      new PutCommand({
        TableName: services.tableName,
        Item: {
          ...keys.account(BOB, 'acc-bob-paper'),
          userId: BOB,
          accountId: 'acc-bob-paper',
          exchange: 'paper',
          mode: 'demo',
          label: 'Paper',
          autoTrade: true,
          baseOrderQuote: '100',
          defaultTakeProfitPercent: '1.5',
        },
      }),
    );
    const bobsOwn = await add(BOB, 'Bob main');
    const alice = await listExchangeAccounts(deps, ALICE);
    const bob = await listExchangeAccounts(deps, BOB);
    expect(alice.items.length).toBeGreaterThanOrEqual(3);
    expect(bob.items.map((a) => a.accountId)).toEqual([bobsOwn.accountId]);
    expect(alice.items.map((a) => a.accountId)).not.toContain(bobsOwn.accountId);
    expect(alice.egressIps).toEqual(['203.0.113.10', '203.0.113.11']);
    const text = JSON.stringify([alice, bob]);
    expect(text).not.toContain('sealed');
    expect(text).not.toContain('ciphertext');
    expect(text).not.toContain(binance.apiKey);
  });

  it("BOLA: Bob cannot remove Alice's account; it and its key stay", async () => {
    const victim = (await listExchangeAccounts(deps, ALICE)).items[0];
    expect(victim).toBeDefined();
    if (!victim) return;
    await expect(removeExchangeAccount(deps, BOB, victim.accountId)).rejects.toBeInstanceOf(
      ExchangeAccountNotFound,
    );
    expect(await rawItem(keys.account(ALICE, victim.accountId))).toBeDefined();
    expect(await rawItem(keys.exchangeKey(ALICE, victim.accountId))).toBeDefined();
  });

  it('does not remove a paper account through this path', async () => {
    await expect(removeExchangeAccount(deps, BOB, 'acc-bob-paper')).rejects.toBeInstanceOf(
      ExchangeAccountNotFound,
    );
    expect(await rawItem(keys.account(BOB, 'acc-bob-paper'))).toBeDefined();
  });

  it('removes the account and its sealed key together, audits it, and a second removal is not found', async () => {
    const added = await add(ALICE, 'To remove');
    await removeExchangeAccount(deps, ALICE, added.accountId, { ip: '198.51.100.8' });
    expect(await rawItem(keys.account(ALICE, added.accountId))).toBeUndefined();
    expect(await rawItem(keys.exchangeKey(ALICE, added.accountId))).toBeUndefined();
    const { items } = await deps.audit.listForUser(ALICE, { limit: 50 });
    expect(items.find((e) => e.type === 'exchange-key.removed')).toMatchObject({
      ip: '198.51.100.8',
      details: { accountId: added.accountId, exchange: 'binance', maskedKey: added.maskedKey },
    });
    await expect(removeExchangeAccount(deps, ALICE, added.accountId)).rejects.toBeInstanceOf(
      ExchangeAccountNotFound,
    );
  });
});
