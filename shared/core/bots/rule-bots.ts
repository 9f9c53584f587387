// The three rule-based house bots in one list (the ML bot lives in ./ai), with their thresholds
// by name so the runtime and the reports can show what each one fires on.
import type { BotStrategy } from './bot-types.js';
import { describeQfl, QFL_CONFIG, qflBot } from './qfl.js';
import { describeScalping, SCALPING_CONFIG, scalpingBot } from './scalping.js';
import { describeTrend, TREND_CONFIG, trendBot } from './trend.js';

export {
  describeQfl,
  describeScalping,
  describeTrend,
  QFL_CONFIG,
  qflBot,
  SCALPING_CONFIG,
  scalpingBot,
  TREND_CONFIG,
  trendBot,
};

export const RULE_BOTS: readonly BotStrategy[] = [scalpingBot, trendBot, qflBot];

export const RULE_BOT_CONFIGS = {
  scalping: SCALPING_CONFIG,
  trend: TREND_CONFIG,
  qfl: QFL_CONFIG,
} as const;

/** Each rule bot's rule in words, built from its configuration (docs/bots.md shows them). */
export const RULE_BOT_DESCRIPTIONS = {
  scalping: describeScalping,
  trend: describeTrend,
  qfl: describeQfl,
} as const;
