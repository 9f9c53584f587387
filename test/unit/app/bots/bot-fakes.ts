// Fakes for the bot runtime's unit tests: a market of synthetic 5m bars (closed bars only, like the
// real adapters), a bot state store with the claim semantics of the DynamoDB one, an in-memory
// signal store and queue, and strategies that fire on demand.

import { DEFAULT_BOT_RUNTIME } from '../../../../shared/app/bots/bot-config.js';
import type { BotRunnerDeps } from '../../../../shared/app/bots/run-bot-strategy.js';
import type {
  BarSeries,
  BotName,
  BotSignalIdea,
  BotStrategy,
  BotTimeframe,
} from '../../../../shared/core/bots/bot-types.js';
import { TIMEFRAME_MS } from '../../../../shared/core/bots/bot-types.js';
import {
  closedOnly,
  lastClosedOpenTime,
  resample,
  seriesFromArrays,
} from '../../../../shared/core/market/resample.js';
import type {
  BotStateRepository,
  BotSymbolState,
  MarketData,
  OpenBotSignal,
} from '../../../../shared/ports/market-data.js';
import type { OutgoingMessage, QueuePublisher } from '../../../../shared/ports/queue-publisher.js';
import type { SignalRepository, SignalStatus, StoredSignal } from '../../../../shared/ports/repositories.js';

const M5 = TIMEFRAME_MS['5m'];

/** A market whose 5m bars close at `price(i)` for bar i since `origin`; `failing` symbols throw. */
export class FakeMarket implements MarketData {
  readonly failing = new Map<string, Error>();
  readonly requests: { symbol: string; timeframe: BotTimeframe; count: number }[] = [];
  /** Per symbol, the high/low overrides of bars by open time (to touch targets and stops). */
  readonly extremes = new Map<number, { high?: number; low?: number }>();

  constructor(
    private readonly symbols: readonly string[],
    private readonly origin = Date.UTC(2026, 0, 1),
  ) {}

  fixedSymbols(): readonly string[] {
    return this.symbols;
  }

  lastClosedOpenTime(_symbol: string, timeframe: BotTimeframe, now: Date): number {
    return lastClosedOpenTime(TIMEFRAME_MS[timeframe], now.getTime());
  }

  closeTimeOf(_symbol: string, timeframe: BotTimeframe, openTime: number): Date {
    return new Date(openTime + TIMEFRAME_MS[timeframe]);
  }

  async closedBars(symbol: string, timeframe: BotTimeframe, count: number, now: Date): Promise<BarSeries> {
    this.requests.push({ symbol, timeframe, count });
    const failure = this.failing.get(symbol);
    if (failure) throw failure;
    const tf = TIMEFRAME_MS[timeframe];
    const end = lastClosedOpenTime(tf, now.getTime()) + tf;
    const start = Math.max(this.origin, end - count * tf);
    const arrays = {
      openTime: [] as number[],
      open: [] as number[],
      high: [] as number[],
      low: [] as number[],
      close: [] as number[],
      volume: [] as number[],
    };
    for (let t = start; t < end; t += M5) {
      const x = this.extremes.get(t);
      arrays.openTime.push(t);
      arrays.open.push(100);
      arrays.high.push(x?.high ?? 100.5);
      arrays.low.push(x?.low ?? 99.5);
      arrays.close.push(100);
      arrays.volume.push(1);
    }
    return closedOnly(resample(seriesFromArrays(arrays), M5, tf), tf, now.getTime());
  }
}

export class FakeBotState implements BotStateRepository {
  readonly items = new Map<string, BotSymbolState>();

  async listForBot(bot: BotName): Promise<ReadonlyMap<string, BotSymbolState>> {
    return new Map([...this.items.values()].filter((s) => s.bot === bot).map((s) => [s.symbol, s]));
  }

