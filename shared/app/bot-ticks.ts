// Sub-minute bot cadence. EventBridge fires at most once a minute, so each bot's rule invokes the
// dispatcher, which enqueues that minute's ticks with SQS DelaySeconds (0/15/30/45 for a 15 s bot);
// the tick queue triggers the bot. The local scheduler drives the same dispatcher the same way.
import type { BotName, BotStrategy } from '../core/bots/bot-types.js';
import type { Clock } from '../ports/clock.js';
import type { QueuePublisher } from '../ports/queue-publisher.js';
import type { HeartbeatRepository } from '../ports/repositories.js';
import { BOTS, type BotDefinition } from '../wiring/manifest.js';
import { type BotRunnerDeps, type BotRunResult, runBotStrategy } from './bots/run-bot-strategy.js';
import type { BotTick } from './messages.js';

export function tickOffsetsSeconds(bot: BotDefinition): number[] {
  if (bot.cadenceSeconds >= 60) return [0];
  const offsets: number[] = [];
  for (let s = 0; s < 60; s += bot.cadenceSeconds) offsets.push(s);
  return offsets;
}

export async function dispatchBotTicks(
  deps: { queue: QueuePublisher; heartbeats: HeartbeatRepository; clock: Clock },
  invocation: { rule: string; time: string; botName: string },
): Promise<{ ticks: number }> {
  const bot = BOTS.find((b) => b.name === invocation.botName);
  if (!bot) throw new Error(`Unknown bot "${invocation.botName}" in rule ${invocation.rule}`);
  const base = Date.parse(invocation.time);
  const ticks = tickOffsetsSeconds(bot).map((offset) => {
    const tick: BotTick = { bot: bot.name, scheduledFor: new Date(base + offset * 1000).toISOString() };
    return { body: tick, idempotencyKey: `${bot.name}@${tick.scheduledFor}`, delaySeconds: offset };
  });
  await deps.queue.send('botTicks', ticks);
  await deps.heartbeats.beat({ name: `schedule:${invocation.rule}`, at: deps.clock.now().toISOString() });
  return { ticks: ticks.length };
}

export interface BotTickDeps {
  readonly heartbeats: HeartbeatRepository;
  readonly clock: Clock;
  /** The strategy of each bot (shared/app/bots/bot-registry.ts); a bot without one only beats. */
  readonly strategyFor: (bot: BotName) => BotStrategy | undefined;
  /** The rest of the runtime; absent (tests of the cadence alone), a tick only beats. */
  readonly runner?: BotRunnerDeps;
  /** Symbols scanned where the market has no fixed set of its own (the cloud). */
  readonly cloudUniverse: readonly string[];
}

export interface BotTickResult {
  readonly ran: boolean;
  readonly lagSeconds: number;
  readonly signals: number;
  readonly run?: BotRunResult;
}

/**
 * Runs one bot tick. A tick that arrives later than one cadence after its slot is skipped: a late
 * decision on stale candles is worse than none. Otherwise the bot's strategy runs over its universe
 * (shared/app/bots/run-bot-strategy.ts) and the bot's heartbeat records how many signals it emitted.
 */
export async function runBotTick(deps: BotTickDeps, tick: BotTick): Promise<BotTickResult> {
  const bot = BOTS.find((b) => b.name === tick.bot);
  if (!bot) throw new Error(`Unknown bot "${tick.bot}"`);
  const now = deps.clock.now();
  const lagSeconds = Math.round((now.getTime() - Date.parse(tick.scheduledFor)) / 1000);
  if (lagSeconds > bot.cadenceSeconds) return { ran: false, lagSeconds, signals: 0 };
  const strategy = deps.strategyFor(bot.name);
  let run: BotRunResult | undefined;
  if (strategy && deps.runner) {
    const universe = deps.runner.market.fixedSymbols() ?? deps.cloudUniverse;
    run = await runBotStrategy(deps.runner, strategy, universe, bot.cadenceSeconds * 1000);
  }
  const signals = run?.signals ?? 0;
  await deps.heartbeats.beat({
    name: `bot:${bot.name}`,
    at: deps.clock.now().toISOString(),
    detail: {
      scheduledFor: tick.scheduledFor,
      lagSeconds: String(lagSeconds),
      signals: String(signals),
      strategy: strategy ? 'on' : 'none',
      ...(run?.rateLimited ? { rateLimited: 'true' } : {}),
    },
  });
  return { ran: true, lagSeconds, signals, ...(run ? { run } : {}) };
}
