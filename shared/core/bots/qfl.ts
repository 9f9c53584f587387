// The QFL (quick-fingers-Luc) house bot: buys the panic when a 15-minute close cracks the most
// recent unbroken base by the dip threshold, and targets the return to that base.
import type { BotContext, BotSignalIdea, BotStrategy } from './bot-types.js';
import { type QflBase, qflBases } from './price-structure.js';
import { at, clamp01, confidenceFrom, fmt, lastBars, pct } from './rule-helpers.js';

export const QFL_CONFIG = {
  /** A base is a swing low with 3 higher lows each side (45 minutes either way on 15-minute bars). */
  swingBars: 3,
  /** Price must have risen ≥ 2 % off the low (by the high) for buyers to have defended it: a real level. */
  minBounce: 0.02,
  /** ... within 48 bars (12 h) of the low, and without trading under the low first. */
  bounceWithin: 48,
  /**
   * A close ≥ 3 % under the base is the crack, and the entry: the classic QFL crack threshold, deep
   * enough to be a panic below a level buyers defended, common enough on 15-minute crypto bars.
   */
  crack: 0.03,
  /**
   * Stop 3 % under the entry (6 % under the base): as wide as the dip itself, so a return to the base
   * (+3.1 %) and the stop are about one to one and the edge is the rate of returns to the base.
   */
  stopLoss: 0.03,
  /** The crack bar's volume is compared with the mean of the 20 bars before it (a spike adds confidence). */
  volumeBars: 20,
  /** Full volume confidence when the crack bar trades 1 + this many times the recent mean (3×). */
  volumeSpikeForFullConfidence: 2,
  /** 300 fifteen-minute bars (75 h): the bases a 15-minute chart still shows. */
  lookback: 300,
} as const;

const C = QFL_CONFIG;

/** The most recent base the closes have not cracked before bar `i` (established before it), if any. */
function referenceBase(bases: readonly QflBase[], i: number): QflBase | undefined {
  for (let b = bases.length - 1; b >= 0; b--) {
    const base = bases[b];
    if (base === undefined || base.establishedAt >= i) continue;
    if (base.crackedAt === -1 || base.crackedAt >= i) return base;
  }
  return undefined;
}

function evaluate(ctx: BotContext): BotSignalIdea | null {
  if (ctx.primary.length < C.lookback) return null;
  const s = lastBars(ctx.primary, C.lookback);
  const i = s.length - 1;
  const close = at(s.close, i);

  const bases = qflBases(s.high, s.low, s.close, C);
  const base = referenceBase(bases, i);
  // Fires only on the bar that cracks it: a cracked base is consumed, so no second signal on it.
  if (base === undefined || base.crackedAt !== i) return null;
  const dip = 1 - close / base.price;

  let volumeSum = 0;
  for (let t = i - C.volumeBars; t < i; t++) volumeSum += at(s.volume, t);
  const volumeRatio = volumeSum > 0 ? at(s.volume, i) / (volumeSum / C.volumeBars) : 1;

  // Strengths, each 0..1: dip depth past the threshold (twice the threshold is full), the base's
  // bounce past the minimum (three times the minimum is full) and the crack bar's volume spike
  // (three times the recent mean is full).
  const confidence = confidenceFrom([
    (dip - C.crack) / C.crack,
    (base.bounce - C.minBounce) / (2 * C.minBounce),
    (volumeRatio - 1) / C.volumeSpikeForFullConfidence,
  ]);
  const barsAgo = i - base.index;
  return {
    side: 'long',
    entryPrice: close,
    targets: [{ price: base.price }],
    stopLoss: close * (1 - C.stopLoss),
    confidence: clamp01(confidence),
    reason:
      `close ${fmt(close)} cracked base ${fmt(base.price)} (swing low ${barsAgo} bars ago, bounced ${pct(base.bounce)}) ` +
      `by ${pct(dip)} ≥ ${pct(C.crack)}; volume ${volumeRatio.toFixed(2)}× the ${C.volumeBars}-bar mean; ` +
      `target the base ${fmt(base.price)}`,
  };
}

export const qflBot: BotStrategy = {
  name: 'qfl',
  timeframe: '15m',
  lookback: C.lookback,
  evaluate,
};

/** QFL_CONFIG's keys with any numbers: what {@link describeQfl} reads (tests vary them). */
export type QflConfig = { readonly [K in keyof typeof QFL_CONFIG]: number };

/**
 * The rule in words, one plain line per part, built from the configuration and the strategy's
 * timeframe and lookback (docs/bots.md shows them, so the text cannot drift from the code).
 */
export function describeQfl(config: QflConfig = QFL_CONFIG, bot: BotStrategy = qflBot): string[] {
  const c = config;
  const floor = confidenceFrom([]);
  return [
    `Bars: decides at the close of each ${bot.timeframe} bar on the last ${bot.lookback} closed ${bot.timeframe} bars; ${bot.higherTimeframe === undefined ? 'no confirmation timeframe' : `confirmation on ${bot.higherTimeframe}`}. Long only.`,
    `Base: a swing low with ${c.swingBars} bars each side whose highs then rise at least ${pct(c.minBounce)} above it within ${c.bounceWithin} bars, with no low under it first; it is known from the later of the swing's confirmation (${c.swingBars} bars after it) and that bounce.`,
    `Entry: the first close at least ${pct(c.crack)} under the most recent base not yet cracked (known before this bar). A crack consumes the base: one signal per base.`,
    `Confidence: ${floor} + ${Number((1 - floor).toFixed(6))} × the mean of three strengths, each clamped to 0..1: the dip past the threshold (dip − ${pct(c.crack)}) / ${pct(c.crack)}; the base's bounce past the minimum (bounce − ${pct(c.minBounce)}) / ${pct(2 * c.minBounce)}; and the volume spike (this bar's volume / the mean of the ${c.volumeBars} bars before − 1) / ${c.volumeSpikeForFullConfidence}.`,
    `Exits: one take-profit at the base (the return to it: at least +${pct(1 / (1 - c.crack) - 1)} from the entry), stop at the entry (the bar's close) − ${pct(c.stopLoss)}.`,
  ];
}