  async claimBar(
    bot: BotName,
    symbol: string,
    bar: number,
    openSignal: OpenBotSignal | null,
  ): Promise<boolean> {
    const key = `${bot}|${symbol}`;
    const known = this.items.get(key);
    if (known?.lastEvaluatedBar !== undefined && known.lastEvaluatedBar >= bar) return false;
    this.items.set(key, {
      bot,
      symbol,
      lastEvaluatedBar: bar,
      ...(openSignal
        ? { openSignal, lastSignalAt: openSignal.openedAt }
        : known?.lastSignalAt
          ? { lastSignalAt: known.lastSignalAt }
          : {}),
    });
    return true;
  }

  async markDelivered(bot: BotName, symbol: string, signalKey: string): Promise<void> {
    const key = `${bot}|${symbol}`;
    const known = this.items.get(key);
    if (known?.openSignal?.signalKey === signalKey) {
      this.items.set(key, { ...known, openSignal: { ...known.openSignal, delivered: true } });
    }
  }
}

export class MemorySignals implements SignalRepository {
  readonly stored = new Map<string, StoredSignal>();
  async putIfAbsent(signal: StoredSignal) {
    const known = this.stored.get(signal.signalKey);
    if (known) return { created: false, stored: known };
    this.stored.set(signal.signalKey, signal);
    return { created: true, stored: signal };
  }
  async get(key: string) {
    return this.stored.get(key) ?? null;
  }
  async markStatus(key: string, status: SignalStatus) {
    const known = this.stored.get(key);
    if (known) this.stored.set(key, { ...known, status });
  }
  async listRecent() {
    return [...this.stored.values()];
  }
}

export class MemoryQueue implements QueuePublisher {
  readonly sent: OutgoingMessage[] = [];
  async send(_queue: string, messages: readonly OutgoingMessage[]): Promise<void> {
    this.sent.push(...messages);
  }
}

/** A strategy that proposes a long at the last close whenever `fire` says so, and records what it saw. */
export function fakeStrategy(
  name: BotName,
  options: {
    timeframe?: BotTimeframe;
    higherTimeframe?: BotTimeframe;
    lookback?: number;
    fire?: (symbol: string) => boolean;
  } = {},
) {
  const seen: { symbol: string; lastOpen: number; length: number; higherLength?: number }[] = [];
  const strategy: BotStrategy = {
    name,
    timeframe: options.timeframe ?? '5m',
    ...(options.higherTimeframe ? { higherTimeframe: options.higherTimeframe, higherLookback: 10 } : {}),
    lookback: options.lookback ?? 20,
    evaluate(ctx): BotSignalIdea | null {
      seen.push({
        symbol: ctx.symbol,
        lastOpen: ctx.primary.openTime[ctx.primary.length - 1] ?? Number.NaN,
        length: ctx.primary.length,
        ...(ctx.higher ? { higherLength: ctx.higher.length } : {}),
      });
      if (!(options.fire ?? (() => true))(ctx.symbol)) return null;
      const entry = ctx.primary.close[ctx.primary.length - 1] ?? 0;
      return {
        side: 'long',
        entryPrice: entry,
        targets: [{ price: entry * 1.01 }, { price: entry * 1.02 }],
        stopLoss: entry * 0.98,
        confidence: 0.7,
        reason: 'always',
      };
    },
  };
  return { strategy, seen };
}

export class StepClock {
  constructor(public ms: number) {}
  now = () => new Date(this.ms);
  advance(ms: number) {
    this.ms += ms;
  }
}

export function runnerDeps(market: MarketData, clock: StepClock) {
  const state = new FakeBotState();
  const signals = new MemorySignals();
  const queue = new MemoryQueue();
  const logs: { level: 'info' | 'warn'; message: string; attributes: Record<string, unknown> }[] = [];
  const deps: BotRunnerDeps = {
    market,
    state,
    ingest: { signals, queue, clock },
    clock,
    config: DEFAULT_BOT_RUNTIME,
    log: {
      info: (message, attributes) => logs.push({ level: 'info', message, attributes }),
      warn: (message, attributes) => logs.push({ level: 'warn', message, attributes }),
    },
  };
  return { deps, state, signals, queue, logs };
}
