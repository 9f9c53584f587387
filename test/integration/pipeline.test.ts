// The signal pipeline's services against DynamoDB Local and fauxqs: ingest stores once and enqueues,
// fan-out sends one command per auto-trading account, execution opens each position exactly once,
// even when it dies half-way and runs again.
import { resolve } from 'node:path';
import { ReceiveMessageCommand } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoTradingAccountRepository } from '../../shared/adapters/dynamodb/account-repositories.js';
import {
  DynamoPositionRepository,
  InvalidCursor,
} from '../../shared/adapters/dynamodb/position-repository.js';
import { DynamoSignalRepository } from '../../shared/adapters/dynamodb/signal-repository.js';
import { fundPaperAccount, PaperExchange } from '../../shared/adapters/paper/paper-exchange.js';
import { ReplayMarket } from '../../shared/adapters/paper/replay-market.js';
import { SqsQueuePublisher } from '../../shared/adapters/sqs/queue-publisher.js';
import { fanOutSignal } from '../../shared/app/fan-out-signal.js';
import { ingestSignal } from '../../shared/app/ingest-signal.js';
import { executionCommandSchema, signalQueuedSchema } from '../../shared/app/messages.js';
import { clientOrderIdFor, openPositionForSignal, positionIdFor } from '../../shared/app/open-position.js';
import { dec } from '../../shared/core/money/decimal.js';
import { positionFigures } from '../../shared/core/positions/position.js';
import { type Signal, signalSchema } from '../../shared/core/signals/signal.js';
import { Conflict } from '../../shared/http/errors.js';
import { ExchangeError, type ExchangeGateway } from '../../shared/ports/exchange-gateway.js';
import type { TradingAccount } from '../../shared/ports/repositories.js';
import { type LocalServices, startLocalServices } from '../support/local-services.js';

let services: LocalServices;
const market = new ReplayMarket(resolve('test/fixtures/market'), 60);
const clock = { now: () => new Date('2026-11-25T10:00:00Z') };

beforeAll(async () => {
  services = await startLocalServices();
});
afterAll(async () => {
  await services?.stop();
});

const repos = () => ({
  signals: new DynamoSignalRepository(services.db, services.tableName),
  accounts: new DynamoTradingAccountRepository(services.db, services.tableName),
  positions: new DynamoPositionRepository(services.db, services.tableName),
});
const publisher = () => new SqsQueuePublisher(services.sqs, services.queueUrls);

async function drain(queue: 'signals' | 'execution'): Promise<{ body: string; group?: string }[]> {
  const out: { body: string; group?: string }[] = [];
  for (;;) {
    const r = await services.sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: services.queueUrls[queue],
        MaxNumberOfMessages: 10,
        WaitTimeSeconds: 0,
        VisibilityTimeout: 600,
        MessageSystemAttributeNames: ['MessageGroupId'],
      }),
    );
    if (!r.Messages?.length) return out;
    for (const m of r.Messages) {
      const group = m.Attributes?.MessageGroupId;
      out.push({ body: m.Body ?? '', ...(group ? { group } : {}) });
    }
  }
}

function signal(id: string, overrides: Partial<Signal> = {}): Signal {
  const price = dec(market.candleAt('BTC/USDT', clock.now()).close);
  return signalSchema.parse({
    signalId: id,
    source: 'house',
    bot: 'manual',
    symbol: 'BTC/USDT',
    side: 'long',
    entry: { type: 'market' },
    targets: [{ price: price.times('1.01').round(2).toFixed() }],
    stopLoss: price.times('0.99').round(2).toFixed(),
    createdAt: '2026-11-25T10:00:00Z',
    ...overrides,
  });
}

