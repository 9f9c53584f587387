// The backtest loop: replays a candle series through a signal source and the DCA deal engine on the
// paper matching engine, one deal at a time (the engine is one spot account). Per bar i:
//   1. the engine matches the resting orders against bar i; each fill goes to the deal as an event
//      and the deal's commands are carried out at once (deal-executor.ts);
//   2. if the deal watches prices (trailing take-profit, a watched take-profit, a stop with a timeout
//      or one the exchange refused), it sees bar i's close; a watched stop without a timeout is
//      checked against bar i's adverse extreme first and fills at min(stop, open) for a long
//      (max for a short), as a resting stop-market would;
//   3. the signal source is fed bar i's close (and its index, to read the rest of the bar); with no
//      deal open, the cooldown over and a signal, a deal opens: its base order is a market order
//      filled at bar i's close moved by slippage, its exits the source's own when it gives some.
// Decisions use closed bars only (bar i is never decided on with bar i+1), and orders placed at a
// bar's close take part from the next bar on. Time resolution is the bar: whatever bar i causes is
// stamped with its close (open time + bar length), and so is a deal that opens at it.
// Inside one bar the paper engine's intraCandlePath decides the order of fills, adverse extreme
// first for the holder: while a long is held the bar runs open → low → high → close, so when one bar
// touches both the stop-loss and the take-profit, the stop-loss fills (the conservative outcome),
// and safety orders fill on the way down before a take-profit on the way up.
// Speed: on a bar where nothing rests within reach the engine compares floats only, and this loop
// touches big.js only when something filled; equity is tracked in floats from the balances.
import { type Deal, dealFigures, dealWantsPrice, openDeal } from '../dca/deal.js';
import type { DealConfig } from '../dca/deal-types.js';
import type { DcaParameters } from '../dca/params.js';
import type { DcaMarketRules } from '../dca/plan.js';
import { DcaPlanError } from '../dca/plan-error.js';
import { type DecimalString, dec, str } from '../money/decimal.js';
import type { CandleSeries } from '../paper/candle-series.js';
import { PaperEngine } from '../paper/engine.js';
import type { PaperFeeModel } from '../paper/matching.js';
import type { BacktestMetrics, DealRecord } from './backtest-types.js';
import { barDurationMs } from './candle-csv.js';
import { DealExecutor, dealIsOver } from './deal-executor.js';
import { backtestMetrics } from './metrics.js';
import type { SignalSource } from './signal-sources.js';

export interface BacktestOptions {
  /** "BASE/QUOTE", e.g. "BTC/USDT". */
  readonly symbol: string;
  readonly series: CandleSeries;
  readonly signal: SignalSource;
  readonly params: DcaParameters;
  readonly rules: DcaMarketRules;
  readonly fees: PaperFeeModel;
  /** Starting quote balance (the account holds nothing else). */
  readonly initialQuote: DecimalString;
  /** Share of a bar's volume resting limits may take (engine default "0.1"); null: no cap. */
  readonly participationRate?: DecimalString | null;
  /** Bar length; inferred from the series when absent. */
  readonly barMs?: number;
  /** Called every 8,192 bars and at the end, for a progress display. */
  readonly onProgress?: (barsDone: number, bars: number) => void;
}

export interface BacktestResult {
  readonly symbol: string;
  readonly strategy: string;
  readonly barMs: number;
  readonly bars: number;
  /** Bar open times and equity at each bar's close (quote + base × close). */
  readonly times: Float64Array;
  readonly equity: Float64Array;
  readonly deals: readonly DealRecord[];
  readonly exposedBars: number;
  readonly refusedEntries: number;
  /** Why the first refused entry was refused, to show in the report. */
  readonly firstRefusal: string | null;
  readonly ordersPlaced: number;
  readonly fills: number;
  /**
   * Base the account holds at the end that no open deal owns: dust closed deals reported (below
   * the market's minimums), valued in the equity curve at every close.
   */
  readonly leftoverBase: number;
  /**
   * The deal still open at the end marked at the last close: its cash flow so far plus what it
   * holds at the last close (0 without one). Net PnL = Σ realized PnL of closed deals (dust booked
   * at its cost) + unrealizedPnl + leftoverBase × lastClose.
   */
  readonly unrealizedPnl: number;
  readonly lastClose: number;
  readonly metrics: BacktestMetrics;
}

