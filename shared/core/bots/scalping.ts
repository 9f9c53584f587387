// The scalping house bot: a long on 5-minute bars when an oversold pullback bounces off the EMA50,
// with RSI turning up and a stochastic cross from oversold, unless the 15-minute trend is down.
import { ema, rsi, stochastic } from '../indicators/index.js';
import type { BarSeries, BotContext, BotSignalIdea, BotStrategy } from './bot-types.js';
import { at, clamp01, confidenceFrom, fmt, lastBars, pct } from './rule-helpers.js';

export const SCALPING_CONFIG = {
  rsiPeriod: 14,
  /**
   * Oversold at ≤ 40, not the textbook 30: the setup is a pullback to the EMA50 inside a trend that
   * is not down, and RSI's range shifts up in uptrends (40–50 is its usual floor there). On the
   * first 70 % of the 5-minute fixtures (the holdout untouched), 35 fired once in five days per pair.
   */
  rsiOversold: 40,
  /** The oversold reading may be up to 5 bars before this one: RSI bottoms in the drop, before the bounce closes. */
  rsiOversoldWithin: 6,
  stochKPeriod: 14,
  stochKSmoothing: 3,
  stochDPeriod: 3,
  /** The cross must start from ≤ 25 (of %K or %D on the bar before); 20 is classic, the smoothing lags by about a bar. */
  stochOversold: 25,
  /** RSI depth for full confidence: 15 points under the oversold level (40 → 25). */
  rsiDepthForFullConfidence: 15,
  emaPeriod: 50,
  /** A low within 0.1 % above the EMA counts as a touch: 5-minute wicks often stop a tick short of the line. */
  touchTolerance: 0.001,
  /** The touch may be on this bar or the one before (a bounce often closes back above one bar after the pierce). */
  touchWithin: 2,
  /** 15-minute confirmation: vetoed only when the close is under this EMA and the EMA is falling. */
  higherEmaPeriod: 50,
  /** The 15-minute EMA's slope is read over this many bars. */
  higherSlopeBars: 3,
  takeProfit: 0.008,
  stopLoss: 0.005,
  /** 200 five-minute bars (16.7 h): the EMA50 is seeded at bar 50 and settled (0.2 % of the seed left) by 200. */
  lookback: 200,
  /** 100 fifteen-minute bars (25 h) for the 15-minute EMA50 and its slope. */
  higherLookback: 100,
} as const;

const C = SCALPING_CONFIG;

/** The 15-minute veto: close under its EMA and the EMA falling. Returns the description, or null when vetoed. */
function higherNotDown(higher: BarSeries | undefined): string | null {
  if (higher === undefined || higher.length < C.higherLookback) return null;
  const h = lastBars(higher, C.higherLookback);
  const line = ema(h.close, C.higherEmaPeriod);
  const m = h.length - 1;
  const close = at(h.close, m);
  const now = at(line, m);
  const before = at(line, m - C.higherSlopeBars);
  if (Number.isNaN(now) || Number.isNaN(before) || Number.isNaN(close)) return null;
  const slope = now / before - 1;
  if (close < now && slope < 0) return null;
  return `15m close ${fmt(close)} vs EMA${C.higherEmaPeriod} ${fmt(now)}, slope ${pct(slope)}`;
}