describe('ingest', () => {
  it('stores a signal once and enqueues it once, however often it is posted', async () => {
    const deps = { ...repos(), queue: publisher(), clock };
    await drain('signals');
    const first = await ingestSignal(deps, signal('ing-1'));
    const second = await ingestSignal(deps, signal('ing-1'));
    expect(first).toEqual({ signalKey: 'house:ing-1', duplicate: false, status: 'enqueued' });
    expect(second).toEqual({ signalKey: 'house:ing-1', duplicate: true, status: 'enqueued' });
    const messages = await drain('signals');
    expect(messages.map((m) => signalQueuedSchema.parse(JSON.parse(m.body)))).toEqual([
      { signalKey: 'house:ing-1' },
    ]);
  });

  it('refuses the same id with other content as a conflict', async () => {
    const deps = { ...repos(), queue: publisher(), clock };
    await ingestSignal(deps, signal('ing-2'));
    await expect(ingestSignal(deps, signal('ing-2', { side: 'short' }))).rejects.toBeInstanceOf(Conflict);
  });

  it('enqueues again a signal stored earlier but never enqueued (the writer died in between)', async () => {
    const { signals } = repos();
    const s = signal('ing-3');
    await signals.putIfAbsent({
      signalKey: 'house:ing-3',
      signal: s,
      fingerprint: (await import('../../shared/app/ingest-signal.js')).fingerprintOf(s),
      status: 'received',
      receivedAt: clock.now().toISOString(),
    });
    await drain('signals');
    const result = await ingestSignal({ ...repos(), queue: publisher(), clock }, s);
    expect(result).toMatchObject({ duplicate: true, status: 'enqueued' });
    expect(await drain('signals')).toHaveLength(1);
  });
});