/** After a refused entry, wait 1, 2, 4 … bars (at most this many) before trying again. */
const MAX_BACKOFF_BARS = 1024;
const PROGRESS_MASK = 8191;

export function runBacktest(options: BacktestOptions): BacktestResult {
  const { symbol, series, signal, params, rules } = options;
  const [baseAsset = symbol, quoteAsset = 'USDT'] = symbol.split('/');
  const engine = new PaperEngine({
    markets: [
      {
        symbol,
        base: baseAsset,
        quote: quoteAsset,
        rules: {
          amountStep: rules.amountStep,
          minAmount: rules.minAmount ?? rules.amountStep,
          minNotional: rules.minNotional,
        },
        priceTick: rules.tickSize,
      },
    ],
    fees: options.fees,
    balances: { [quoteAsset]: options.initialQuote },
    ...(options.participationRate === undefined ? {} : { participationRate: options.participationRate }),
    orderIdPrefix: 'bt-',
  });
  const executor = new DealExecutor(engine, symbol);
  const { candles, close } = series;
  const n = candles.length;
  const barMs = options.barMs ?? barDurationMs(series);
  const cooldownMs = params.cooldownSeconds * 1000;
  const times = new Float64Array(n);
  const equity = new Float64Array(n);
  const deals: DealRecord[] = [];
  let quoteHeld = Number(options.initialQuote);
  let baseHeld = 0;
  let exposedBars = 0;
  let nextEntryAt = Number.NEGATIVE_INFINITY;
  let backoffBars = 0;
  let refusedEntries = 0;
  let firstRefusal: string | null = null;
  let dealCount = 0;
  let dealId = '';

  const readBalances = () => {
    quoteHeld = 0;
    baseHeld = 0;
    for (const b of engine.balances()) {
      if (b.currency === quoteAsset) quoteHeld = Number(b.free) + Number(b.used);
      else if (b.currency === baseAsset) baseHeld = Number(b.free) + Number(b.used);
    }
    executor.balancesMoved = false;
  };

  const refuse = (reason: string, closeAt: number) => {
    refusedEntries++;
    firstRefusal ??= reason;
    backoffBars = Math.min(Math.max(1, backoffBars * 2), MAX_BACKOFF_BARS);
    nextEntryAt = closeAt + Math.max(cooldownMs, backoffBars * barMs);
  };

  /** A deal that has just ended: recorded (or counted as refused), and the cooldown starts. */
  const settle = (deal: Deal, closeAt: number) => {
    executor.deal = null;
    if (executor.bought.eq(0)) {
      refuse(executor.lastRejection ?? `deal ${dealId} ended ${deal.status} before buying`, closeAt);
      return;
    }
    deals.push(dealRecord(dealId, deal, executor, closeAt));
    nextEntryAt = closeAt + cooldownMs;
  };

  for (let i = 0; i < n; i++) {
    const candle = candles[i];
    if (candle === undefined) continue;
    const closeAt = candle.openTime + barMs;
    times[i] = candle.openTime;
    if (executor.deal !== null) exposedBars++;
    const trades = engine.onSeriesCandle(symbol, series, i);
    if (trades.length > 0) executor.onFills(trades, closeAt);
    let deal = executor.deal;
    if (deal !== null && !dealIsOver(deal) && dealWantsPrice(deal)) {
      const stopFill = watchedStopFill(deal, candle.open, series.low[i] ?? 0, series.high[i] ?? 0);
      if (stopFill !== null) {
        // The bar went through a stop the deal watches: it fires there, not at the close. The
        // engine's price moves to the conservative fill (a gap through the stop fills at the open)
        // for the market exit, then back to the close.
        const tickTrades = engine.onTick(symbol, { at: candle.openTime, price: stopFill });
        if (tickTrades.length > 0) executor.onFills(tickTrades, closeAt);
        if (executor.deal !== null && !dealIsOver(executor.deal)) {
          executor.apply({ type: 'price', price: stopFill, at: closeAt }, closeAt);
        }
        const backTrades = engine.onTick(symbol, { at: candle.openTime, price: candle.close });
        if (backTrades.length > 0) executor.onFills(backTrades, closeAt);
      }
      const current = executor.deal;
      if (current !== null && !dealIsOver(current) && dealWantsPrice(current)) {
        executor.apply({ type: 'price', price: candle.close, at: closeAt }, closeAt);
      }
      deal = executor.deal;
    }
    if (deal !== null && deal.status === 'closing') {
      executor.retryStalledExit(closeAt);
      deal = executor.deal;
    }
    if (deal !== null && dealIsOver(deal)) settle(deal, closeAt);
    const wanted = signal.update(close[i] ?? 0, i);
    if (wanted && executor.deal === null && closeAt >= nextEntryAt) {
      dealId = `d${++dealCount}`;
      const exits = signal.exits?.() ?? null;
      const dealParams = exits === null ? params : { ...params, ...exits };
      const config: DealConfig = { dealId, symbol, params: dealParams, rules };
      try {
        const step = openDeal(config, candle.close, closeAt);
        executor.start(dealId, step.deal, step.commands, closeAt);
        const opened = executor.deal;
        if (opened !== null && dealIsOver(opened)) settle(opened, closeAt);
        else backoffBars = 0;
      } catch (error) {
        if (!(error instanceof DcaPlanError)) throw error;
        refuse(`${error.code}: ${error.message}`, closeAt);
      }
    }
    if (executor.balancesMoved) readBalances();
    equity[i] = quoteHeld + baseHeld * (close[i] ?? 0);
    if ((i & PROGRESS_MASK) === 0 && options.onProgress) options.onProgress(i, n);
  }
  const open = executor.deal;
  if (open !== null) deals.push(dealRecord(dealId, open, executor, null));
  readBalances();
  const owned = open === null ? 0 : Number(executor.bought.minus(executor.sold));
  const unrealizedPnl =
    open === null
      ? 0
      : Number(dec(dealFigures(open).netQuoteFlow).plus(executor.lateFlow)) + owned * (close[n - 1] ?? 0);
  options.onProgress?.(n, n);
  const metrics = backtestMetrics({
    times,
    equity,
    initialEquity: Number(options.initialQuote),
    deals,
    refusedEntries,
    exposedBars,
    firstClose: close[0] ?? 0,
    lastClose: close[n - 1] ?? 0,
  });
  return {
    symbol,
    strategy: signal.name,
    barMs,
    bars: n,
    times,
    equity,
    deals,
    exposedBars,
    refusedEntries,
    firstRefusal,
    ordersPlaced: executor.ordersPlaced,
    fills: executor.fills,
    leftoverBase: Math.max(0, baseHeld - owned),
    unrealizedPnl,
    lastClose: close[n - 1] ?? 0,
    metrics,
  };
}

