// The three rule bots as the runtime sees them: the list, their thresholds by name, and every idea
// they produce over the real 5-minute fixtures (each bar decided on the bars closed by then) well formed.
import { describe, expect, it } from 'vitest';
import { type BotSignalIdea, type BotStrategy, barsUpTo } from '../../../../shared/core/bots/bot-types.js';
import { RULE_BOT_CONFIGS, RULE_BOTS } from '../../../../shared/core/bots/rule-bots.js';
import { closedBy, fixture5m, H1, M5, M15, resample } from './crafted-series.js';

const MS: Record<string, number> = { '5m': M5, '15m': M15, '1h': H1 };

/** Every idea a bot has over a fixture, with the close it was decided on. */
function ideasOver(bot: BotStrategy, pair: 'BTC_USDT' | 'ETH_USDT' | 'SOL_USDT') {
  const real = fixture5m(pair);
  const tfMs = MS[bot.timeframe] ?? 0;
  const primary = tfMs === M5 ? real : resample(real, M5, tfMs);
  const higherMs = bot.higherTimeframe === undefined ? 0 : (MS[bot.higherTimeframe] ?? 0);
  const higher = higherMs === 0 ? undefined : resample(real, M5, higherMs);
  const ideas: { idea: BotSignalIdea; close: number }[] = [];
  for (let n = bot.lookback; n <= primary.length; n++) {
    const cut = barsUpTo(primary, n);
    const closeTime = (primary.openTime[n - 1] ?? 0) + tfMs;
    const idea = bot.evaluate(
      higher === undefined
        ? { symbol: pair, primary: cut }
        : { symbol: pair, primary: cut, higher: closedBy(higher, higherMs, closeTime) },
    );
    if (idea !== null) ideas.push({ idea, close: primary.close[n - 1] ?? Number.NaN });
  }
  return ideas;
}

describe('rule bots', () => {
  it('lists scalping, trend and QFL once each, with their thresholds by name', () => {
    expect(RULE_BOTS.map((b) => b.name)).toEqual(['scalping', 'trend', 'qfl']);
    expect(Object.keys(RULE_BOT_CONFIGS)).toEqual(['scalping', 'trend', 'qfl']);
    for (const bot of RULE_BOTS)
      expect(RULE_BOT_CONFIGS[bot.name as keyof typeof RULE_BOT_CONFIGS].lookback).toBe(bot.lookback);
    expect(RULE_BOT_CONFIGS.scalping).toMatchObject({ takeProfit: 0.008, stopLoss: 0.005 });
    expect(RULE_BOT_CONFIGS.trend).toMatchObject({ takeProfit: 0.03, stopLoss: 0.015 });
  });

  it.each(['BTC_USDT', 'ETH_USDT', 'SOL_USDT'] as const)(
    'every idea over the real %s fixture is a well-formed long at the close with the stated exits',
    (pair) => {
      for (const bot of RULE_BOTS) {
        const config = RULE_BOT_CONFIGS[bot.name as keyof typeof RULE_BOT_CONFIGS];
        for (const { idea, close } of ideasOver(bot, pair)) {
          expect(idea.side).toBe('long');
          expect(idea.entryPrice).toBe(close);
          expect(idea.stopLoss).toBeCloseTo(close * (1 - config.stopLoss), 9);
          const target = idea.targets[0]?.price ?? 0;
          expect(idea.targets).toHaveLength(1);
          if ('takeProfit' in config) expect(target).toBeCloseTo(close * (1 + config.takeProfit), 9);
          expect(target).toBeGreaterThan(close);
          expect(idea.confidence).toBeGreaterThan(0);
          expect(idea.confidence).toBeLessThanOrEqual(1);
          expect(idea.reason.length).toBeGreaterThan(20);
        }
      }
    },
  );

  it('fires on the real fixtures at all (scalping and QFL do within these 7 days)', () => {
    const count = (bot: BotStrategy) =>
      (['BTC_USDT', 'ETH_USDT', 'SOL_USDT'] as const).reduce(
        (sum, pair) => sum + ideasOver(bot, pair).length,
        0,
      );
    const [scalping, , qfl] = RULE_BOTS;
    if (scalping === undefined || qfl === undefined) throw new Error('missing bots');
    expect(count(scalping)).toBeGreaterThan(0);
    expect(count(qfl)).toBeGreaterThan(0);
  });
});
