// Every exchange the platform trades on, by id.
import { binanceProfile } from './binance-profile.js';
import { bybitProfile } from './bybit-profile.js';
import type { ExchangeId, ExchangeProfile } from './exchange-profile.js';
import { krakenFuturesProfile } from './krakenfutures-profile.js';
import { phemexProfile } from './phemex-profile.js';

export const PROFILES: Readonly<Record<ExchangeId, ExchangeProfile>> = {
  binance: binanceProfile,
  bybit: bybitProfile,
  phemex: phemexProfile,
  krakenfutures: krakenFuturesProfile,
};
