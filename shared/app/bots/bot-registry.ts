// The strategy each house bot runs: the one place the runtime (RunBot) learns which strategies exist.
// A bot without a strategy here still ticks (heartbeat) and emits nothing.
import { aiStrategy } from '../../core/bots/ai/ai-strategy.js';
import type { BotName, BotStrategy } from '../../core/bots/bot-types.js';
import { RULE_BOTS } from '../../core/bots/rule-bots.js';

export const BOT_STRATEGIES: ReadonlyMap<BotName, BotStrategy> = new Map(
  [...RULE_BOTS, aiStrategy].map((strategy) => [strategy.name, strategy]),
);

export function strategyFor(bot: BotName): BotStrategy | undefined {
  return BOT_STRATEGIES.get(bot);
}
