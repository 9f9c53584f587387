// One tick of one house bot over its universe. Per symbol: deliver an accepted-but-undelivered signal
// again; skip when the bot is cooling down on it, when no new bar has closed since the last
// evaluation, or while its last signal is still open (neither first target nor stop reached, younger
// than the max age); otherwise evaluate the strategy on closed bars, claim the bar (a conditional
// write: of two overlapping ticks only one emits) and deliver the signal through ingest, as every
// other source does. A failing symbol is logged and skipped; an exchange rate limit ends the tick.
import {
  type BarSeries,
  type BotSignalIdea,
  type BotStrategy,
  barsUpTo,
  TIMEFRAME_MS,
} from '../../core/bots/bot-types.js';
import { lastBars } from '../../core/market/resample.js';
import { type Signal, signalSchema } from '../../core/signals/signal.js';
import type { Clock } from '../../ports/clock.js';
import { ExchangeError } from '../../ports/exchange-gateway.js';
import type {
  BotStateRepository,
  BotSymbolState,
  MarketData,
  OpenBotSignal,
} from '../../ports/market-data.js';
import { type IngestDeps, ingestSignal, signalKeyOf } from '../ingest-signal.js';
import type { BotRuntimeConfig } from './bot-config.js';
import { ideaProblem, signalFromIdea } from './signal-from-idea.js';

export interface BotLog {
  info(message: string, attributes: Record<string, unknown>): void;
  warn(message: string, attributes: Record<string, unknown>): void;
}

export interface BotRunnerDeps {
  readonly market: MarketData;
  readonly state: BotStateRepository;
  readonly ingest: IngestDeps;
  readonly clock: Clock;
  readonly config: BotRuntimeConfig;
  readonly log: BotLog;
}

export type SymbolOutcome =
  | 'signal'
  | 'no-idea'
  | 'no-new-bar'
  | 'cooldown'
  | 'open-signal'
  | 'warming-up'
  | 'claimed-elsewhere'
  | 'invalid-idea'
  | 'failed'
  | 'not-run';

export interface BotRunResult {
  readonly signals: number;
  readonly outcomes: Readonly<Record<string, SymbolOutcome>>;
  /** The tick ended early on an exchange rate limit. */
  readonly rateLimited: boolean;
}

/** Whether an open signal still stands after the bars that closed since it (its own bar excluded). */
export function isStillOpen(open: OpenBotSignal, primary: BarSeries, now: Date, maxAgeMs: number): boolean {
  if (now.getTime() - Date.parse(open.openedAt) > maxAgeMs) return false;
  const target = Number(open.firstTarget);
  const stop = Number(open.stopLoss);
  const long = open.side === 'long';
  for (let i = 0; i < primary.length; i++) {
    if ((primary.openTime[i] ?? 0) <= open.barOpenTime) continue;
    const high = primary.high[i] ?? 0;
    const low = primary.low[i] ?? 0;
    if (long ? high >= target || low <= stop : low <= target || high >= stop) return false;
  }
  return true;
}

async function deliver(deps: BotRunnerDeps, strategy: BotStrategy, symbol: string, signal: Signal) {
  const result = await ingestSignal(deps.ingest, signalSchema.parse(signal));
  await deps.state.markDelivered(strategy.name, symbol, result.signalKey);
  return result;
}

/** The most closed bars a tick may be configured to evaluate (`maxBarsPerTick`). */
export const MAX_CATCH_UP_BARS = 24;

/** Which bars of `primary` this tick evaluates, oldest first (indices). */
function barsToEvaluate(
  deps: BotRunnerDeps,
  strategy: BotStrategy,
  symbol: string,
  primary: BarSeries,
  state: BotSymbolState | undefined,
  now: Date,
  cadenceMs: number,
): number[] {
  const last = primary.length - 1;
  // A first tick, or one after a long pause, decides on the last closed bar only.
  if (state?.lastEvaluatedBar === undefined) return [last];
  // Bars that closed since the previous tick slot (at most maxBarsPerTick): where ticks come slower
  // than bars, none is skipped; in the cloud that is the last bar alone. Older ones are stale.
  const oldestClose = now.getTime() - cadenceMs - 1_000;
  const indices: number[] = [];
  const most = Math.max(1, Math.min(deps.config.maxBarsPerTick, MAX_CATCH_UP_BARS));
  for (let i = last; i >= 0 && indices.length < most; i--) {
    const open = primary.openTime[i] ?? 0;
    if (open <= state.lastEvaluatedBar) break;
    if (i !== last && deps.market.closeTimeOf(symbol, strategy.timeframe, open).getTime() < oldestClose)
      break;
    indices.push(i);
  }
  return indices.reverse();
}

/** The higher-timeframe bars closed by the close of primary bar `openTime` (the last `count`). */
function higherClosedBy(higher: BarSeries, higherMs: number, closeTime: number, count: number): BarSeries {
  let end = higher.length;
  while (end > 0 && (higher.openTime[end - 1] ?? 0) + higherMs > closeTime) end--;
  return lastBars(barsUpTo(higher, end), count);
}

