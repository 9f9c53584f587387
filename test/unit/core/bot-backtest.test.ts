import { describe, expect, it } from 'vitest';
import { holdoutStartIndex, runBotBacktest } from '../../../shared/core/backtest/bot-backtest.js';
import {
  BOT_COOLDOWN_SECONDS,
  barSeriesOfCandles,
  botSignalSource,
  exitOverride,
} from '../../../shared/core/backtest/bot-signal-source.js';
import type {
  BarSeries,
  BotContext,
  BotSignalIdea,
  BotStrategy,
  BotTimeframe,
} from '../../../shared/core/bots/bot-types.js';
import { TIMEFRAME_MS } from '../../../shared/core/bots/bot-types.js';
import { type CandleSeries, candleSeries } from '../../../shared/core/paper/candle-series.js';

const T0 = Date.UTC(2024, 0, 1);
const M5 = TIMEFRAME_MS['5m'];
const M15 = TIMEFRAME_MS['15m'];
const HOUR = TIMEFRAME_MS['1h'];

/** [open, high, low, close] per bar from T0 on a `barMs` grid, volume large enough never to cap a fill. */
function bars(barMs: number, ohlc: ReadonlyArray<readonly [number, number, number, number]>): CandleSeries {
  return candleSeries(
    ohlc.map(([open, high, low, close], i) => ({
      openTime: T0 + i * barMs,
      open: String(open),
      high: String(high),
      low: String(low),
      close: String(close),
      volume: '1000000',
    })),
  );
}

/** A seeded zig-zag walk around 100 (no two runs differ). */
function walk(barMs: number, count: number, start = 0): CandleSeries {
  let x = 100;
  let seed = 12345;
  const next = () => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    return seed / 2147483648;
  };
  const rows: [number, number, number, number][] = [];
  for (let i = 0; i < count + start; i++) {
    const open = x;
    x = Math.max(50, x * (1 + (next() - 0.5) * 0.01));
    const close = Number(x.toFixed(2));
    const high = Number((Math.max(open, close) * 1.001).toFixed(2));
    const low = Number((Math.min(open, close) * 0.999).toFixed(2));
    rows.push([Number(open.toFixed(2)), high, low, close]);
  }
  return bars(barMs, rows.slice(start));
}

/** Higher bars summed from the primary ones (k primary bars each), the last one only when complete. */
function aggregate(primary: CandleSeries, k: number, barMs: number): CandleSeries {
  const rows: [number, number, number, number][] = [];
  for (let i = 0; i + k <= primary.candles.length; i += k) {
    let high = 0;
    let low = Number.POSITIVE_INFINITY;
    for (let j = i; j < i + k; j++) {
      high = Math.max(high, primary.high[j] ?? 0);
      low = Math.min(low, primary.low[j] ?? 0);
    }
    rows.push([primary.open[i] ?? 0, high, low, primary.close[i + k - 1] ?? 0]);
  }
  return bars(barMs, rows);
}

interface Seen {
  readonly lastOpen: number;
  readonly length: number;
  readonly higherLastOpen: number | null;
  readonly higherLength: number;
}

/** A strategy that records what it was handed and answers with `decide`. */
function spy(
  decide: (ctx: BotContext) => BotSignalIdea | null,
  shape: {
    timeframe?: BotTimeframe;
    higherTimeframe?: BotTimeframe;
    lookback?: number;
    higherLookback?: number;
    name?: BotStrategy['name'];
  } = {},
) {
  const seen: Seen[] = [];
  const strategy: BotStrategy = {
    name: shape.name ?? 'scalping',
    timeframe: shape.timeframe ?? '5m',
    ...(shape.higherTimeframe === undefined ? {} : { higherTimeframe: shape.higherTimeframe }),
    lookback: shape.lookback ?? 20,
    ...(shape.higherLookback === undefined ? {} : { higherLookback: shape.higherLookback }),
    evaluate(ctx) {
      const h = ctx.higher;
      seen.push({
        lastOpen: ctx.primary.openTime[ctx.primary.length - 1] ?? Number.NaN,
        length: ctx.primary.length,
        higherLastOpen: h === undefined ? null : (h.openTime[h.length - 1] ?? Number.NaN),
        higherLength: h?.length ?? 0,
      });
      return decide(ctx);
    },
  };
  return { strategy, seen };
}