/**
 * Where a stop the deal watches (no resting order, no timeout) fires in this bar, or null: the
 * bar's adverse extreme (a long's low, a short's high) reached it; the fill is the stop, or the
 * open when the bar gapped through it (long: min(stop, open), short: max).
 */
function watchedStopFill(deal: Deal, open: string, low: number, high: number): DecimalString | null {
  const stop = deal.stop;
  if (stop === undefined || stop.clientOrderId !== undefined) return null;
  if (deal.config.params.stopLossTimeoutSeconds > 0) return null; // timed: judged on closes
  const long = deal.config.params.side === 'long';
  if (long ? low > stop.priceShadow : high < stop.priceShadow) return null;
  const level = dec(stop.price);
  const opened = dec(open);
  return str(long ? (opened.lt(level) ? opened : level) : opened.gt(level) ? opened : level);
}

/** closedAt null: still open at the end of the data. */
function dealRecord(dealId: string, deal: Deal, ex: DealExecutor, closedAt: number | null): DealRecord {
  const f = dealFigures(deal);
  return {
    dealId,
    status: f.status,
    openedAt: f.openedAt,
    closedAt: closedAt === null ? null : (f.closedAt ?? closedAt),
    closeReason: f.closeReason ?? null,
    averageEntry: f.averageEntry ?? null,
    exitPrice: ex.sold.gt(0) ? str(ex.received.div(ex.sold).round(12)) : null,
    amount: str(ex.bought),
    invested: str(ex.spent),
    realizedPnl: ex.lateFills === 0 ? f.realizedPnl : str(dec(f.realizedPnl).plus(ex.lateFlow)),
    fees: ex.lateFills === 0 ? f.fees : str(dec(f.fees).plus(ex.lateFees)),
    safetyOrdersFilled: f.safetyOrdersFilled,
    dust: ex.lateDust.eq(0) ? (f.dust ?? null) : str(ex.lateDust.plus(f.dust ?? '0')),
    lateFills: ex.lateFills,
  };
}
