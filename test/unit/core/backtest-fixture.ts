// The real-data backtest both the loop tests and the exit-safety tests run: the repository's
// BTC/USDT 5-minute fixture, a tight DCA that fills often, Binance-like rules and costs.
import { readFileSync } from 'node:fs';
import { parseCandleCsv } from '../../../shared/core/backtest/candle-csv.js';
import type { BacktestOptions } from '../../../shared/core/backtest/run-backtest.js';
import { signalSource } from '../../../shared/core/backtest/signal-sources.js';
import { type DcaParametersInput, dcaParametersSchema } from '../../../shared/core/dca/params.js';
import type { CandleSeries } from '../../../shared/core/paper/candle-series.js';

export function btcFixtureSeries(): CandleSeries {
  const parsed = parseCandleCsv(readFileSync('test/fixtures/market/BTC_USDT-5m.csv', 'utf8'));
  if (!parsed.ok) throw new Error(parsed.problem.message);
  return parsed.series;
}

export function btcFixtureOptions(
  series: CandleSeries,
  dca: Partial<DcaParametersInput> = {},
): BacktestOptions {
  return {
    symbol: 'BTC/USDT',
    series,
    signal: signalSource('always'),
    params: dcaParametersSchema.parse({
      side: 'long',
      baseOrderQuote: '10',
      safetyOrderQuote: '20',
      priceDeviationPercent: '0.5',
      stepScale: '1.2',
      volumeScale: '1.5',
      maxSafetyOrders: 5,
      takeProfitPercent: '0.5',
      stopLossPercent: '5',
      ...dca,
    }),
    rules: { tickSize: '0.01', amountStep: '0.00001', minNotional: '5', minAmount: '0.00001' },
    fees: { takerFeeRate: '0.001', makerFeeRate: '0.001', slippageBps: 5 },
    initialQuote: '1000',
  };
}
