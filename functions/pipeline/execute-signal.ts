// Execution queue consumer (FIFO, one group per account): opens the signal's position on the account.
// Paper accounts trade on the paper exchange; exchange accounts through the ccxt gateway, with the
// account's API key opened from its sealed item for this one message and never logged.
import { documentClientFor } from '../../shared/adapters/clients.js';
import { DynamoTradingAccountRepository } from '../../shared/adapters/dynamodb/account-repositories.js';
import { DynamoExchangeAccountRepository } from '../../shared/adapters/dynamodb/exchange-account-repository.js';
import { DynamoPositionRepository } from '../../shared/adapters/dynamodb/position-repository.js';
import { DynamoSignalRepository } from '../../shared/adapters/dynamodb/signal-repository.js';
import { createExchangeGateway } from '../../shared/adapters/exchanges/gateway-factory.js';
import { PaperExchange } from '../../shared/adapters/paper/paper-exchange.js';
import { paperPriceSourceFor } from '../../shared/adapters/paper/paper-price-source.js';
import { secretBoxFor } from '../../shared/adapters/security/secret-box-for.js';
import { credentialsForAccount } from '../../shared/app/exchange-accounts/exchange-credentials.js';
import { executionCommandSchema } from '../../shared/app/messages.js';
import { openPositionForSignal } from '../../shared/app/open-position.js';
import { queueHandler } from '../../shared/http/queue-handler.js';
import { createLogger } from '../../shared/observability/logger.js';
import { systemClock } from '../../shared/ports/clock.js';
import type { ExchangeGateway } from '../../shared/ports/exchange-gateway.js';
import type { TradingAccount } from '../../shared/ports/repositories.js';
import { readFunctionEnv, SECRET_BOX_ENV } from '../../shared/wiring/function-environment.js';
import { functionById } from '../../shared/wiring/manifest.js';

const fn = functionById('ExecuteSignal');
const env = readFunctionEnv(fn, [
  'TABLE_NAME',
  'EXECUTION_QUEUE_URL',
  'PAPER_MARKET_DIR',
  'PAPER_REPLAY_SPEED',
  'EXCHANGE_BASE_URLS',
  ...SECRET_BOX_ENV,
]);
const logger = createLogger(fn.id);
const db = documentClientFor(env);
const market = paperPriceSourceFor(env);
const keyDeps = {
  keys: new DynamoExchangeAccountRepository(db, env.TABLE_NAME),
  secretBox: secretBoxFor(env),
};

async function exchangeFor(account: TradingAccount): Promise<ExchangeGateway> {
  if (account.exchange === 'paper') {
    return new PaperExchange({ db, tableName: env.TABLE_NAME, market, clock: systemClock }, account);
  }
  const credentials = await credentialsForAccount(keyDeps, account);
  const baseUrl = env.EXCHANGE_BASE_URLS?.[account.exchange];
  return createExchangeGateway({
    exchange: account.exchange,
    mode: account.mode,
    credentials,
    ...(baseUrl === undefined ? {} : { baseUrl }),
  });
}

const deps = {
  signals: new DynamoSignalRepository(db, env.TABLE_NAME),
  accounts: new DynamoTradingAccountRepository(db, env.TABLE_NAME),
  positions: new DynamoPositionRepository(db, env.TABLE_NAME),
  clock: systemClock,
};

export const handler = queueHandler(logger, executionCommandSchema, async (command) => {
  // One gateway per message: the key is opened (one KMS Decrypt) once for the message and its
  // plaintext is dropped with the gateway when the message is done.
  const gateways = new Map<string, Promise<ExchangeGateway>>();
  const perMessage = (account: TradingAccount) => {
    const id = `${account.userId}|${account.accountId}`;
    let gateway = gateways.get(id);
    if (!gateway) {
      gateway = exchangeFor(account);
      gateways.set(id, gateway);
    }
    return gateway;
  };
  const result = await openPositionForSignal({ ...deps, exchangeFor: perMessage }, command);
  logger.info('execution finished', {
    correlationId: command.signalKey,
    accountId: command.accountId,
    ...result,
  });
});
