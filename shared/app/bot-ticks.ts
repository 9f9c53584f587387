// Sub-minute bot cadence. EventBridge fires at most once a minute, so each bot's rule invokes the
// dispatcher, which enqueues that minute's ticks with SQS DelaySeconds (0/15/30/45 for a 15 s bot);
// the tick queue triggers the bot. The local scheduler drives the same dispatcher the same way.
import type { Clock } from '../ports/clock.js';
import type { QueuePublisher } from '../ports/queue-publisher.js';
import type { HeartbeatRepository } from '../ports/repositories.js';
import { BOTS, type BotDefinition } from '../wiring/manifest.js';
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

/**
 * Runs one bot tick. A tick that arrives later than one cadence after its slot is skipped: a late
 * decision on stale candles is worse than none. The bots' strategies arrive with the signal-engine
 * issue; until then a tick records the bot's heartbeat and emits no signal.
 */
export async function runBotTick(
  deps: { heartbeats: HeartbeatRepository; clock: Clock },
  tick: BotTick,
): Promise<{ ran: boolean; lagSeconds: number }> {
  const bot = BOTS.find((b) => b.name === tick.bot);
  if (!bot) throw new Error(`Unknown bot "${tick.bot}"`);
  const now = deps.clock.now();
  const lagSeconds = Math.round((now.getTime() - Date.parse(tick.scheduledFor)) / 1000);
  if (lagSeconds > bot.cadenceSeconds) return { ran: false, lagSeconds };
  await deps.heartbeats.beat({
    name: `bot:${bot.name}`,
    at: now.toISOString(),
    detail: { scheduledFor: tick.scheduledFor, lagSeconds: String(lagSeconds), signals: '0' },
  });
  return { ran: true, lagSeconds };
}
