// The one place that imports ccxt. Its package entry pulls in every exchange it supports (about
// 6 MB bundled); its `exports` map hides the per-exchange files, so they are imported by path. Each
// Lambda then carries only these four exchanges (about 1.4 MB). bench/function-bundles.ts measures it.
import binance from '../../../node_modules/ccxt/js/src/binance.js';
import bybit from '../../../node_modules/ccxt/js/src/bybit.js';
import krakenfutures from '../../../node_modules/ccxt/js/src/krakenfutures.js';
import phemex from '../../../node_modules/ccxt/js/src/phemex.js';

export type { Exchange as CcxtExchange } from '../../../node_modules/ccxt/js/src/base/Exchange.js';
export * as ccxtErrors from '../../../node_modules/ccxt/js/src/base/errors.js';
export type {
  Balances as CcxtBalances,
  MarketInterface as CcxtMarket,
  OHLCV as CcxtOhlcv,
  Order as CcxtOrder,
  Ticker as CcxtTicker,
  Trade as CcxtTrade,
} from '../../../node_modules/ccxt/js/src/base/types.js';

export const ccxtClasses = { binance, bybit, phemex, krakenfutures };