function evaluate(ctx: BotContext): BotSignalIdea | null {
  if (ctx.primary.length < C.lookback) return null;
  const s = lastBars(ctx.primary, C.lookback);
  const i = s.length - 1;
  const close = at(s.close, i);

  // Bounce: a recent low touched or pierced the EMA and this bar closed back above it.
  const line = ema(s.close, C.emaPeriod);
  const emaNow = at(line, i);
  if (!(close > emaNow)) return null;
  let dipLow = Number.POSITIVE_INFINITY;
  let touched = false;
  for (let t = i - C.touchWithin + 1; t <= i; t++) {
    const low = at(s.low, t);
    dipLow = Math.min(dipLow, low);
    if (low <= at(line, t) * (1 + C.touchTolerance)) touched = true;
  }
  if (!touched) return null;

  // RSI: oversold within the last bars and turning up on this one.
  const r = rsi(s.close, C.rsiPeriod);
  const rsiNow = at(r, i);
  const rsiBefore = at(r, i - 1);
  let rsiMin = Number.POSITIVE_INFINITY;
  for (let t = i - C.rsiOversoldWithin + 1; t <= i; t++) rsiMin = Math.min(rsiMin, at(r, t));
  if (!(rsiMin <= C.rsiOversold && rsiNow > rsiBefore)) return null;

  // Stochastic: %K crosses above %D on this bar, from the oversold zone.
  const st = stochastic(s.high, s.low, s.close, C.stochKPeriod, C.stochKSmoothing, C.stochDPeriod);
  const kNow = at(st.k, i);
  const dNow = at(st.d, i);
  const kBefore = at(st.k, i - 1);
  const dBefore = at(st.d, i - 1);
  const stochFrom = Math.min(kBefore, dBefore);
  if (!(kBefore <= dBefore && kNow > dNow && stochFrom <= C.stochOversold)) return null;

  const confirmation = higherNotDown(ctx.higher);
  if (confirmation === null) return null;

  // Strengths, each 0..1: RSI depth (full at 25), stochastic depth (full at 0), and where the close
  // sits between the dip's low and this bar's high (a close at the high is a full rejection).
  const range = at(s.high, i) - dipLow;
  const confidence = confidenceFrom([
    (C.rsiOversold - rsiMin) / C.rsiDepthForFullConfidence,
    (C.stochOversold - stochFrom) / C.stochOversold,
    range > 0 ? (close - dipLow) / range : 1,
  ]);
  return {
    side: 'long',
    entryPrice: close,
    targets: [{ price: close * (1 + C.takeProfit) }],
    stopLoss: close * (1 - C.stopLoss),
    confidence: clamp01(confidence),
    reason:
      `RSI ${rsiNow.toFixed(1)} turning up from ${rsiMin.toFixed(1)} ≤ ${C.rsiOversold}; ` +
      `%K ${kNow.toFixed(1)} crossed %D ${dNow.toFixed(1)} up from ${stochFrom.toFixed(1)} ≤ ${C.stochOversold}; ` +
      `low ${fmt(dipLow)} touched EMA${C.emaPeriod} ${fmt(emaNow)}, close ${fmt(close)} above; ${confirmation}`,
  };
}

export const scalpingBot: BotStrategy = {
  name: 'scalping',
  timeframe: '5m',
  higherTimeframe: '15m',
  lookback: C.lookback,
  higherLookback: C.higherLookback,
  evaluate,
};

/** SCALPING_CONFIG's keys with any numbers: what {@link describeScalping} reads (tests vary them). */
export type ScalpingConfig = { readonly [K in keyof typeof SCALPING_CONFIG]: number };

/**
 * The rule in words, one plain line per part, built from the configuration and the strategy's
 * timeframes and lookbacks (docs/bots.md shows them, so the text cannot drift from the code).
 */
export function describeScalping(
  config: ScalpingConfig = SCALPING_CONFIG,
  bot: BotStrategy = scalpingBot,
): string[] {
  const c = config;
  const floor = confidenceFrom([]);
  return [
    `Bars: decides at the close of each ${bot.timeframe} bar on the last ${bot.lookback} closed ${bot.timeframe} bars; confirmation on ${bot.higherTimeframe ?? 'none'} with the last ${bot.higherLookback ?? 0} closed bars. Long only.`,
    `Bounce: the close is above EMA(${c.emaPeriod}), and the low of one of the last ${c.touchWithin} bars (this one included) was at most ${pct(c.touchTolerance)} above that bar's EMA(${c.emaPeriod}).`,
    `RSI(${c.rsiPeriod}): at most ${c.rsiOversold} on at least one of the last ${c.rsiOversoldWithin} bars (this one included), and higher than on the bar before.`,
    `Stochastic(${c.stochKPeriod}, ${c.stochKSmoothing}, ${c.stochDPeriod}): %K crosses above %D on this bar (%K ≤ %D on the bar before, %K > %D now), from at most ${c.stochOversold} (the lower of %K and %D on the bar before).`,
    `${bot.higherTimeframe ?? 'Higher-timeframe'} veto: no signal when the last closed ${bot.higherTimeframe ?? 'higher'} close is below its EMA(${c.higherEmaPeriod}) and that EMA is lower than ${c.higherSlopeBars} bars before (nor while fewer than ${bot.higherLookback ?? 0} of its bars have closed).`,
    `Confidence: ${floor} + ${Number((1 - floor).toFixed(6))} × the mean of three strengths, each clamped to 0..1: RSI depth (${c.rsiOversold} − the lowest RSI of those ${c.rsiOversoldWithin} bars) / ${c.rsiDepthForFullConfidence}; stochastic depth (${c.stochOversold} − the cross's start) / ${c.stochOversold}; and where the close sits between the dip's lowest low and this bar's high (1 at the high).`,
    `Exits: one take-profit at the entry (the bar's close) + ${pct(c.takeProfit)}, stop at the entry − ${pct(c.stopLoss)}.`,
  ];
}
