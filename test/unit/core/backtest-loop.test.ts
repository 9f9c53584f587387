import { describe, expect, it } from 'vitest';
import { type BacktestOptions, runBacktest } from '../../../shared/core/backtest/run-backtest.js';
import { type SignalSource, signalSource } from '../../../shared/core/backtest/signal-sources.js';
import { type DcaParametersInput, dcaParametersSchema } from '../../../shared/core/dca/params.js';
import { type CandleSeries, candleSeries } from '../../../shared/core/paper/candle-series.js';
import { btcFixtureOptions, btcFixtureSeries } from './backtest-fixture.js';

const HOUR = 3_600_000;
const T0 = Date.UTC(2024, 0, 1);

/** [open, high, low, close] per hourly bar, volume large enough that no limit is capped. */
function bars(...ohlc: ReadonlyArray<readonly [number, number, number, number]>): CandleSeries {
  return candleSeries(
    ohlc.map(([open, high, low, close], i) => ({
      openTime: T0 + i * HOUR,
      open: String(open),
      high: String(high),
      low: String(low),
      close: String(close),
      volume: '100000',
    })),
  );
}

/** Fires on the listed bars only. */
const onBars = (...indices: number[]): SignalSource => {
  let i = -1;
  return { name: 'always', update: () => indices.includes(++i) };
};

function options(
  series: CandleSeries,
  dca: Partial<DcaParametersInput>,
  over: Partial<BacktestOptions> = {},
) {
  const params = dcaParametersSchema.parse({
    side: 'long',
    baseOrderQuote: '100',
    takeProfitPercent: '1',
    ...dca,
  });
  return {
    symbol: 'X/USDT',
    series,
    signal: onBars(0),
    params,
    rules: { tickSize: '0.01', amountStep: '0.001', minNotional: '1', minAmount: '0.001' },
    fees: { takerFeeRate: '0.001', makerFeeRate: '0.001', slippageBps: 0 },
    initialQuote: '1000',
    ...over,
  } satisfies BacktestOptions;
}

