// A strategy's idea (float prices) made into the Signal every source delivers: a market entry with
// targets and stop written as decimal strings of 6 significant digits, rounded away from the entry
// (a long's targets up, its stop down), so rounding never moves a target below the entry or a stop
// above it. The id is deterministic: the same bot, symbol and bar always make the same signal.
import type { BotName, BotSignalIdea, BotTimeframe } from '../../core/bots/bot-types.js';
import { dec } from '../../core/money/decimal.js';
import { type Signal, signalSchema } from '../../core/signals/signal.js';

const SIGNIFICANT = 6;

/** `value` to `digits` significant digits, rounded up or down, as a plain decimal string. */
export function roundSignificant(value: number, direction: 'up' | 'down', digits = SIGNIFICANT): string {
  if (!(Number.isFinite(value) && value > 0)) throw new RangeError(`not a positive price: ${value}`);
  const exponent = Math.floor(Math.log10(value));
  const decimals = Math.max(0, digits - 1 - exponent);
  // big.js rounding modes: 0 = down (toward zero), 3 = up (away from zero).
  const rounded = dec(value).round(digits - 1 - exponent, direction === 'up' ? 3 : 0);
  return rounded.toFixed(decimals);
}

export function botSignalId(bot: BotName, symbol: string, barOpenTime: number): string {
  return `${bot}-${symbol.replace('/', '')}-${barOpenTime}`;
}

/** Why the idea cannot be a signal, or null: targets beyond the entry, stop on the other side. */
export function ideaProblem(idea: BotSignalIdea): string | null {
  const long = idea.side === 'long';
  const beyond = (p: number) => (long ? p > idea.entryPrice : p < idea.entryPrice);
  if (!(idea.entryPrice > 0)) return 'entry price is not positive';
  if (idea.targets.length === 0) return 'no targets';
  if (idea.targets.length > 10) return 'more than 10 targets';
  if (idea.targets.some((t) => !(t.price > 0) || !beyond(t.price))) return 'a target is not beyond the entry';
  if (!(idea.stopLoss > 0) || beyond(idea.stopLoss) || idea.stopLoss === idea.entryPrice) {
    return 'the stop is not on the losing side of the entry';
  }
  return null;
}

export function signalFromIdea(input: {
  readonly bot: BotName;
  readonly symbol: string;
  readonly timeframe: BotTimeframe;
  readonly barOpenTime: number;
  /** When the bar the idea was decided on closed (wall clock). */
  readonly closedAt: Date;
  readonly idea: BotSignalIdea;
}): Signal {
  const { idea } = input;
  const long = idea.side === 'long';
  return signalSchema.parse({
    signalId: botSignalId(input.bot, input.symbol, input.barOpenTime),
    source: 'house',
    bot: input.bot,
    symbol: input.symbol,
    side: idea.side,
    entry: { type: 'market' },
    targets: idea.targets.map((t) => ({
      price: roundSignificant(t.price, long ? 'up' : 'down'),
      ...(t.weight !== undefined ? { weight: t.weight } : {}),
    })),
    stopLoss: roundSignificant(idea.stopLoss, long ? 'down' : 'up'),
    timeframe: input.timeframe,
    confidence: Math.min(1, Math.max(0, idea.confidence)),
    createdAt: input.closedAt.toISOString(),
  });
}
