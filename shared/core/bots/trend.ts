// The trend house bot: a long on 15-minute bars when the EMAs are stacked up, MACD has just turned
// bullish and swing points make higher highs and higher lows, confirmed by the 1-hour EMAs.
import { ema, macd } from '../indicators/index.js';
import type { BarSeries, BotContext, BotSignalIdea, BotStrategy } from './bot-types.js';
import { lastTwoSwings } from './price-structure.js';
import { at, clamp01, confidenceFrom, fmt, lastBars, pct } from './rule-helpers.js';

export const TREND_CONFIG = {
  /** Stacked EMA20 > EMA50 > EMA100 with the close above EMA20: the common short/medium/long trio. */
  fastEma: 20,
  midEma: 50,
  slowEma: 100,
  macdFast: 12,
  macdSlow: 26,
  macdSignal: 9,
  /**
   * The MACD histogram crossed above 0 (MACD over its signal) on this bar or up to two before it, and
   * is still above: the entry is the resumption after a pullback, not the middle of a run.
   */
  macdCrossWithin: 3,
  /** Full confidence at an EMA20/EMA100 spread of 2 % and a mean swing step of 1 %. */
  emaSpreadForFullConfidence: 0.02,
  swingStepForFullConfidence: 0.01,
  /** A swing point needs 3 lower (higher) bars each side: 45 minutes, so a swing is known 45 minutes after it. */
  swingBars: 3,
  /** Swing points are looked for in the last 100 bars (25 h): older structure says little about the current leg. */
  structureBars: 100,
  /** 1-hour confirmation: EMA20 above EMA50 and the close above EMA50. */
  higherFastEma: 20,
  higherSlowEma: 50,
  takeProfit: 0.03,
  stopLoss: 0.015,
  /**
   * 300 fifteen-minute bars (75 h): the EMA100 is seeded at bar 100 and settled (2 % of the seed
   * left) by 300; short enough that a 7-day replay has days of bars to decide on.
   */
  lookback: 300,
  /** 100 one-hour bars (~4 days): the 1-hour EMA50 is seeded at 50 and mostly settled by 100. */
  higherLookback: 100,
} as const;

const C = TREND_CONFIG;

/** The 1-hour confirmation; the description, or null when the 1-hour EMAs are not aligned. */
function higherAligned(higher: BarSeries | undefined): string | null {
  if (higher === undefined || higher.length < C.higherLookback) return null;
  const h = lastBars(higher, C.higherLookback);
  const m = h.length - 1;
  const fast = at(ema(h.close, C.higherFastEma), m);
  const slow = at(ema(h.close, C.higherSlowEma), m);
  const close = at(h.close, m);
  if (!(fast > slow && close > slow)) return null;
  return `1h EMA${C.higherFastEma} ${fmt(fast)} > EMA${C.higherSlowEma} ${fmt(slow)}, close ${fmt(close)}`;
}

