// No look-ahead, for each rule bot: a decision at bar i depends on bars 0..i only. The runtime
// hands a strategy closed bars only (barsUpTo the closed count), so a wild bar still in progress,
// or any later bars, must not change it; and a strategy must not reach past `length` through the
// arrays' shared buffer (a fresh copy of the prefix decides the same).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type BarSeries, type BotStrategy, barsUpTo } from '../../../../shared/core/bots/bot-types.js';
import { qflBot } from '../../../../shared/core/bots/qfl.js';
import { lastBars } from '../../../../shared/core/bots/rule-helpers.js';
import { scalpingBot } from '../../../../shared/core/bots/scalping.js';
import { trendBot } from '../../../../shared/core/bots/trend.js';
import {
  type Bar,
  closedBy,
  copyPrefix,
  fixture5m,
  H1,
  M5,
  M15,
  resample,
  toSeries,
} from './crafted-series.js';
import { qflSetup, scalpingSetup, trendSetup } from './scenarios.js';

const MS: Record<string, number> = { '5m': M5, '15m': M15, '1h': H1 };

interface Case {
  readonly bot: BotStrategy;
  /** Crafted bars, in the bot's timeframe, whose last bar fires. */
  readonly fired: () => Bar[];
}

const CASES: readonly Case[] = [
  { bot: scalpingBot, fired: () => scalpingSetup() },
  { bot: trendBot, fired: () => trendSetup() },
  { bot: qflBot, fired: () => qflSetup() },
];

/** What the runtime would hand the bot once the primary bar n − 1 has closed: both timeframes cut at that time. */
function decideAt(bot: BotStrategy, primary: BarSeries, n: number, higherFull?: BarSeries) {
  const cut = barsUpTo(primary, n);
  const closeTime = (cut.openTime[n - 1] ?? 0) + (MS[bot.timeframe] ?? 0);
  const higherMs = bot.higherTimeframe === undefined ? undefined : MS[bot.higherTimeframe];
  if (higherMs === undefined) return bot.evaluate({ symbol: 'BTC/USDT', primary: cut });
  const higher = closedBy(
    higherFull ?? resample(primary, MS[bot.timeframe] ?? 0, higherMs),
    higherMs,
    closeTime,
  );
  return bot.evaluate({ symbol: 'BTC/USDT', primary: cut, higher });
}

/** The same decision from copies that hold only the prefix (the higher timeframe resampled from it). */
function decideOnCopy(bot: BotStrategy, primary: BarSeries, n: number) {
  const copy = copyPrefix(primary, n);
  const higherMs = bot.higherTimeframe === undefined ? undefined : MS[bot.higherTimeframe];
  if (higherMs === undefined) return bot.evaluate({ symbol: 'BTC/USDT', primary: copy });
  return bot.evaluate({
    symbol: 'BTC/USDT',
    primary: copy,
    higher: resample(copy, MS[bot.timeframe] ?? 0, higherMs),
  });
}

/** A bar after `last` that would flip any long setup: a 6 % crash bar on ten times the volume. */
function crashAfter(last: Bar, tfMs: number): Bar {
  const close = last.close * 0.94;
  return {
    openTime: last.openTime + tfMs,
    open: last.close,
    high: last.close,
    low: close,
    close,
    volume: last.volume * 10,
  };
}

/** Later bars from fast-check: each a move of up to ±8 % with its wicks. */
const laterBars = fc.array(
  fc.record({
    move: fc.double({ min: -0.08, max: 0.08, noNaN: true }),
    wick: fc.double({ min: 0, max: 0.03, noNaN: true }),
  }),
  { minLength: 1, maxLength: 40 },
);

function appendMoves(
  bars: readonly Bar[],
  moves: readonly { move: number; wick: number }[],
  tfMs: number,
): Bar[] {
  const out = [...bars];
  for (const { move, wick } of moves) {
    const last = out[out.length - 1] as Bar;
    const close = last.close * (1 + move);
    out.push({
      openTime: last.openTime + tfMs,
      open: last.close,
      high: Math.max(last.close, close) * (1 + wick),
      low: Math.min(last.close, close) * (1 - wick),
      close,
      volume: 100 * (1 + 20 * wick),
    });
  }
  return out;
}

describe.each(CASES)('$bot.name: no look-ahead', ({ bot, fired }) => {
  const tfMs = MS[bot.timeframe] ?? 0;

  it('a wild in-progress bar would flip the decision, and cut to the closed bars it does not', () => {
    const bars = fired();
    const closed = toSeries(bars);
    const withWild = toSeries([...bars, crashAfter(bars[bars.length - 1] as Bar, tfMs)]);
    const decision = decideAt(bot, closed, closed.length);
    expect(decision).not.toBeNull();
    expect(decideAt(bot, withWild, withWild.length)).not.toEqual(decision);
    expect(decideAt(bot, withWild, closed.length)).toEqual(decision);
  });

  it('decides the same on a fresh copy of the prefix as on a view into a longer series', () => {
    const bars = fired();
    const longer = toSeries(
      appendMoves(
        bars,
        [
          { move: -0.06, wick: 0.02 },
          { move: 0.05, wick: 0 },
        ],
        tfMs,
      ),
    );
    expect(decideAt(bot, longer, bars.length)).toEqual(decideOnCopy(bot, longer, bars.length));
  });

  it('property: any later bars appended and cut off leave the decision at every cut unchanged', () => {
    const bars = fired();
    const base = toSeries(bars);
    fc.assert(
      fc.property(laterBars, fc.integer({ min: bot.lookback, max: bars.length }), (moves, n) => {
        const extended = toSeries(appendMoves(bars, moves, tfMs));
        expect(decideAt(bot, extended, n)).toEqual(decideAt(bot, base, n));
      }),
      { numRuns: 60 },
    );
  });

  it('property: on real BTC bars, the decision at a random cut depends only on that prefix, and only on its lookback window', () => {
    const real5m = fixture5m('BTC_USDT');
    const primary = tfMs === M5 ? real5m : resample(real5m, M5, tfMs);
    const higherMs = bot.higherTimeframe === undefined ? undefined : MS[bot.higherTimeframe];
    const higherFull = higherMs === undefined ? undefined : resample(real5m, M5, higherMs);
    // Enough primary bars for both lookbacks (two higher bars of slack: the fixture starts mid-hour).
    const first = Math.max(
      bot.lookback,
      higherMs === undefined ? 0 : (((bot.higherLookback ?? 0) + 2) * higherMs) / tfMs,
    );
    fc.assert(
      fc.property(fc.integer({ min: first, max: primary.length }), (n) => {
        const decision = decideAt(bot, primary, n, higherFull);
        expect(decideOnCopy(bot, primary, n)).toEqual(decision);
        const windowed = lastBars(barsUpTo(primary, n), bot.lookback);
        const higher =
          higherMs === undefined || higherFull === undefined
            ? undefined
            : closedBy(higherFull, higherMs, (primary.openTime[n - 1] ?? 0) + tfMs);
        const onWindow = bot.evaluate({
          symbol: 'BTC/USDT',
          primary: windowed,
          ...(higher === undefined ? {} : { higher: lastBars(higher, bot.higherLookback ?? 0) }),
        });
        expect(onWindow).toEqual(decision);
      }),
      { numRuns: 80 },
    );
  });
});