/** A long at the last close with a target and a stop at these fractions of it. */
const longIdea = (ctx: BotContext, up: number, down: number): BotSignalIdea => {
  const close = ctx.primary.close[ctx.primary.length - 1] ?? 0;
  return {
    side: 'long',
    entryPrice: close,
    targets: [{ price: close * (1 + up) }],
    stopLoss: close * (1 - down),
    confidence: 0.5,
    reason: 'test',
  };
};

const FEES = { takerFeeRate: '0.001', makerFeeRate: '0.001', slippageBps: 0 };
const RULES = { tickSize: '0.01', amountStep: '0.001', minNotional: '1', minAmount: '0.001' };

function run(
  strategy: BotStrategy,
  series: CandleSeries,
  extra: { higher?: BarSeries; holdoutFraction?: number } = {},
) {
  return runBotBacktest({
    strategy,
    symbol: 'X/USDT',
    series,
    rules: RULES,
    fees: FEES,
    initialQuote: '1000',
    baseOrderQuote: '100',
    holdoutFraction: extra.holdoutFraction ?? 1,
    ...(extra.higher === undefined ? {} : { higher: extra.higher }),
  });
}

describe('bot signal source: what the strategy is handed', () => {
  it('at replay bar b it sees exactly the lookback bars ending at primary bar offset + b, never later', () => {
    const series = walk(M5, 300);
    const primary = barSeriesOfCandles(series);
    const { strategy, seen } = spy(() => null, { lookback: 20 });
    const offset = 100;
    const source = botSignalSource({ strategy, symbol: 'X/USDT', primary, offset });
    for (let b = 0; b < 200; b++) {
      source.update(series.close[offset + b] ?? 0, b);
      const last = seen[seen.length - 1];
      expect(last?.lastOpen).toBe(primary.openTime[offset + b]);
      expect(last?.length).toBe(20);
    }
    expect(seen).toHaveLength(200);
    expect(source.stats.evaluations).toBe(200);
  });

  it('through the whole backtest, the last bar seen is the bar whose close the deal decision is stamped with', () => {
    const series = walk(M5, 400);
    const { strategy, seen } = spy(() => null, { lookback: 30 });
    const out = run(strategy, series, { holdoutFraction: 0.3 });
    const start = out.holdout.startIndex;
    expect(seen).toHaveLength(400 - start);
    seen.forEach((s, k) => {
      expect(s.lastOpen).toBe(series.candles[start + k]?.openTime);
    });
  });

  it('skips bars until lookback bars have closed', () => {
    const series = walk(M5, 50);
    const { strategy, seen } = spy(() => null, { lookback: 20 });
    const source = botSignalSource({ strategy, symbol: 'X/USDT', primary: barSeriesOfCandles(series) });
    for (let b = 0; b < 50; b++) source.update(0, b);
    expect(seen).toHaveLength(31); // bars 19..49
    expect(seen[0]?.lastOpen).toBe(T0 + 19 * M5);
    expect(source.stats.warmingBars).toBe(19);
  });

  it('hands only higher bars closed by the primary bar close: the latest closed one, never one in progress', () => {
    const series = walk(M5, 600);
    const higher = barSeriesOfCandles(aggregate(series, 3, M15));
    const { strategy, seen } = spy(() => null, { lookback: 10, higherTimeframe: '15m', higherLookback: 4 });
    const source = botSignalSource({
      strategy,
      symbol: 'X/USDT',
      primary: barSeriesOfCandles(series),
      higher,
    });
    for (let b = 0; b < 600; b++) source.update(0, b);
    expect(seen.length).toBeGreaterThan(550);
    let sawBoundary = false;
    let sawInside = false;
    for (const s of seen) {
      const primaryClose = s.lastOpen + M5;
      const higherOpen = s.higherLastOpen ?? Number.NaN;
      expect(s.higherLength).toBe(4);
      expect(higherOpen + M15).toBeLessThanOrEqual(primaryClose); // closed
      expect(higherOpen + 2 * M15).toBeGreaterThan(primaryClose); // the next one has not closed
      if (higherOpen + M15 === primaryClose)
        sawBoundary = true; // closes together: included
      else sawInside = true;
    }
    expect(sawBoundary && sawInside).toBe(true);
  });

  it('waits for higherLookback higher bars to have closed', () => {
    const series = walk(M5, 60);
    const higher = barSeriesOfCandles(aggregate(series, 3, M15));
    const { strategy, seen } = spy(() => null, { lookback: 1, higherTimeframe: '15m', higherLookback: 5 });
    const source = botSignalSource({
      strategy,
      symbol: 'X/USDT',
      primary: barSeriesOfCandles(series),
      higher,
    });
    for (let b = 0; b < 60; b++) source.update(0, b);
    // the 5th 15-minute bar closes with the 15th 5-minute bar (index 14)
    expect(seen[0]?.lastOpen).toBe(T0 + 14 * M5);
  });

  it('refuses to run a strategy with a higher timeframe but no higher series', () => {
    const { strategy } = spy(() => null, { higherTimeframe: '1h' });
    expect(() =>
      botSignalSource({ strategy, symbol: 'X/USDT', primary: barSeriesOfCandles(walk(M5, 5)) }),
    ).toThrow(/1h/);
  });

  it('turns an idea into take-profit and stop percentages of its entry, and drops one it cannot trade', () => {
    const idea = {
      side: 'long',
      entryPrice: 200,
      targets: [{ price: 203 }],
      stopLoss: 198,
      confidence: 1,
      reason: '',
    } as const;
    expect(exitOverride(idea)).toEqual({ takeProfitPercent: '1.500000', stopLossPercent: '1.000000' });
    expect(exitOverride({ ...idea, side: 'short' })).toBeNull();
    expect(exitOverride({ ...idea, targets: [] })).toBeNull();
    expect(exitOverride({ ...idea, targets: [{ price: 199 }] })).toBeNull();
    expect(exitOverride({ ...idea, stopLoss: 201 })).toBeNull();
  });
});

