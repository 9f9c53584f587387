// The backtester's records: one per deal, the equity curve, and the figures derived from them.
// Money is kept as decimal strings where it came from exact fills; curve and ratios are floats.
import type { DecimalString } from '../money/decimal.js';

/** One deal as it went: what it bought, how it left, what it earned. */
export interface DealRecord {
  readonly dealId: string;
  readonly status: string;
  /** Epoch ms: the close of the bar whose signal opened it. */
  readonly openedAt: number;
  /** Epoch ms: the close of the bar in which the exit filled; null while open. */
  readonly closedAt: number | null;
  readonly closeReason: string | null;
  /** Average price paid, fees excluded. */
  readonly averageEntry: DecimalString | null;
  /** Average price received across the exit fills; null when nothing was sold. */
  readonly exitPrice: DecimalString | null;
  /** Σ base bought. */
  readonly amount: DecimalString;
  /** Σ quote spent on buys, fees excluded. */
  readonly invested: DecimalString;
  /** Realized PnL net of every fee (quote). */
  readonly realizedPnl: DecimalString;
  readonly fees: DecimalString;
  readonly safetyOrdersFilled: number;
  /** Base left over below the market's minimum, reported by the deal rather than lost. */
  readonly dust: DecimalString | null;
  /**
   * Fills that came after the deal had closed: an order it cancelled had already filled in the
   * same bar (e.g. a safety order below a stop that fired first). A late buy is sold at market at
   * that bar's close; realizedPnl and fees include both.
   */
  readonly lateFills: number;
}

export interface BacktestMetrics {
  /** Closed deals (an open deal at the end is counted in `openDeals` only). */
  readonly trades: number;
  readonly wins: number;
  readonly losses: number;
  /** Closed deals whose realized PnL is exactly zero: neither wins nor losses. */
  readonly breakEven: number;
  readonly winRatePercent: number;
  readonly openDeals: number;
  /** Entries the account could not open (refused base order, plan error). */
  readonly refusedEntries: number;
  readonly initialEquity: number;
  readonly finalEquity: number;
  /** Final equity − initial, unrealized PnL of an open deal included. */
  readonly netPnlQuote: number;
  readonly netPnlPercent: number;
  readonly realizedPnlQuote: number;
  readonly feesQuote: number;
  readonly maxDrawdownPercent: number;
  readonly maxDrawdownQuote: number;
  /** Annualized with √365 from daily returns, risk-free 0; null with < 2 days or no variation. */
  readonly sharpe: number | null;
  readonly sortino: number | null;
  readonly exposurePercent: number;
  readonly averageSafetyOrders: number;
  readonly averageDealDurationMs: number;
  /** First bar's close to last bar's close, in %. */
  readonly buyAndHoldPercent: number;
  readonly days: number;
}
