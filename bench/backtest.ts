// Backtest throughput: one year of synthetic 1-minute candles (525,600) through the whole backtester
// (signal source → DCA deal reducer → paper engine → equity and metrics) with the 'always' strategy
// and a typical DCA (BO 10, SO 20, dev 1 %, step scale 1.2, volume scale 1.5, 5 safety orders, TP
// 1.5 %), on one core. The candles are written as CSV text first and parsed by parseCandleCsv, timed
// on its own; the replay's figures exclude it. Run alone with `npx tsx bench/backtest.ts`.
//
// The generator (seeded mulberry32, so every run replays the same year): the price follows regimes
// drawn one after another, each lasting 6 hours to 3 days: trend up, trend down (a drift of up to
// ±3 % a day) or range (mean reversion towards the price the range started at), each with its own
// volatility (calm, normal or wild: 0.03 %, 0.08 % or 0.25 % per minute). About once every 3 days
// the feed has a gap (30 minutes to 6 hours without candles, as in exchange downtime) and the first
// candle after it opens away from the last close.
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { DEFAULT_DCA } from '../shared/core/backtest/backtest-args.js';
import { parseCandleCsv } from '../shared/core/backtest/candle-csv.js';
import { runBacktest } from '../shared/core/backtest/run-backtest.js';
import { signalSource } from '../shared/core/backtest/signal-sources.js';
import { dcaParametersSchema } from '../shared/core/dca/params.js';
import type { CandleSeries } from '../shared/core/paper/candle-series.js';
import { mulberry32 } from './seeded-random.js';

const MINUTE = 60_000;

/** `count` one-minute candles as CSV text (header included), by the regime generator above. */
export function syntheticCandleCsv(count: number, seed = 7, startPrice = 40_000): string {
  const random = mulberry32(seed);
  const normal = () => (random() + random() + random() + random() - 2) * 1.732; // ≈ N(0, 1)
  const rows: string[] = ['timestamp_ms,open,high,low,close,volume'];
  let time = Date.UTC(2025, 0, 1);
  let close = startPrice;
  let regimeLeft = 0;
  let drift = 0;
  let reversion = 0;
  let anchor = close;
  let vol = 0.0008;
  for (let i = 0; i < count; i++) {
    if (regimeLeft-- <= 0) {
      regimeLeft = 360 + Math.floor(random() * 4000);
      const kind = random();
      const dailyDrift = (0.005 + random() * 0.025) / 1440;
      drift = kind < 0.3 ? dailyDrift : kind < 0.6 ? -dailyDrift : 0;
      reversion = kind >= 0.6 ? 0.002 + random() * 0.01 : 0;
      anchor = close;
      const calm = random();
      vol = calm < 0.3 ? 0.0003 : calm < 0.85 ? 0.0008 : 0.0025;
    }
    let open = close;
    if (random() < 1 / 4320) {
      time += (30 + Math.floor(random() * 330)) * MINUTE; // feed gap
      open = close * (1 + normal() * 0.01);
    }
    const pull = reversion * Math.log(anchor / open);
    const next = open * Math.exp(drift + pull + vol * normal());
    const high = Math.max(open, next) * (1 + random() * vol);
    const low = Math.min(open, next) * (1 - random() * vol);
    close = +next.toFixed(2);
    rows.push(
      `${time},${open.toFixed(2)},${high.toFixed(2)},${low.toFixed(2)},${close.toFixed(2)},${(0.5 + random() * 40).toFixed(3)}`,
    );
    time += MINUTE;
  }
  return `${rows.join('\n')}\n`;
}

// The CLI's default DCA, so the bench measures what a plain `npm run backtest` runs.
const PARAMS = dcaParametersSchema.parse(DEFAULT_DCA);

function replay(series: CandleSeries) {
  const started = performance.now();
  const result = runBacktest({
    symbol: 'BTC/USDT',
    series,
    signal: signalSource('always'),
    params: PARAMS,
    rules: { tickSize: '0.01', amountStep: '0.00001', minNotional: '5', minAmount: '0.00001' },
    fees: { takerFeeRate: '0.001', makerFeeRate: '0.001', slippageBps: 5 },
    initialQuote: '10000',
  });
  return { seconds: (performance.now() - started) / 1000, result };
}

export function benchBacktest(options: { candles?: number; seed?: number; runs?: number } = {}) {
  const count = options.candles ?? 525_600;
  const generationStarted = performance.now();
  const csv = syntheticCandleCsv(count, options.seed ?? 7);
  const generationSeconds = (performance.now() - generationStarted) / 1000;
  const parseStarted = performance.now();
  const parsed = parseCandleCsv(csv);
  const parseSeconds = (performance.now() - parseStarted) / 1000;
  if (!parsed.ok) throw new Error(`synthetic CSV line ${parsed.problem.line}: ${parsed.problem.message}`);
  const runs = Array.from({ length: Math.max(1, options.runs ?? 3) }, () => replay(parsed.series));
  const sorted = [...runs].sort((a, b) => a.seconds - b.seconds);
  const median = sorted[Math.floor(sorted.length / 2)] ?? sorted[0];
  if (median === undefined) throw new Error('no run');
  const m = median.result.metrics;
  return {
    candles: count,
    seconds: median.seconds,
    candlesPerSecond: Math.round(count / median.seconds),
    deals: m.trades + m.openDeals,
    firstRunSeconds: runs[0]?.seconds ?? median.seconds,
    ordersPlaced: median.result.ordersPlaced,
    fills: median.result.fills,
    netPnlPercent: m.netPnlPercent,
    buyAndHoldPercent: m.buyAndHoldPercent,
    maxDrawdownPercent: m.maxDrawdownPercent,
    generationSeconds,
    /** parseCandleCsv() of the whole year's text: outside the replay figures. */
    parseSeconds,
  };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  console.log(JSON.stringify(benchBacktest(), null, 2));
}
