// The bot runtime's settings, the same for all four bots: what they trade in the cloud, how long each
// waits on a symbol after a signal, how long a signal counts as open.
import type { BotName } from '../../core/bots/bot-types.js';

/** Liquid USDT spot pairs the bots scan in the cloud (the local run scans the replay's symbols). */
export const DEFAULT_CLOUD_UNIVERSE: readonly string[] = [
  'BTC/USDT',
  'ETH/USDT',
  'BNB/USDT',
  'SOL/USDT',
  'XRP/USDT',
  'DOGE/USDT',
  'ADA/USDT',
  'TRX/USDT',
  'AVAX/USDT',
  'LINK/USDT',
  'DOT/USDT',
  'TON/USDT',
  'LTC/USDT',
  'BCH/USDT',
  'NEAR/USDT',
  'UNI/USDT',
  'ATOM/USDT',
  'APT/USDT',
  'ARB/USDT',
  'SUI/USDT',
];

const MINUTE = 60_000;

export interface BotRuntimeConfig {
  /** After a signal on a symbol, the bot stays quiet on that symbol this long (wall clock). */
  readonly cooldownMs: Readonly<Record<BotName, number>>;
  /** A signal whose first target and stop are both unreached stops blocking its symbol after this. */
  readonly maxOpenSignalAgeMs: number;
  /** Symbols evaluated at once within a tick. */
  readonly concurrency: number;
  /**
   * Closed bars one tick may evaluate: those closed since the previous tick slot, at most this many,
   * the last one always. 1 (the last bar only) by default: a signal from an older bar arrives after
   * the market has moved on (the local replay runs 60× faster than the clock, so a bar 20 s old is
   * 20 market minutes old and execution refuses it); in the cloud ticks come faster than bars anyway.
   */
  readonly maxBarsPerTick: number;
}

export const DEFAULT_BOT_RUNTIME: BotRuntimeConfig = {
  cooldownMs: { scalping: 15 * MINUTE, trend: 120 * MINUTE, qfl: 60 * MINUTE, ai: 30 * MINUTE },
  maxOpenSignalAgeMs: 24 * 60 * MINUTE,
  concurrency: 4,
  maxBarsPerTick: 1,
};
