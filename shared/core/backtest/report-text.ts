// The backtest report as an aligned text table (what the CLI prints) and as a plain JSON object
// (what it writes to report.json): the run's setting, then one figure per row.
import type { DcaParameters } from '../dca/params.js';
import type { DcaMarketRules } from '../dca/plan.js';
import { isoFromEpochMs } from '../paper/iso-time.js';
import type { PaperFeeModel } from '../paper/matching.js';
import type { BacktestResult } from './run-backtest.js';

export interface ReportSetting {
  readonly dataLabel: string;
  readonly params: DcaParameters;
  readonly rules: DcaMarketRules;
  readonly fees: PaperFeeModel;
  readonly initialQuote: string;
}

const thousands = (x: number, digits = 2) =>
  x.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
const signed = (x: number, digits = 2) => `${x >= 0 ? '+' : ''}${thousands(x, digits)}`;
const ratio = (x: number | null) => (x === null ? 'n/a' : x.toFixed(2));

/** "2024-01-01 00:00" (UTC). */
const minuteText = (ms: number) => isoFromEpochMs(ms).slice(0, 16).replace('T', ' ');

/** A duration as "2d 3h 15m", "1h", "12m": the non-zero parts, minutes rounded. */
export function durationText(ms: number): string {
  const minutes = Math.round(ms / 60_000);
  const parts: Array<[number, string]> = [
    [Math.floor(minutes / 1440), 'd'],
    [Math.floor((minutes % 1440) / 60), 'h'],
    [minutes % 60, 'm'],
  ];
  const shown = parts.filter(([value]) => value > 0).map(([value, unit]) => `${value}${unit}`);
  return shown.length > 0 ? shown.join(' ') : '0m';
}

function dcaSummary(p: DcaParameters): string {
  const parts = [
    `${p.side}`,
    `BO ${p.baseOrderQuote}`,
    p.safetyOrderQuote === undefined ? null : `SO ${p.safetyOrderQuote}`,
    p.priceDeviationPercent === undefined ? null : `dev ${p.priceDeviationPercent}%`,
    p.stepScale === undefined ? null : `ss ${p.stepScale}`,
    p.volumeScale === undefined ? null : `vs ${p.volumeScale}`,
    p.maxSafetyOrders === undefined ? null : `max SO ${p.maxSafetyOrders}`,
    p.maxActiveSafetyOrders === undefined ? null : `active ${p.maxActiveSafetyOrders}`,
    `TP ${p.takeProfitPercent}%`,
    p.stopLossPercent === undefined ? null : `SL ${p.stopLossPercent}%`,
    p.cooldownSeconds > 0 ? `cooldown ${p.cooldownSeconds}s` : null,
  ];
  return parts.filter((x) => x !== null).join('  ');
}

