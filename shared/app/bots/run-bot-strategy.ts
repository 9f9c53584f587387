// One tick of one house bot over its universe. Per symbol: deliver an accepted-but-undelivered signal
// again; skip when the bot is cooling down on it, when no new bar has closed since the last
// evaluation, or while its last signal is still open (neither first target nor stop reached, younger
// than the max age); otherwise evaluate the strategy on closed bars, claim the bar (a conditional
// write: of two overlapping ticks only one emits) and deliver the signal through ingest, as every
// other source does. A failing symbol is logged and skipped; an exchange rate limit ends the tick.
import type { BarSeries, BotStrategy } from '../../core/bots/bot-types.js';
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

async function runSymbol(
  deps: BotRunnerDeps,
  strategy: BotStrategy,
  symbol: string,
  state: BotSymbolState | undefined,
  now: Date,
): Promise<SymbolOutcome> {
  const open = state?.openSignal;
  if (open && !open.delivered) {
    const result = await deliver(deps, strategy, symbol, open.signal);
    deps.log.info('bot signal delivered again', {
      bot: strategy.name,
      symbol,
      correlation_id: result.signalKey,
      duplicate: result.duplicate,
    });
  }
  const cooldown = deps.config.cooldownMs[strategy.name];
  if (state?.lastSignalAt && now.getTime() - Date.parse(state.lastSignalAt) < cooldown) return 'cooldown';
  const lastClosed = deps.market.lastClosedOpenTime(symbol, strategy.timeframe, now);
  if (state?.lastEvaluatedBar !== undefined && state.lastEvaluatedBar >= lastClosed) return 'no-new-bar';

  const primary = await deps.market.closedBars(symbol, strategy.timeframe, strategy.lookback, now);
  const bar = primary.openTime[primary.length - 1];
  if (bar === undefined) return 'warming-up';
  if (state?.lastEvaluatedBar !== undefined && state.lastEvaluatedBar >= bar) return 'no-new-bar';

  if (open && isStillOpen(open, primary, now, deps.config.maxOpenSignalAgeMs)) {
    // Checked up to this bar; the next tick looks only when another bar has closed.
    await deps.state.claimBar(strategy.name, symbol, bar, open, now);
    return 'open-signal';
  }
  if (primary.length < strategy.lookback) {
    await deps.state.claimBar(strategy.name, symbol, bar, null, now);
    return 'warming-up';
  }
  const higher =
    strategy.higherTimeframe !== undefined
      ? await deps.market.closedBars(
          symbol,
          strategy.higherTimeframe,
          strategy.higherLookback ?? strategy.lookback,
          now,
        )
      : undefined;
  const idea = strategy.evaluate({ symbol, primary, ...(higher ? { higher } : {}) });
  const problem = idea ? ideaProblem(idea) : null;
  if (!idea || problem) {
    if (problem) deps.log.warn('bot idea refused', { bot: strategy.name, symbol, problem });
    const claimed = await deps.state.claimBar(strategy.name, symbol, bar, null, now);
    return !claimed ? 'claimed-elsewhere' : problem ? 'invalid-idea' : 'no-idea';
  }
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
  if (!(await deps.state.claimBar(strategy.name, symbol, bar, openSignal, now))) return 'claimed-elsewhere';
  const result = await deliver(deps, strategy, symbol, signal);
  deps.log.info('bot signal', {
    bot: strategy.name,
    symbol,
    side: signal.side,
    correlation_id: result.signalKey,
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
        outcomes[symbol] = await runSymbol(deps, strategy, symbol, states.get(symbol), now);
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