describe('bot backtest: deals exit at the idea own take-profit and stop', () => {
  const fireAt = (openTime: number, up: number, down: number) =>
    spy(
      (ctx) => (ctx.primary.openTime[ctx.primary.length - 1] === openTime ? longIdea(ctx, up, down) : null),
      {
        timeframe: '1h',
        lookback: 1,
      },
    );

  it('takes profit at the target, fees on both sides counted', () => {
    // Bar 0 closes at 100: the base order buys 100 USDT → 1.000 X, fee 0.1 (the paper engine
    // charges it in quote). TP +2 % from the average entry 100 → 102; bar 1 (high 101) does not
    // reach it, bar 2 (high 102.5) does: sells 1 X at 102, fee 0.102.
    // PnL = 102 − 0.102 − 100 − 0.1 = 1.798.
    const series = bars(HOUR, [
      [100, 100, 100, 100],
      [100, 101, 99.5, 100.5],
      [100.5, 102.5, 100.2, 102.2],
      [102.2, 102.3, 102, 102.1],
    ]);
    const { strategy } = fireAt(T0, 0.02, 0.01);
    const { result } = run(strategy, series);
    expect(result.deals).toHaveLength(1);
    expect(result.deals[0]).toMatchObject({
      closeReason: 'take-profit',
      openedAt: T0 + HOUR,
      closedAt: T0 + 3 * HOUR,
      exitPrice: '102',
      safetyOrdersFilled: 0,
    });
    expect(Number(result.deals[0]?.realizedPnl)).toBeCloseTo(1.798, 9);
    expect(Number(result.deals[0]?.fees)).toBeCloseTo(0.1 + 0.102, 9);
  });

  it('stops out when a bar touches both the stop and the target (adverse extreme first), fees counted', () => {
    // Stop −1 % → 99. Bar 1 spans 98.5..102.5: both are touched; the stop fills first at 99.
    // Sells 1 X at 99, fee 0.099 → PnL = 99 − 0.099 − 100 − 0.1 = −1.199.
    const series = bars(HOUR, [
      [100, 100, 100, 100],
      [100, 102.5, 98.5, 101],
      [101, 103, 100.5, 102],
    ]);
    const { strategy } = fireAt(T0, 0.02, 0.01);
    const { result } = run(strategy, series);
    expect(result.deals).toHaveLength(1);
    expect(result.deals[0]).toMatchObject({
      closeReason: 'stop-loss',
      exitPrice: '99',
      closedAt: T0 + 2 * HOUR,
    });
    expect(Number(result.deals[0]?.realizedPnl)).toBeCloseTo(-1.199, 9);
    expect(result.metrics.feesQuote).toBeCloseTo(0.1 + 0.099, 9);
  });
});

