// Execution queue consumer (FIFO, one group per account): opens the signal's position on the account.
import { documentClientFor } from '../../shared/adapters/clients.js';
import { DynamoTradingAccountRepository } from '../../shared/adapters/dynamodb/account-repositories.js';
import { DynamoPositionRepository } from '../../shared/adapters/dynamodb/position-repository.js';
import { DynamoSignalRepository } from '../../shared/adapters/dynamodb/signal-repository.js';
import { PaperExchange } from '../../shared/adapters/paper/paper-exchange.js';
import { paperPriceSourceFor } from '../../shared/adapters/paper/paper-price-source.js';
import { executionCommandSchema } from '../../shared/app/messages.js';
import { openPositionForSignal } from '../../shared/app/open-position.js';
import { queueHandler } from '../../shared/http/queue-handler.js';
import { createLogger } from '../../shared/observability/logger.js';
import { systemClock } from '../../shared/ports/clock.js';
import type { TradingAccount } from '../../shared/ports/repositories.js';
import { readFunctionEnv } from '../../shared/wiring/function-environment.js';
import { functionById } from '../../shared/wiring/manifest.js';

const fn = functionById('ExecuteSignal');
const env = readFunctionEnv(fn, [
  'TABLE_NAME',
  'EXECUTION_QUEUE_URL',
  'PAPER_MARKET_DIR',
  'PAPER_REPLAY_SPEED',
  'EXCHANGE_BASE_URLS',
]);
const logger = createLogger(fn.id);
const db = documentClientFor(env);
const market = paperPriceSourceFor(env);
const deps = {
  signals: new DynamoSignalRepository(db, env.TABLE_NAME),
  accounts: new DynamoTradingAccountRepository(db, env.TABLE_NAME),
  positions: new DynamoPositionRepository(db, env.TABLE_NAME),
  clock: systemClock,
  // Demo (paper) accounts only until exchange keys are stored (the accounts issue); the ccxt
  // gateways for live accounts are built with createExchangeGateway from the decrypted key then.
  exchangeFor: (account: TradingAccount) =>
    new PaperExchange({ db, tableName: env.TABLE_NAME, market, clock: systemClock }, account),
};

export const handler = queueHandler(logger, executionCommandSchema, async (command) => {
  const result = await openPositionForSignal(deps, command);
  logger.info('execution finished', {
    correlationId: command.signalKey,
    accountId: command.accountId,
    ...result,
  });
});
