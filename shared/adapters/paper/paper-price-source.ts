// Where demo accounts get their prices: the replayed files when the stage has them (the local run),
// otherwise Binance's public 1-minute candles through the exchange gateway (the cloud; no key).
// Its own module, not clients.ts: it brings ccxt into the bundle, which only ExecuteSignal needs.
import type { Env } from '../../config/env.js';
import { replayMarketFor } from '../clients.js';
import { createExchangeGateway } from '../exchanges/gateway-factory.js';
import { PAPER_PUBLIC_SYMBOLS } from './paper-orders.js';
import type { PaperPriceSource } from './paper-prices.js';
import { PublicCandleSource } from './public-candles.js';

export function paperPriceSourceFor(
  env: Pick<Env, 'PAPER_MARKET_DIR' | 'PAPER_REPLAY_SPEED' | 'EXCHANGE_BASE_URLS'>,
): PaperPriceSource {
  const replay = replayMarketFor(env);
  if (replay) return replay;
  const baseUrl = env.EXCHANGE_BASE_URLS?.binance;
  const gateway = createExchangeGateway({
    exchange: 'binance',
    mode: 'live',
    ...(baseUrl ? { baseUrl } : {}),
  });
  return new PublicCandleSource(gateway, PAPER_PUBLIC_SYMBOLS);
}
