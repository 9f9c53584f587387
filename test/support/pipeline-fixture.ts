// Shared setup for the pipeline's integration tests: repositories, the queue publisher, a queue
// drain, and the paper exchange on the replayed fixture market, all on one test's LocalServices.

import { resolve } from 'node:path';
import { ReceiveMessageCommand } from '@aws-sdk/client-sqs';
import { DynamoTradingAccountRepository } from '../../shared/adapters/dynamodb/account-repositories.js';
import { DynamoKillSwitchRepository } from '../../shared/adapters/dynamodb/admin-repositories.js';
import { DynamoPositionRepository } from '../../shared/adapters/dynamodb/position-repository.js';
import { DynamoSignalRepository } from '../../shared/adapters/dynamodb/signal-repository.js';
import { fundPaperAccount, PaperExchange } from '../../shared/adapters/paper/paper-exchange.js';
import { ReplayMarket } from '../../shared/adapters/paper/replay-market.js';
import { SqsQueuePublisher } from '../../shared/adapters/sqs/queue-publisher.js';
import type { ExecutionCommand } from '../../shared/app/messages.js';
import { dec } from '../../shared/core/money/decimal.js';
import { type Signal, signalSchema } from '../../shared/core/signals/signal.js';
import type { ExchangeGateway } from '../../shared/ports/exchange-gateway.js';
import type { TradingAccount } from '../../shared/ports/repositories.js';
import type { LocalServices } from './local-services.js';

export const market = new ReplayMarket(resolve('test/fixtures/market'), 60);
export const clock = { now: () => new Date('2026-11-25T10:00:00Z') };

export function pipelineOn(services: LocalServices) {
  const repos = () => ({
    signals: new DynamoSignalRepository(services.db, services.tableName),
    accounts: new DynamoTradingAccountRepository(services.db, services.tableName),
    positions: new DynamoPositionRepository(services.db, services.tableName),
    killSwitch: new DynamoKillSwitchRepository(services.db, services.tableName),
  });
  const publisher = () => new SqsQueuePublisher(services.sqs, services.queueUrls);
  const exchangeFor = (account: TradingAccount): ExchangeGateway =>
    new PaperExchange({ db: services.db, tableName: services.tableName, market, clock }, account);

  /** Everything in the queue now, left invisible so a later drain sees only new messages. */
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

  /** Stores the accounts and funds each paper account. */
  async function openAccounts(accounts: readonly TradingAccount[], usdt = '1000'): Promise<void> {
    for (const a of accounts) {
      await repos().accounts.put(a);
      await fundPaperAccount(services.db, services.tableName, a, { USDT: usdt });
    }
  }

  return { repos, publisher, exchangeFor, drain, openAccounts };
}

export type Pipeline = ReturnType<typeof pipelineOn>;

export function paperAccount(
  userId: string,
  accountId: string,
  overrides: Partial<TradingAccount> = {},
): TradingAccount {
  return {
    userId,
    accountId,
    exchange: 'paper',
    mode: 'demo',
    label: accountId,
    autoTrade: true,
    baseOrderQuote: '100',
    defaultTakeProfitPercent: '1',
    ...overrides,
  };
}

/** A long BTC/USDT market signal, target 1 % above and stop 1 % below the replayed price at `clock`. */
export function houseSignal(id: string, overrides: Partial<Signal> = {}): Signal {
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

/** The command fan-out would send for this house signal and account. */
export function commandFor(
  signalId: string,
  account: Pick<TradingAccount, 'userId' | 'accountId'>,
): ExecutionCommand {
  return {
    commandId: `house:${signalId}|${account.userId}|${account.accountId}`,
    signalKey: `house:${signalId}`,
    userId: account.userId,
    accountId: account.accountId,
  };
}

/** A real gateway with some calls replaced: to inject a lost reply or a refusal in front of it. */
export function gatewayWith(real: ExchangeGateway, overrides: Partial<ExchangeGateway>): ExchangeGateway {
  const delegated: ExchangeGateway = {
    loadMarkets: () => real.loadMarkets(),
    marketRules: (s) => real.marketRules(s),
    fetchTicker: (s) => real.fetchTicker(s),
    fetchOhlcv: (s, timeframe, since, limit) => real.fetchOhlcv(s, timeframe, since, limit),
    fetchBalances: () => real.fetchBalances(),
    createOrder: (request) => real.createOrder(request),
    fetchOrderByClientId: (s, id) => real.fetchOrderByClientId(s, id),
    fetchOrder: (s, ref) => real.fetchOrder(s, ref),
    cancelOrder: (s, ref) => real.cancelOrder(s, ref),
    fetchOpenOrders: (s) => real.fetchOpenOrders(s),
    fetchFillsSince: (s, since) => real.fetchFillsSince(s, since),
    setLeverage: (s, leverage, marginMode) => real.setLeverage(s, leverage, marginMode),
    keyPermissions: () => real.keyPermissions(),
  };
  return { ...delegated, ...overrides };
}