async function runSymbol(
  deps: BotRunnerDeps,
  strategy: BotStrategy,
  symbol: string,
  state: BotSymbolState | undefined,
  now: Date,
  cadenceMs: number,
): Promise<SymbolOutcome> {
  let open = state?.openSignal;
  if (open && !open.delivered) {
    const result = await deliver(deps, strategy, symbol, open.signal);
    deps.log.info('bot signal delivered again', {
      bot: strategy.name,
      symbol,
      correlationId: result.signalKey,
      duplicate: result.duplicate,
    });
  }
  const cooldown = deps.config.cooldownMs[strategy.name];
  if (state?.lastSignalAt && now.getTime() - Date.parse(state.lastSignalAt) < cooldown) return 'cooldown';
  const lastClosed = deps.market.lastClosedOpenTime(symbol, strategy.timeframe, now);
  if (state?.lastEvaluatedBar !== undefined && state.lastEvaluatedBar >= lastClosed) return 'no-new-bar';

  const tfMs = TIMEFRAME_MS[strategy.timeframe];
  const span = Math.max(1, Math.min(deps.config.maxBarsPerTick, MAX_CATCH_UP_BARS));
  const primary = await deps.market.closedBars(symbol, strategy.timeframe, strategy.lookback + span, now);
  const lastBar = primary.openTime[primary.length - 1];
  if (lastBar === undefined) return 'warming-up';
  if (state?.lastEvaluatedBar !== undefined && state.lastEvaluatedBar >= lastBar) return 'no-new-bar';

  let higher: BarSeries | undefined;
  const higherTf = strategy.higherTimeframe;
  const higherCount = strategy.higherLookback ?? strategy.lookback;
  let outcome: SymbolOutcome = 'warming-up';
  for (const i of barsToEvaluate(deps, strategy, symbol, primary, state, now, cadenceMs)) {
    const bar = primary.openTime[i] ?? 0;
    const upTo = barsUpTo(primary, i + 1);
    if (open && isStillOpen(open, upTo, now, deps.config.maxOpenSignalAgeMs)) {
      outcome = 'open-signal';
      continue;
    }
    open = undefined;
    if (upTo.length < strategy.lookback) {
      outcome = 'warming-up';
      continue;
    }
    if (higherTf && !higher) {
      const extra = Math.ceil((span * tfMs) / TIMEFRAME_MS[higherTf]) + 1;
      higher = await deps.market.closedBars(symbol, higherTf, higherCount + extra, now);
    }
    const idea = strategy.evaluate({
      symbol,
      primary: lastBars(upTo, strategy.lookback),
      ...(higherTf && higher
        ? { higher: higherClosedBy(higher, TIMEFRAME_MS[higherTf], bar + tfMs, higherCount) }
        : {}),
    });
    const problem = idea ? ideaProblem(idea) : null;
    if (problem) deps.log.warn('bot idea refused', { bot: strategy.name, symbol, problem });
    outcome = problem ? 'invalid-idea' : 'no-idea';
    if (!idea || problem) continue;
    return emit(deps, strategy, symbol, { bar, claimBar: lastBar, idea, now });
  }
  const claimed = await deps.state.claimBar(strategy.name, symbol, lastBar, open ?? null, now);
  return claimed ? outcome : 'claimed-elsewhere';
}

async function emit(
  deps: BotRunnerDeps,
  strategy: BotStrategy,
  symbol: string,
  input: { bar: number; claimBar: number; idea: BotSignalIdea; now: Date },
): Promise<SymbolOutcome> {
  const { bar, idea, now } = input;
  const signal = signalFromIdea({
    bot: strategy.name,
    symbol,
    timeframe: strategy.timeframe,
    barOpenTime: bar,
    closedAt: deps.market.closeTimeOf(symbol, strategy.timeframe, bar),
    idea,
  });
  const firstTarget = signal.targets[0]?.price;
  if (!firstTarget || !signal.stopLoss) return 'invalid-idea';
  const openSignal: OpenBotSignal = {
    signalKey: signalKeyOf(signal),
    barOpenTime: bar,
    side: signal.side,
    firstTarget,
    stopLoss: signal.stopLoss,
    openedAt: now.toISOString(),
    delivered: false,
    signal,
  };
  const claimed = await deps.state.claimBar(strategy.name, symbol, input.claimBar, openSignal, now);
  if (!claimed) return 'claimed-elsewhere';
  const result = await deliver(deps, strategy, symbol, signal);
  deps.log.info('bot signal', {
    bot: strategy.name,
    symbol,
    side: signal.side,
    correlationId: result.signalKey,
    duplicate: result.duplicate,
    targets: signal.targets.map((t) => t.price),
    stopLoss: signal.stopLoss,
    confidence: signal.confidence,
    reason: idea.reason,
  });
  return 'signal';
}

export async function runBotStrategy(
  deps: BotRunnerDeps,
  strategy: BotStrategy,
  universe: readonly string[],
  /** How often the bot ticks: bars closed within one cadence before now are this tick's to evaluate. */
  cadenceMs: number,
): Promise<BotRunResult> {
  const now = deps.clock.now();
  const states = await deps.state.listForBot(strategy.name);
  const outcomes: Record<string, SymbolOutcome> = Object.fromEntries(universe.map((s) => [s, 'not-run']));
  let rateLimited = false;
  let next = 0;
  const worker = async () => {
    while (!rateLimited && next < universe.length) {
      const symbol = universe[next++];
      if (symbol === undefined) break;
      try {
        outcomes[symbol] = await runSymbol(deps, strategy, symbol, states.get(symbol), now, cadenceMs);
      } catch (error) {
        outcomes[symbol] = 'failed';
        const exchange = error instanceof ExchangeError ? error : null;
        if (exchange?.kind === 'rate-limited') rateLimited = true;
        deps.log.warn(
          exchange?.kind === 'rate-limited' ? 'rate limited: tick ends early' : 'bot symbol failed',
          {
            bot: strategy.name,
            symbol,
            errorName: error instanceof Error ? error.name : typeof error,
            errorKind: exchange?.kind,
            errorMessage: error instanceof Error ? error.message : String(error),
          },
        );
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, deps.config.concurrency) }, worker));
  const signals = Object.values(outcomes).filter((o) => o === 'signal').length;
  return { signals, outcomes, rateLimited };
}