describe('bot backtest: holdout and cooldown', () => {
  it('opens no deal before the holdout start, while the warm-up reads the bars before it', () => {
    const series = walk(M5, 1000);
    const { strategy, seen } = spy((ctx) => longIdea(ctx, 0.002, 0.002), { lookback: 50 });
    const out = run(strategy, series, { holdoutFraction: 0.3 });
    const start = holdoutStartIndex(1000, 0.3);
    expect(out.holdout).toMatchObject({
      startIndex: start,
      bars: 300,
      fromMs: T0 + start * M5,
      toMs: T0 + 1000 * M5,
    });
    expect(start).toBe(700);
    expect(out.result.bars).toBe(300);
    expect(out.result.times[0]).toBe(T0 + start * M5);
    expect(out.result.deals.length).toBeGreaterThan(3);
    for (const d of out.result.deals) expect(d.openedAt).toBeGreaterThanOrEqual(T0 + (start + 1) * M5);
    expect(out.result.deals[0]?.openedAt).toBe(T0 + (start + 1) * M5); // first held-out bar's close
    expect(seen[0]?.lastOpen).toBe(T0 + start * M5);
    expect(seen[0]?.length).toBe(50); // 49 of them from before the holdout
  });

  it('waits the bot cooldown after each deal before the next one', () => {
    const series = walk(M5, 2000);
    const { strategy } = spy((ctx) => longIdea(ctx, 0.001, 0.001), { lookback: 5, name: 'scalping' });
    const { result } = run(strategy, series);
    const cooldownMs = BOT_COOLDOWN_SECONDS.scalping * 1000;
    expect(cooldownMs).toBe(15 * 60_000);
    const deals = result.deals;
    expect(deals.length).toBeGreaterThan(20);
    const gaps = deals.slice(1).map((d, k) => d.openedAt - (deals[k]?.closedAt ?? Number.NaN));
    for (const gap of gaps) expect(gap).toBeGreaterThanOrEqual(cooldownMs);
    expect(Math.min(...gaps)).toBe(cooldownMs); // an idea on every bar: the next deal opens as soon as allowed
  });

  it('uses each bot its own cooldown', () => {
    const series = walk(HOUR, 600);
    const { strategy } = spy((ctx) => longIdea(ctx, 0.002, 0.002), {
      timeframe: '1h',
      lookback: 5,
      name: 'trend',
    });
    const { result } = run(strategy, series);
    const deals = result.deals;
    const gaps = deals.slice(1).map((d, k) => d.openedAt - (deals[k]?.closedAt ?? Number.NaN));
    expect(gaps.length).toBeGreaterThan(5);
    expect(Math.min(...gaps)).toBe(2 * HOUR);
  });
});