describe('fan-out and execution', () => {
  const accounts: TradingAccount[] = [
    {
      userId: 'u-a',
      accountId: 'acc-a',
      exchange: 'paper',
      mode: 'demo',
      label: 'A',
      autoTrade: true,
      baseOrderQuote: '100',
      defaultTakeProfitPercent: '1',
    },
    {
      userId: 'u-b',
      accountId: 'acc-b',
      exchange: 'paper',
      mode: 'demo',
      label: 'B',
      autoTrade: true,
      baseOrderQuote: '50',
      defaultTakeProfitPercent: '1',
    },
    {
      userId: 'u-c',
      accountId: 'acc-c',
      exchange: 'paper',
      mode: 'demo',
      label: 'C',
      autoTrade: false,
      baseOrderQuote: '50',
      defaultTakeProfitPercent: '1',
    },
  ];

  beforeAll(async () => {
    for (const a of accounts) {
      await repos().accounts.put(a);
      await fundPaperAccount(services.db, services.tableName, a, { USDT: '1000' });
    }
  });

  const exchangeFor = (account: TradingAccount): ExchangeGateway =>
    new PaperExchange({ db: services.db, tableName: services.tableName, market, clock }, account);

  it('sends one command per auto-trading account, grouped by account, and skips the others', async () => {
    const deps = { ...repos(), queue: publisher(), clock };
    await ingestSignal(deps, signal('fan-1'));
    await drain('execution');
    expect(await fanOutSignal(deps, 'house:fan-1')).toEqual({ commands: 2 });
    const messages = await drain('execution');
    const commands = messages.map((m) => ({
      ...executionCommandSchema.parse(JSON.parse(m.body)),
      group: m.group,
    }));
    expect(commands.map((c) => c.accountId).sort()).toEqual(['acc-a', 'acc-b']);
    for (const c of commands) expect(c.group).toBe(c.accountId);
    expect((await repos().signals.get('house:fan-1'))?.status).toBe('fanned-out');
  });

  it('opens a position with a filled base order and a resting take-profit, and a rerun changes nothing', async () => {
    const deps = { ...repos(), queue: publisher(), clock };
    await ingestSignal(deps, signal('exe-1'));
    const command = {
      commandId: 'house:exe-1|acc-a',
      signalKey: 'house:exe-1',
      userId: 'u-a',
      accountId: 'acc-a',
    };
    const run = { ...repos(), exchangeFor, clock };
    const first = await openPositionForSignal(run, command);
    expect(first).toMatchObject({ outcome: 'opened', status: 'open' });
    const again = await openPositionForSignal(run, command);
    expect(again).toMatchObject({ outcome: 'already-done' });
    const position = await repos().positions.get('u-a', positionIdFor(command.commandId));
    if (!position) throw new Error('position missing');
    expect(position.orders.map((o) => [o.kind, o.status])).toEqual([
      ['base', 'filled'],
      ['take-profit', 'open'],
    ]);
    const figures = positionFigures(position);
    expect(dec(figures.openAmount).gt(0)).toBe(true);
    expect(position.takeProfitPrice).toBe(signal('exe-1').targets[0]?.price);
  });

  it('after a lost reply from the exchange, the retry finds the order and places exactly one', async () => {
    const deps = { ...repos(), queue: publisher(), clock };
    await ingestSignal(deps, signal('exe-2'));
    const command = {
      commandId: 'house:exe-2|acc-b',
      signalKey: 'house:exe-2',
      userId: 'u-b',
      accountId: 'acc-b',
    };
    let sent = 0;
    // The exchange accepts the base order, then the reply is lost on the way back.
    const lossy = (account: TradingAccount): ExchangeGateway => {
      const real = exchangeFor(account);
      return {
        marketRules: (s) => real.marketRules(s),
        fetchTicker: (s) => real.fetchTicker(s),
        fetchBalances: () => real.fetchBalances(),
        fetchOrderByClientId: (s, id) => real.fetchOrderByClientId(s, id),
        createOrder: async (request) => {
          sent++;
          await real.createOrder(request);
          throw new Error('socket hang up');
        },
      };
    };
    await expect(openPositionForSignal({ ...repos(), exchangeFor: lossy, clock }, command)).rejects.toThrow(
      'socket hang up',
    );
    const retried = await openPositionForSignal({ ...repos(), exchangeFor, clock }, command);
    expect(retried).toMatchObject({ outcome: 'opened' });
    expect(sent).toBe(1);
    const positionId = positionIdFor(command.commandId);
    const base = await exchangeFor(accounts[1] as TradingAccount).fetchOrderByClientId(
      'BTC/USDT',
      clientOrderIdFor(positionId, 'b'),
    );
    expect(base?.status).toBe('filled');
    const position = await repos().positions.get('u-b', positionId);
    expect(position?.fills).toHaveLength(1);
    const usdt = (await exchangeFor(accounts[1] as TradingAccount).fetchBalances()).find(
      (b) => b.currency === 'USDT',
    );
    expect(dec(usdt?.free ?? '0').gt(900)).toBe(true); // charged for one base order of 50, not two
  });

  it('two concurrent runs of one command open one position with one base order', async () => {
    const deps = { ...repos(), queue: publisher(), clock };
    await ingestSignal(deps, signal('exe-3'));
    const command = {
      commandId: 'house:exe-3|acc-a',
      signalKey: 'house:exe-3',
      userId: 'u-a',
      accountId: 'acc-a',
    };
    const run = { ...repos(), exchangeFor, clock };
    const results = await Promise.allSettled([
      openPositionForSignal(run, command),
      openPositionForSignal(run, command),
    ]);
    // One may lose the version race (it would be retried by SQS); never two positions or two fills.
    expect(results.some((r) => r.status === 'fulfilled')).toBe(true);
    await openPositionForSignal(run, command);
    const position = await repos().positions.get('u-a', positionIdFor(command.commandId));
    expect(position?.fills).toHaveLength(1);
    expect(position?.orders).toHaveLength(2);
  });

  it('fails the position, without retrying, when the account cannot pay for the base order', async () => {
    const poor: TradingAccount = {
      ...accounts[0],
      userId: 'u-p',
      accountId: 'acc-p',
      baseOrderQuote: '5000',
    } as TradingAccount;
    await repos().accounts.put(poor);
    await fundPaperAccount(services.db, services.tableName, poor, { USDT: '10' });
    const deps = { ...repos(), queue: publisher(), clock };
    await ingestSignal(deps, signal('exe-4'));
    const command = {
      commandId: 'house:exe-4|acc-p',
      signalKey: 'house:exe-4',
      userId: 'u-p',
      accountId: 'acc-p',
    };
    const outcome = await openPositionForSignal({ ...repos(), exchangeFor, clock }, command);
    expect(outcome).toMatchObject({
      outcome: 'failed',
      reason: expect.stringContaining('insufficient-funds'),
    });
    expect((await repos().positions.get('u-p', positionIdFor(command.commandId)))?.status).toBe('failed');
  });

  it('lists positions only under their owner, and refuses a cursor forged from another user or malformed', async () => {
    const { positions } = repos();
    const mine = await positions.listForUser('u-a', { limit: 50 });
    expect(mine.items.length).toBeGreaterThan(0);
    expect(mine.items.every((p) => p.userId === 'u-a')).toBe(true);
    const forged = Buffer.from(JSON.stringify({ pk: 'USER#u-a', sk: 'POS#zzz' })).toString('base64url');
    await expect(positions.listForUser('u-b', { limit: 50, cursor: forged })).rejects.toBeInstanceOf(
      InvalidCursor,
    );
    await expect(positions.listForUser('u-b', { limit: 50, cursor: 'abc' })).rejects.toBeInstanceOf(
      InvalidCursor,
    );
    const extra = Buffer.from(JSON.stringify({ pk: 'USER#u-b', sk: 'POS#a', x: 1 })).toString('base64url');
    await expect(positions.listForUser('u-b', { limit: 50, cursor: extra })).rejects.toBeInstanceOf(
      InvalidCursor,
    );
  });
});

