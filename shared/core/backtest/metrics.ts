// Performance figures of a backtest from its equity curve and deal records. Floats on purpose:
// drawdowns and ratios are statistics of a curve already sampled in floats, not money movements.
import type { BacktestMetrics, DealRecord } from './backtest-types.js';

const DAY_MS = 86_400_000;

export interface MetricsInput {
  /** Open time of each bar (epoch ms), index for index with `equity`. */
  readonly times: ArrayLike<number>;
  /** Equity (quote + base × close) at each bar's close. */
  readonly equity: ArrayLike<number>;
  /** Equity before the first bar. */
  readonly initialEquity: number;
  readonly deals: readonly DealRecord[];
  readonly refusedEntries: number;
  /** Bars during which a deal was open. */
  readonly exposedBars: number;
  readonly firstClose: number;
  readonly lastClose: number;
}

export interface Drawdown {
  readonly percent: number;
  readonly quote: number;
}

/** Largest fall from a running peak, as a share of that peak and in quote (each its own maximum). */
export function maxDrawdown(equity: ArrayLike<number>, start: number): Drawdown {
  let peak = start;
  let percent = 0;
  let quote = 0;
  for (let i = 0; i < equity.length; i++) {
    const e = equity[i] ?? peak;
    if (e > peak) {
      peak = e;
      continue;
    }
    const fall = peak - e;
    if (fall > quote) quote = fall;
    if (peak > 0 && fall / peak > percent) percent = fall / peak;
  }
  return { percent: percent * 100, quote };
}

/**
 * Day-over-day returns: a day's equity is the close of its last bar (days by the bars' open time,
 * UTC); the first day is measured from `start`. Days without bars (feed gaps) are skipped.
 */
export function dailyReturns(times: ArrayLike<number>, equity: ArrayLike<number>, start: number): number[] {
  const returns: number[] = [];
  let previous = start;
  const n = Math.min(times.length, equity.length);
  for (let i = 0; i < n; i++) {
    const day = Math.floor((times[i] ?? 0) / DAY_MS);
    const nextDay = i + 1 < n ? Math.floor((times[i + 1] ?? 0) / DAY_MS) : Number.NaN;
    if (day === nextDay) continue; // not the day's last bar
    const e = equity[i] ?? previous;
    returns.push(previous === 0 ? 0 : e / previous - 1);
    previous = e;
  }
  return returns;
}

const mean = (xs: readonly number[]) => xs.reduce((s, x) => s + x, 0) / xs.length;

/** mean / sample standard deviation × √365; null with fewer than 2 returns or none varying. */
export function sharpeRatio(returns: readonly number[]): number | null {
  if (returns.length < 2) return null;
  const m = mean(returns);
  const variance = returns.reduce((s, r) => s + (r - m) ** 2, 0) / (returns.length - 1);
  return variance > 0 ? (m / Math.sqrt(variance)) * Math.sqrt(365) : null;
}

/** mean / downside deviation (√(Σ min(r, 0)² / n), target 0) × √365; null without a losing day. */
export function sortinoRatio(returns: readonly number[]): number | null {
  if (returns.length < 2) return null;
  const downside = Math.sqrt(returns.reduce((s, r) => s + (r < 0 ? r * r : 0), 0) / returns.length);
  return downside > 0 ? (mean(returns) / downside) * Math.sqrt(365) : null;
}

export function backtestMetrics(input: MetricsInput): BacktestMetrics {
  const { equity, initialEquity, deals } = input;
  const closed = deals.filter((d) => d.closedAt !== null);
  const pnl = closed.map((d) => Number(d.realizedPnl));
  const wins = pnl.filter((p) => p > 0).length;
  const losses = pnl.filter((p) => p < 0).length;
  const finalEquity = equity.length > 0 ? (equity[equity.length - 1] ?? initialEquity) : initialEquity;
  const drawdown = maxDrawdown(equity, initialEquity);
  const returns = dailyReturns(input.times, equity, initialEquity);
  const bars = equity.length;
  const average = (xs: readonly number[]) => (xs.length === 0 ? 0 : mean(xs));
  return {
    trades: closed.length,
    wins,
    losses,
    // A break-even deal is neither: it is reported on its own and left out of the win rate.
    breakEven: closed.length - wins - losses,
    winRatePercent: wins + losses === 0 ? 0 : (wins / (wins + losses)) * 100,
    openDeals: deals.length - closed.length,
    refusedEntries: input.refusedEntries,
    initialEquity,
    finalEquity,
    netPnlQuote: finalEquity - initialEquity,
    netPnlPercent: initialEquity === 0 ? 0 : (finalEquity / initialEquity - 1) * 100,
    realizedPnlQuote: pnl.reduce((s, p) => s + p, 0),
    feesQuote: deals.reduce((s, d) => s + Number(d.fees), 0),
    maxDrawdownPercent: drawdown.percent,
    maxDrawdownQuote: drawdown.quote,
    sharpe: sharpeRatio(returns),
    sortino: sortinoRatio(returns),
    exposurePercent: bars === 0 ? 0 : (input.exposedBars / bars) * 100,
    averageSafetyOrders: average(closed.map((d) => d.safetyOrdersFilled)),
    averageDealDurationMs: average(closed.map((d) => (d.closedAt ?? d.openedAt) - d.openedAt)),
    buyAndHoldPercent: input.firstClose > 0 ? (input.lastClose / input.firstClose - 1) * 100 : 0,
    days: returns.length,
  };
}
