// Where the bots get their bars, decided like the paper market's prices (paper-price-source.ts): the
// replayed files when the stage has them (the local run), otherwise Binance's public candles through
// the exchange gateway (the cloud; no key), cached in memory and in the table.
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Env } from '../../config/env.js';
import type { MarketData } from '../../ports/market-data.js';
import { replayMarketFor } from '../clients.js';
import { DynamoCandleStore } from '../dynamodb/candle-store.js';
import { createExchangeGateway } from '../exchanges/gateway-factory.js';
import { ExchangeMarketData } from './exchange-market-data.js';
import { ReplayMarketData } from './replay-market-data.js';

export function marketDataFor(
  env: Pick<Env, 'PAPER_MARKET_DIR' | 'PAPER_REPLAY_SPEED' | 'EXCHANGE_BASE_URLS' | 'TABLE_NAME'>,
  db: DynamoDBDocumentClient,
  cloudSymbols: readonly string[],
): MarketData {
  const replay = replayMarketFor(env);
  if (replay) return new ReplayMarketData(replay, env.PAPER_REPLAY_SPEED);
  const baseUrl = env.EXCHANGE_BASE_URLS?.binance;
  const gateway = createExchangeGateway({
    exchange: 'binance',
    mode: 'live',
    ...(baseUrl ? { baseUrl } : {}),
  });
  return new ExchangeMarketData(gateway, new DynamoCandleStore(db, env.TABLE_NAME), 'binance', {
    symbols: cloudSymbols,
  });
}