describe('execution refuses to open what it must not', () => {
  const exchangeFor = (account: TradingAccount): ExchangeGateway =>
    new PaperExchange({ db: services.db, tableName: services.tableName, market, clock }, account);
  const trader: TradingAccount = {
    userId: 'u-r',
    accountId: 'acc-r',
    exchange: 'paper',
    mode: 'demo',
    label: 'R',
    autoTrade: true,
    baseOrderQuote: '50',
    defaultTakeProfitPercent: '1',
  };

  beforeAll(async () => {
    await repos().accounts.put(trader);
    await fundPaperAccount(services.db, services.tableName, trader, { USDT: '1000' });
  });

  async function execute(s: Signal, options: { account?: TradingAccount; now?: Date } = {}) {
    const account = options.account ?? trader;
    await ingestSignal({ ...repos(), queue: publisher(), clock }, s);
    const command = {
      commandId: `house:${s.signalId}|${account.userId}|${account.accountId}`,
      signalKey: `house:${s.signalId}`,
      userId: account.userId,
      accountId: account.accountId,
    };
    const runClock = { now: () => options.now ?? clock.now() };
    const outcome = await openPositionForSignal({ ...repos(), exchangeFor, clock: runClock }, command);
    const stored = await repos().positions.get(account.userId, positionIdFor(command.commandId));
    return { outcome, stored };
  }

  it('skips an account whose auto-trading was switched off after fan-out, and opens nothing', async () => {
    const off = { ...trader, userId: 'u-off', accountId: 'acc-off', autoTrade: false };
    await repos().accounts.put(off);
    const { outcome, stored } = await execute(signal('ref-off'), { account: off });
    expect(outcome).toEqual({ outcome: 'skipped', reason: 'auto-trading is off for this account' });
    expect(stored).toBeNull();
  });

  it('skips a market signal executed more than ten minutes after it arrived', async () => {
    const late = new Date(clock.now().getTime() + 11 * 60_000);
    const { outcome, stored } = await execute(signal('ref-stale'), { now: late });
    expect(outcome).toMatchObject({ outcome: 'skipped', reason: expect.stringContaining('660 s old') });
    expect(stored).toBeNull();
  });

  it('never buys a limit entry at market', async () => {
    const price = dec(market.candleAt('BTC/USDT', clock.now()).close);
    const limit = signal('ref-limit', {
      entry: { type: 'limit', price: price.times('0.98').round(2).toFixed() },
      targets: [{ price: price.toFixed() }],
      stopLoss: price.times('0.9').round(2).toFixed(),
    });
    const { outcome, stored } = await execute(limit);
    expect(outcome).toEqual({ outcome: 'skipped', reason: 'limit entries are not executed yet' });
    expect(stored).toBeNull();
  });

  it('skips a market signal whose target is already below the market price for a long', async () => {
    const price = dec(market.candleAt('BTC/USDT', clock.now()).close);
    const behind = signal('ref-behind', {
      targets: [{ price: price.times('0.99').round(2).toFixed() }],
      stopLoss: undefined,
    });
    const { outcome, stored } = await execute(behind);
    expect(outcome).toMatchObject({
      outcome: 'skipped',
      reason: expect.stringContaining('must be above the entry'),
    });
    expect(stored).toBeNull();
  });

  it('skips a symbol the exchange does not list, without retrying', async () => {
    const { outcome, stored } = await execute(signal('ref-unlisted', { symbol: 'DOGE/USDT' }));
    expect(outcome).toMatchObject({ outcome: 'skipped', reason: expect.stringContaining('invalid-order') });
    expect(stored).toBeNull();
  });

  it('keeps the position open and records it unprotected when the exchange refuses its take-profit', async () => {
    const refusesLimits = (account: TradingAccount): ExchangeGateway => {
      const real = exchangeFor(account);
      return {
        marketRules: (s) => real.marketRules(s),
        fetchTicker: (s) => real.fetchTicker(s),
        fetchBalances: () => real.fetchBalances(),
        fetchOrderByClientId: (s, id) => real.fetchOrderByClientId(s, id),
        createOrder: async (request) => {
          if (request.type === 'limit')
            throw new ExchangeError('invalid-order', 'price outside the allowed band');
          return real.createOrder(request);
        },
      };
    };
    const s = signal('ref-tp');
    await ingestSignal({ ...repos(), queue: publisher(), clock }, s);
    const command = {
      commandId: `house:ref-tp|u-r|acc-r`,
      signalKey: 'house:ref-tp',
      userId: 'u-r',
      accountId: 'acc-r',
    };
    const outcome = await openPositionForSignal({ ...repos(), exchangeFor: refusesLimits, clock }, command);
    expect(outcome).toMatchObject({
      outcome: 'opened-unprotected',
      reason: 'invalid-order: price outside the allowed band',
    });
    const stored = await repos().positions.get('u-r', positionIdFor(command.commandId));
    expect(stored?.status).toBe('open');
    expect(stored?.orders.map((o) => [o.kind, o.status])).toEqual([
      ['base', 'filled'],
      ['take-profit', 'rejected'],
    ]);
    expect(stored?.events.some((e) => e.type === 'OrderRejected')).toBe(true);
  });
});

describe('signal status', () => {
  it('never moves backwards: a late "enqueued" does not overwrite "fanned-out"', async () => {
    const deps = { ...repos(), queue: publisher(), clock };
    await ingestSignal(deps, signal('st-1'));
    await repos().signals.markStatus('house:st-1', 'fanned-out', 3);
    await repos().signals.markStatus('house:st-1', 'enqueued');
    expect(await repos().signals.get('house:st-1')).toMatchObject({ status: 'fanned-out', fannedOutTo: 3 });
  });

  it('does not fan out a signal again once it has been fanned out', async () => {
    const deps = { ...repos(), queue: publisher(), clock };
    await ingestSignal(deps, signal('st-2'));
    await drain('execution');
    expect((await fanOutSignal(deps, 'house:st-2')).commands).toBeGreaterThan(0);
    await drain('execution');
    expect(await fanOutSignal(deps, 'house:st-2')).toEqual({ commands: 0 });
    expect(await drain('execution')).toEqual([]);
  });
});