/** The rows of the table: label, value. */
export function reportRows(result: BacktestResult, setting: ReportSetting): Array<[string, string]> {
  const m = result.metrics;
  const quote = result.symbol.split('/')[1] ?? 'quote';
  const first = result.times[0] ?? 0;
  const last = (result.times[result.bars - 1] ?? 0) + result.barMs;
  const { fees, rules } = setting;
  const rows: Array<[string, string]> = [
    ['Data', setting.dataLabel],
    ['Pair / strategy', `${result.symbol} / ${result.strategy}`],
    ['Period (UTC)', `${minuteText(first)} → ${minuteText(last)}`],
    ['Bars', `${result.bars.toLocaleString('en-US')} × ${durationText(result.barMs)}`],
    ['DCA', dcaSummary(setting.params)],
    [
      'Market / costs',
      `tick ${rules.tickSize}, step ${rules.amountStep}, min ${rules.minNotional} ${quote}; fee ${fees.takerFeeRate} taker / ${fees.makerFeeRate} maker, slippage ${fees.slippageBps} bps`,
    ],
    ['Starting balance', `${thousands(Number(setting.initialQuote))} ${quote}`],
    ['', ''],
    [
      'Deals closed',
      `${m.trades.toLocaleString('en-US')}${m.openDeals > 0 ? ` (+${m.openDeals} open at the end)` : ''}`,
    ],
    ['Wins / losses / break-even', `${m.wins} / ${m.losses} / ${m.breakEven}`],
    ['Win rate (of wins + losses)', `${m.winRatePercent.toFixed(1)} %`],
    ['Net PnL', `${signed(m.netPnlQuote)} ${quote} (${signed(m.netPnlPercent)} %)`],
    ['Realized PnL (closed deals)', `${signed(m.realizedPnlQuote)} ${quote} (dust booked at its cost)`],
    ['Fees paid', `${thousands(m.feesQuote)} ${quote}`],
    ['Final equity', `${thousands(m.finalEquity)} ${quote}`],
    ['Max drawdown', `${m.maxDrawdownPercent.toFixed(2)} % (${thousands(m.maxDrawdownQuote)} ${quote})`],
    ['Sharpe (daily, √365)', ratio(m.sharpe)],
    ['Sortino (daily, √365)', ratio(m.sortino)],
    ['Exposure', `${m.exposurePercent.toFixed(1)} % of bars`],
    ['Avg safety orders / deal', m.averageSafetyOrders.toFixed(2)],
    ['Avg deal duration', durationText(m.averageDealDurationMs)],
    ['Buy and hold', `${signed(m.buyAndHoldPercent)} %`],
    [
      'Orders placed / fills',
      `${result.ordersPlaced.toLocaleString('en-US')} / ${result.fills.toLocaleString('en-US')}`,
    ],
  ];
  if (m.openDeals > 0) {
    rows.push(['Unrealized PnL (open deal)', `${signed(result.unrealizedPnl)} ${quote} at the last close`]);
  }
  if (result.leftoverBase > 0) {
    const base = result.symbol.split('/')[0] ?? 'base';
    const worth = result.leftoverBase * result.lastClose;
    rows.push([
      'Dust left (no deal owns it)',
      `${+result.leftoverBase.toPrecision(12)} ${base} (${thousands(worth)} ${quote} at the last close)`,
    ]);
  }
  if (m.openDeals > 0 || result.leftoverBase > 0) {
    // Net PnL = realized + unrealized of the open deal + leftover dust at the last close.
    const dustValue = result.leftoverBase * result.lastClose;
    rows.push([
      'Net PnL reconciled',
      `${signed(m.realizedPnlQuote)} realized, ${signed(result.unrealizedPnl)} unrealized, ${signed(dustValue)} dust = ${signed(m.realizedPnlQuote + result.unrealizedPnl + dustValue)} ${quote}`,
    ]);
  }
  if (m.refusedEntries > 0) {
    rows.push(['Refused entries', `${m.refusedEntries} (first: ${result.firstRefusal ?? '?'})`]);
  }
  return rows;
}

export function formatReport(result: BacktestResult, setting: ReportSetting): string {
  const rows = reportRows(result, setting);
  const width = Math.max(...rows.map(([label]) => label.length));
  return `${rows.map(([label, value]) => (label === '' ? '' : `${label.padEnd(width)}  ${value}`)).join('\n')}\n`;
}

/** Everything in the report as JSON-friendly values (numbers stay numbers). */
export function reportJson(result: BacktestResult, setting: ReportSetting) {
  return {
    data: setting.dataLabel,
    symbol: result.symbol,
    strategy: result.strategy,
    from: result.times[0] ?? null,
    to: result.bars > 0 ? (result.times[result.bars - 1] ?? 0) + result.barMs : null,
    bars: result.bars,
    barMs: result.barMs,
    params: setting.params,
    rules: setting.rules,
    fees: setting.fees,
    initialQuote: setting.initialQuote,
    ordersPlaced: result.ordersPlaced,
    fills: result.fills,
    firstRefusal: result.firstRefusal,
    metrics: result.metrics,
  };
}