describe('backtest loop', () => {
  it('takes profit after one safety order, with the numbers of a hand-worked deal', () => {
    // Bar 0 closes at 100: the base order buys 100 USDT at 100 → 1.000 X, fee 0.1.
    // The safety order rests at 98 (−2 %): 200/98 = 2.0408… floored to 2.040 X (199.92 USDT).
    // Bar 1 dips to 97.5: it fills (fee 0.19992). Average = 299.92 / 3.04 = 98.6578947…;
    // TP = 98.6578947… × 1.01 = 99.6444736… → up to the tick: 99.65, for 3.040 X.
    // Bar 2 reaches 99.7: the TP fills: 3.04 × 99.65 = 302.936, fee 0.302936.
    // PnL = 302.936 − 0.302936 − (299.92 + 0.1 + 0.19992) = 2.413144.
    const series = bars(
      [100, 100, 100, 100],
      [100, 100.5, 97.5, 99],
      [99, 99.7, 98.8, 99.5],
      [99.5, 99.6, 99.4, 99.5],
    );
    const result = runBacktest(
      options(series, { safetyOrderQuote: '200', priceDeviationPercent: '2', maxSafetyOrders: 1 }),
    );
    expect(result.deals).toHaveLength(1);
    expect(result.deals[0]).toMatchObject({
      dealId: 'd1',
      status: 'closed',
      closeReason: 'take-profit',
      openedAt: T0 + HOUR, // bar 0's close
      closedAt: T0 + 3 * HOUR, // during bar 2, stamped at its close
      amount: '3.04',
      invested: '299.92',
      exitPrice: '99.65',
      realizedPnl: '2.413144',
      fees: '0.602856',
      safetyOrdersFilled: 1,
    });
    expect(result.metrics).toMatchObject({ trades: 1, wins: 1, losses: 0, exposurePercent: 50 });
    expect(result.equity[3]).toBeCloseTo(1002.413144, 9); // all quote again
    // Bar 1's close: 1000 − 300.21992 (spent with fees) + 3.04 × 99 (held, at the close) = 1000.74008.
    expect(result.equity[1]).toBeCloseTo(1000.74008, 9);
  });

  it('fills the base order at the signal bar’s close moved by slippage, never at a later bar', () => {
    const series = bars([100, 101, 99, 100], [120, 125, 119, 121]);
    const result = runBacktest(
      options(series, {}, { fees: { takerFeeRate: '0', makerFeeRate: '0', slippageBps: 10 } }),
    );
    // 100 × 1.001 = 100.1; 100 / 100.1 = 0.999000… → 0.999 X for 99.9999 USDT.
    expect(result.deals[0]).toMatchObject({ averageEntry: '100.1', amount: '0.999', invested: '99.9999' });
  });

  it('lets the stop-loss fill when one bar touches both the stop-loss and the take-profit', () => {
    // Base 1.000 X at 100; TP 102 above, SL 97 below. Bar 1 is red (open 100, close 99) and spans
    // 96..103: by colour the high would come first, but a long's adverse extreme comes first: low.
    const series = bars([100, 100, 100, 100], [100, 103, 96, 99], [99, 99, 99, 99]);
    const result = runBacktest(
      options(series, { takeProfitPercent: '2', stopLossPercent: '3', maxSafetyOrders: 0 }),
    );
    expect(result.deals[0]).toMatchObject({
      closeReason: 'stop-loss',
      exitPrice: '97',
      realizedPnl: '-3.197', // 97 − 0.097 − 100 − 0.1
    });
    expect(result.metrics).toMatchObject({ wins: 0, losses: 1 });
  });

  it('waits out the cooldown after a deal closes before opening the next', () => {
    // TP 1 % = 101: hit by bar 1. Cooldown 2 h: bar 1 closes the deal at its close (T0 + 2 h);
    // entries are allowed from T0 + 4 h, i.e. bar 3's close, not bar 2's.
    const series = bars(
      [100, 100, 100, 100],
      [100, 101.5, 99.5, 101],
      [101, 101, 101, 101],
      [101, 101, 101, 101],
      [101, 101, 101, 101],
    );
    const result = runBacktest(
      options(series, { maxSafetyOrders: 0, cooldownSeconds: 7200 }, { signal: signalSource('always') }),
    );
    expect(result.deals.map((d) => d.openedAt)).toEqual([T0 + HOUR, T0 + 4 * HOUR]);
    expect(result.metrics.openDeals).toBe(1);
  });

  it('counts refused entries and backs off instead of retrying every bar', () => {
    const series = bars(...Array.from({ length: 20 }, () => [100, 100, 100, 100] as const));
    const result = runBacktest(options(series, {}, { initialQuote: '50', signal: signalSource('always') }));
    expect(result.deals).toHaveLength(0);
    // Backoff 1, 2, 4, 8 bars: tries at bars 0, 1, 3, 7, 15.
    expect(result.refusedEntries).toBe(5);
    expect(result.firstRefusal).toContain('insufficient-funds');
  });

  const real = btcFixtureSeries();
  const realOptions = (series: CandleSeries) => btcFixtureOptions(series);
  const realRun = (series: CandleSeries) => runBacktest(realOptions(series));

  it('accounts for every fill when stops, safety orders and take-profits race inside one bar', () => {
    // Tight levels on 5-minute bars (the ladder anchored at the base order's slipped fill): a bar
    // often fills a safety order, the old stop and (at its close) the new take-profit, and the deal
    // cancels orders that had already filled.
    const result = runBacktest(
      btcFixtureOptions(real, {
        priceDeviationPercent: '0.2',
        takeProfitPercent: '0.2',
        stopLossPercent: '0.3',
      }),
    );
    const closed = result.deals.filter((d) => d.closedAt !== null);
    expect(closed.reduce((n, d) => n + d.lateFills, 0)).toBeGreaterThan(0);
    expect(new Set(closed.map((d) => d.closeReason))).toEqual(new Set(['take-profit', 'stop-loss']));
    // Nothing leaks: the account's base is the open deal's plus the dust closed deals reported, and
    // net PnL = realized PnL of closed deals + the open deal marked at the last close.
    const dust = closed.reduce((sum, d) => sum + Number(d.dust ?? 0), 0);
    expect(result.leftoverBase).toBeCloseTo(dust, 9);
    const open = result.deals.filter((d) => d.closedAt === null);
    const unrealized = open.reduce(
      (sum, d) => sum + Number(d.amount) * result.lastClose - Number(d.invested) - Number(d.fees),
      0,
    );
    expect(open.every((d) => d.exitPrice === null)).toBe(true);
    // Dust is booked in realized PnL at its full cost, and it is still held: the equity counts it
    // at the last close, so net = realized + unrealized + the leftover dust's value.
    expect(result.metrics.netPnlQuote).toBeCloseTo(
      result.metrics.realizedPnlQuote + unrealized + result.leftoverBase * result.lastClose,
      6,
    );
  });

  it('is deterministic: two runs give the same trades JSON and equity curve', () => {
    const a = realRun(real);
    const b = realRun(real);
    expect(a.deals.length).toBeGreaterThan(5);
    expect(JSON.stringify(b.deals)).toBe(JSON.stringify(a.deals));
    expect(Array.from(b.equity)).toEqual(Array.from(a.equity));
  });

  it('decides nothing with future bars: a run cut at bar k agrees with the full run up to k', () => {
    const k = 1200;
    const cut = candleSeries(real.candles.slice(0, k));
    const full = realRun(real);
    const part = realRun(cut);
    expect(Array.from(part.equity)).toEqual(Array.from(full.equity.subarray(0, k)));
    const closed = part.deals.filter((d) => d.closedAt !== null);
    expect(closed.length).toBeGreaterThan(0);
    expect(JSON.stringify(closed)).toBe(JSON.stringify(full.deals.slice(0, closed.length)));
  });
});