function evaluate(ctx: BotContext): BotSignalIdea | null {
  if (ctx.primary.length < C.lookback) return null;
  const s = lastBars(ctx.primary, C.lookback);
  const i = s.length - 1;
  const close = at(s.close, i);

  const fast = at(ema(s.close, C.fastEma), i);
  const mid = at(ema(s.close, C.midEma), i);
  const slow = at(ema(s.close, C.slowEma), i);
  if (!(close > fast && fast > mid && mid > slow)) return null;

  // MACD turned bullish recently: the bar j where the histogram went from ≤ 0 to > 0.
  const hist = macd(s.close, C.macdFast, C.macdSlow, C.macdSignal).histogram;
  if (!(at(hist, i) > 0)) return null;
  let age = -1;
  for (let a = 0; a < C.macdCrossWithin; a++) {
    if (at(hist, i - a - 1) <= 0 && at(hist, i - a) > 0) {
      age = a;
      break;
    }
  }
  if (age < 0) return null;

  // Higher highs and higher lows among the swing points the closed bars confirm, and the close
  // still above the last swing low (the structure is not broken).
  const from = s.length - C.structureBars;
  const high = s.high.subarray(from);
  const low = s.low.subarray(from);
  const structure = lastTwoSwings(high, low, C.swingBars);
  if (structure === null) return null;
  const h1 = at(high, structure.highs[0]);
  const h2 = at(high, structure.highs[1]);
  const l1 = at(low, structure.lows[0]);
  const l2 = at(low, structure.lows[1]);
  if (!(h2 > h1 && l2 > l1 && close > l2)) return null;

  const confirmation = higherAligned(ctx.higher);
  if (confirmation === null) return null;

  // Strengths, each 0..1: EMA spread (EMA20 2 % over EMA100 is full), the mean swing step (1 % is
  // full) and how fresh the MACD turn is (this bar 1, then 2/3, 1/3).
  const step = (h2 / h1 - 1 + (l2 / l1 - 1)) / 2;
  const confidence = confidenceFrom([
    (fast / slow - 1) / C.emaSpreadForFullConfidence,
    step / C.swingStepForFullConfidence,
    1 - age / C.macdCrossWithin,
  ]);
  return {
    side: 'long',
    entryPrice: close,
    targets: [{ price: close * (1 + C.takeProfit) }],
    stopLoss: close * (1 - C.stopLoss),
    confidence: clamp01(confidence),
    reason:
      `close ${fmt(close)} > EMA${C.fastEma} ${fmt(fast)} > EMA${C.midEma} ${fmt(mid)} > EMA${C.slowEma} ${fmt(slow)}; ` +
      `MACD histogram crossed above 0 ${age === 0 ? 'on this bar' : `${age} bar(s) ago`}, now ${fmt(at(hist, i), 4)}; ` +
      `higher highs ${fmt(h1)} → ${fmt(h2)} and higher lows ${fmt(l1)} → ${fmt(l2)} (step ${pct(step)}); ${confirmation}`,
  };
}

export const trendBot: BotStrategy = {
  name: 'trend',
  timeframe: '15m',
  higherTimeframe: '1h',
  lookback: C.lookback,
  higherLookback: C.higherLookback,
  evaluate,
};

/** TREND_CONFIG's keys with any numbers: what {@link describeTrend} reads (tests vary them). */
export type TrendConfig = { readonly [K in keyof typeof TREND_CONFIG]: number };

/**
 * The rule in words, one plain line per part, built from the configuration and the strategy's
 * timeframes and lookbacks (docs/bots.md shows them, so the text cannot drift from the code).
 */
export function describeTrend(config: TrendConfig = TREND_CONFIG, bot: BotStrategy = trendBot): string[] {
  const c = config;
  const floor = confidenceFrom([]);
  return [
    `Bars: decides at the close of each ${bot.timeframe} bar on the last ${bot.lookback} closed ${bot.timeframe} bars; confirmation on ${bot.higherTimeframe ?? 'none'} with the last ${bot.higherLookback ?? 0} closed bars. Long only.`,
    `EMA stack: close > EMA(${c.fastEma}) > EMA(${c.midEma}) > EMA(${c.slowEma}).`,
    `MACD(${c.macdFast}, ${c.macdSlow}, ${c.macdSignal}): the histogram is above 0 and went from ≤ 0 to > 0 on one of the last ${c.macdCrossWithin} bars (this one included).`,
    `Structure: in the last ${c.structureBars} bars, swing points with ${c.swingBars} bars each side (a swing high is above each of the ${c.swingBars} highs before it and not below the ${c.swingBars} after, so it is known ${c.swingBars} bars later; lows mirrored): the last two swing highs rise, the last two swing lows rise, and the close is above the last swing low.`,
    `${bot.higherTimeframe ?? 'Higher-timeframe'} confirmation: on the last closed ${bot.higherTimeframe ?? 'higher'} bar EMA(${c.higherFastEma}) > EMA(${c.higherSlowEma}) and the close > EMA(${c.higherSlowEma}) (no signal while fewer than ${bot.higherLookback ?? 0} of its bars have closed).`,
    `Confidence: ${floor} + ${Number((1 - floor).toFixed(6))} × the mean of three strengths, each clamped to 0..1: EMA spread (EMA(${c.fastEma}) / EMA(${c.slowEma}) − 1) / ${pct(c.emaSpreadForFullConfidence, 0)}; the mean swing step (the rises of the highs and of the lows, averaged) / ${pct(c.swingStepForFullConfidence, 0)}; and the MACD turn's freshness 1 − age / ${c.macdCrossWithin} (age 0 on this bar).`,
    `Exits: one take-profit at the entry (the bar's close) + ${pct(c.takeProfit)}, stop at the entry − ${pct(c.stopLoss)}.`,
  ];
}
