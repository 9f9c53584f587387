// docs/bots.md from the house bots' holdout backtests: a table per bot with a totals row and a
// paragraph computed from the same numbers (no hand-written verdict that could go stale when a
// strategy changes and the report is regenerated).
import { describeAi } from '../bots/ai/ai-strategy.js';
import type { AiModel } from '../bots/ai/model.js';
import { type BotName, type BotTimeframe, TIMEFRAME_MS } from '../bots/bot-types.js';
import { RULE_BOT_DESCRIPTIONS } from '../bots/rule-bots.js';
import type { PaperFeeModel } from '../paper/matching.js';
import type { BotBacktestResult } from './bot-backtest.js';
import { BOT_COOLDOWN_SECONDS } from './bot-signal-source.js';

const sum = (xs: readonly number[]) => xs.reduce((s, x) => s + x, 0);
const mean = (xs: readonly number[]) => (xs.length === 0 ? Number.NaN : sum(xs) / xs.length);
const fixed = (x: number, digits = 2) => (Number.isFinite(x) ? x.toFixed(digits) : '–');
const signed = (x: number, digits = 2) =>
  Number.isFinite(x) ? `${x > 0 ? '+' : ''}${x.toFixed(digits)}` : '–';
const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);
const count = (n: number) => n.toLocaleString('en-US');
const money = (x: number) =>
  x.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 });

export interface BotRunRow {
  readonly bot: BotName;
  readonly symbol: string;
  readonly timeframe: BotTimeframe;
  /** Which data set, e.g. "binance-2024". */
  readonly dataset: string;
  /** Where the confirmation bars came from. */
  readonly higher: 'csv' | 'resampled' | 'none';
  readonly fromMs: number;
  readonly toMs: number;
  readonly bars: number;
  readonly ideas: number;
  readonly rejectedIdeas: number;
  /** Ideas that opened a deal, and the sums of their take-profit and stop distances (%). */
  readonly taken: number;
  readonly takeProfitPercentSum: number;
  readonly stopLossPercentSum: number;
  readonly trades: number;
  readonly wins: number;
  readonly losses: number;
  readonly openDeals: number;
  readonly initialEquity: number;
  readonly netPnlQuote: number;
  readonly netPnlPercent: number;
  /** Net return of each closed deal on what it invested, in %. */
  readonly tradeReturns: readonly number[];
  readonly maxDrawdownPercent: number;
  readonly feesQuote: number;
  readonly realizedPnlQuote: number;
  /** Fees of the closed deals only. */
  readonly closedFeesQuote: number;
  readonly buyAndHoldPercent: number;
  readonly exposurePercent: number;
  readonly stopLosses: number;
  readonly takeProfits: number;
}

export function botRunRow(
  bot: BotName,
  timeframe: BotTimeframe,
  dataset: string,
  higher: BotRunRow['higher'],
  run: BotBacktestResult,
): BotRunRow {
  const m = run.result.metrics;
  const closed = run.result.deals.filter((d) => d.closedAt !== null);
  return {
    bot,
    symbol: run.result.symbol,
    timeframe,
    dataset,
    higher,
    fromMs: run.holdout.fromMs,
    toMs: run.holdout.toMs,
    bars: run.holdout.bars,
    ideas: run.stats.ideas,
    rejectedIdeas: run.stats.rejectedIdeas,
    taken: run.stats.taken,
    takeProfitPercentSum: run.stats.takeProfitPercentSum,
    stopLossPercentSum: run.stats.stopLossPercentSum,
    trades: m.trades,
    wins: m.wins,
    losses: m.losses,
    openDeals: m.openDeals,
    initialEquity: m.initialEquity,
    netPnlQuote: m.netPnlQuote,
    netPnlPercent: m.netPnlPercent,
    tradeReturns: closed.map((d) => (Number(d.realizedPnl) / Number(d.invested)) * 100),
    maxDrawdownPercent: m.maxDrawdownPercent,
    feesQuote: m.feesQuote,
    realizedPnlQuote: m.realizedPnlQuote,
    closedFeesQuote: sum(closed.map((d) => Number(d.fees))),
    buyAndHoldPercent: m.buyAndHoldPercent,
    exposurePercent: m.exposurePercent,
    stopLosses: closed.filter((d) => d.closeReason === 'stop-loss').length,
    takeProfits: closed.filter((d) => d.closeReason === 'take-profit').length,
  };
}

function winRate(wins: number, losses: number): number {
  return wins + losses === 0 ? Number.NaN : (wins / (wins + losses)) * 100;
}

function table(rows: readonly BotRunRow[]): string[] {
  const lines = [
    '| symbol | tf | data | holdout (UTC) | signals | trades | win rate % | net PnL % | avg trade % | max DD % | fees (USDT) | buy & hold % |',
    '|---|---|---|---|--:|--:|--:|--:|--:|--:|--:|--:|',
  ];
  for (const r of rows) {
    const open = r.openDeals > 0 ? ` (+${r.openDeals} open)` : '';
    lines.push(
      `| ${r.symbol} | ${r.timeframe} | ${r.dataset}${r.higher === 'resampled' ? ' ¹' : ''} | ${day(r.fromMs)} → ${day(r.toMs)} | ${count(r.ideas)} | ${count(r.trades)}${open} | ${fixed(winRate(r.wins, r.losses), 1)} | ${signed(r.netPnlPercent)} | ${signed(mean(r.tradeReturns), 3)} | ${fixed(r.maxDrawdownPercent)} | ${money(r.feesQuote)} | ${signed(r.buyAndHoldPercent)} |`,
    );
  }
  const t = totals(rows);
  lines.push(
    `| **total** (${rows.length} series) | | | ${count(t.bars)} bars | ${count(t.ideas)} | ${count(t.trades)} | ${fixed(t.winRate, 1)} | ${signed(t.netPnlPercent)} | ${signed(t.avgTrade, 3)} | ${fixed(t.worstDrawdown)} (worst) | ${money(t.fees)} | ${signed(t.buyAndHold)} (mean) |`,
  );
  return lines;
}

export interface BotTotals {
  readonly bars: number;
  readonly ideas: number;
  readonly trades: number;
  readonly wins: number;
  readonly losses: number;
  readonly winRate: number;
  /** Σ net PnL over Σ starting equity: the mean account return over the series. */
  readonly netPnlPercent: number;
  readonly avgTrade: number;
  readonly avgWin: number;
  readonly avgLoss: number;
  readonly worstDrawdown: number;
  readonly fees: number;
  readonly buyAndHold: number;
  /** Series whose net PnL % beat buy-and-hold; of them, those where buy-and-hold was positive. */
  readonly beatHold: number;
  readonly beatRisingHold: number;
  /** Σ realized PnL of closed deals + their fees: what the deals made before costs. */
  readonly grossQuote: number;
  readonly closedFees: number;
  readonly profitable: number;
  readonly stopLosses: number;
  readonly takeProfits: number;
  readonly exposure: number;
  /** Held-out time per signal and symbol, in hours. */
  readonly hoursPerSignal: number;
  /** Mean take-profit and stop distance (%) of the ideas that opened deals. */
  readonly avgTakeProfit: number;
  readonly avgStopLoss: number;
}

export function totals(rows: readonly BotRunRow[]): BotTotals {
  const returns = rows.flatMap((r) => r.tradeReturns);
  const wins = sum(rows.map((r) => r.wins));
  const losses = sum(rows.map((r) => r.losses));
  const initial = sum(rows.map((r) => r.initialEquity));
  return {
    bars: sum(rows.map((r) => r.bars)),
    ideas: sum(rows.map((r) => r.ideas)),
    trades: sum(rows.map((r) => r.trades)),
    wins,
    losses,
    winRate: winRate(wins, losses),
    netPnlPercent: initial === 0 ? 0 : (sum(rows.map((r) => r.netPnlQuote)) / initial) * 100,
    avgTrade: mean(returns),
    avgWin: mean(returns.filter((x) => x > 0)),
    avgLoss: mean(returns.filter((x) => x < 0)),
    worstDrawdown: Math.max(0, ...rows.map((r) => r.maxDrawdownPercent)),
    fees: sum(rows.map((r) => r.feesQuote)),
    buyAndHold: mean(rows.map((r) => r.buyAndHoldPercent)),
    beatHold: rows.filter((r) => r.netPnlPercent > r.buyAndHoldPercent).length,
    beatRisingHold: rows.filter((r) => r.buyAndHoldPercent > 0 && r.netPnlPercent > r.buyAndHoldPercent)
      .length,
    grossQuote: sum(rows.map((r) => r.realizedPnlQuote + r.closedFeesQuote)),
    closedFees: sum(rows.map((r) => r.closedFeesQuote)),
    profitable: rows.filter((r) => r.netPnlPercent > 0).length,
    stopLosses: sum(rows.map((r) => r.stopLosses)),
    takeProfits: sum(rows.map((r) => r.takeProfits)),
    exposure: mean(rows.map((r) => r.exposurePercent)),
    hoursPerSignal: sum(rows.map((r) => (r.toMs - r.fromMs) / 3_600_000)) / sum(rows.map((r) => r.ideas)),
    avgTakeProfit: sum(rows.map((r) => r.takeProfitPercentSum)) / sum(rows.map((r) => r.taken)),
    avgStopLoss: sum(rows.map((r) => r.stopLossPercentSum)) / sum(rows.map((r) => r.taken)),
  };
}

/** What the numbers say, in sentences built from them. */
export function verdict(rows: readonly BotRunRow[], roundTripCostPercent: number): string {
  if (rows.length === 0) return 'No series of its timeframe in the data: nothing was run.';
  const t = totals(rows);
  if (t.ideas === 0) {
    return `It never fired on ${count(t.bars)} held-out bars across ${rows.length} series: as written, its rule is too strict for these markets (or its warm-up is longer than the data allows), so these rows say nothing about its edge.`;
  }
  if (t.trades === 0) {
    return `It gave ${count(t.ideas)} ideas but none became a closed deal (${sum(rows.map((r) => r.rejectedIdeas))} could not be traded: a short, or a target/stop on the wrong side of the entry).`;
  }
  const needed =
    Number.isFinite(t.avgWin) && Number.isFinite(t.avgLoss)
      ? (-t.avgLoss / (t.avgWin - t.avgLoss)) * 100
      : Number.NaN;
  const edge = t.avgTrade > 0 ? 'positive' : 'negative';
  const parts = [
    `It fired on ${count(t.ideas)} of ${count(t.bars)} held-out bars (one signal per ${fixed(t.hoursPerSignal, 1)} h per symbol); ${count(t.trades)} became closed deals (the rest came while a deal was open or cooling down), ${count(t.takeProfits)} reaching the take-profit and ${count(t.stopLosses)} the stop.`,
    `The deals aimed for ${signed(t.avgTakeProfit)} % with a stop at -${fixed(t.avgStopLoss)} % on average (${fixed(t.avgTakeProfit / t.avgStopLoss)} : 1), against about ${fixed(roundTripCostPercent)} % of costs a round trip.`,
    `The win rate was ${fixed(t.winRate, 1)} % with an average win of ${signed(t.avgWin, 3)} % and an average loss of ${signed(t.avgLoss, 3)} % per deal after fees, so breaking even needed about ${fixed(needed, 1)} %: the average deal returned ${signed(t.avgTrade, 3)} %, a ${edge} edge on this held-out data.`,
    `Before fees (slippage included) the closed deals made ${signed(t.grossQuote)} USDT; their fees were ${fixed(t.closedFees)} USDT.`,
    `${t.profitable} of ${rows.length} series ended in profit; ${t.beatHold} of ${rows.length} beat buy-and-hold (mean ${signed(t.buyAndHold)} %), ${t.beatRisingHold} of them in a market that rose (beating a falling market mostly means being out of it: the account was in a deal ${fixed(t.exposure, 1)} % of the time on average).`,
  ];
  if (t.trades < 30) parts.push(`With fewer than 30 deals, the figures are anecdotes rather than evidence.`);
  return parts.join(' ');
}

/** A duration in whole hours or minutes, as the report writes them ("2 h", "15 min"). */
function duration(ms: number): string {
  return ms % 3_600_000 === 0
    ? `${ms / 3_600_000} h`
    : `${fixed(ms / 60_000, ms % 60_000 === 0 ? 0 : 1)} min`;
}

const BOT_ORDER: readonly BotName[] = ['scalping', 'trend', 'qfl', 'ai'];
const SHORT_NAMES: Readonly<Record<BotName, string>> = {
  scalping: 'scalping',
  trend: 'trend',
  qfl: 'QFL',
  ai: 'AI',
};
/** Where each bot's description comes from, for the reader who wants the code. */
const SOURCES: Readonly<Record<BotName, string>> = {
  scalping: '`SCALPING_CONFIG` in shared/core/bots/scalping.ts',
  trend: '`TREND_CONFIG` in shared/core/bots/trend.ts',
  qfl: '`QFL_CONFIG` in shared/core/bots/qfl.ts',
  ai: 'shared/core/bots/ai/ai-strategy.ts and the model artifact',
};
const MODEL_PATH = 'shared/core/bots/ai/model/ai-model-v1.json';

/**
 * A house bot's rule in words: its strategy's describe function over the shipped configuration
 * (the AI bot's over the given model), so the report's text follows the code.
 */
export function describeHouseBot(bot: BotName, model: AiModel): readonly string[] {
  return bot === 'ai' ? describeAi(model) : RULE_BOT_DESCRIPTIONS[bot]();
}

/** The bot runtime's settings the report states (shared/app/bots/bot-config.ts, passed in by the CLI). */
export interface BotRuntimeFacts {
  /** After a signal on a symbol, the bot stays quiet on that symbol this long. */
  readonly cooldownMs: Readonly<Record<BotName, number>>;
  /** An open signal (first target and stop unreached) blocks its symbol for at most this long. */
  readonly maxOpenSignalAgeMs: number;
}

const percentOf = (x: number | null, digits = 2) => (x === null ? '–' : fixed(x * 100, digits));
const plain = (x: number | null, digits: number) => (x === null ? '–' : fixed(x, digits));

/** The AI model's card: what it reads, what it predicts, how its threshold was set, how it scored. */
export function modelCard(model: AiModel, trainingCommand: string): string[] {
  const { k, m, horizon } = model.label;
  const { train, validation } = model.metrics;
  const metricRow = (name: string, x: AiModel['metrics']['train']) =>
    `| ${name} | ${count(x.rows)} | ${percentOf(x.baseRate)} | ${plain(x.auc, 3)} | ${plain(x.logLoss, 4)} | ${percentOf(x.precision)} | ${percentOf(x.recall)} | ${percentOf(x.fireRate)} |`;
  const lift =
    validation.precision !== null && validation.baseRate !== null
      ? ` and the bars it fired on were positive ${percentOf(validation.precision, 1)} % of the time against a base rate of ${percentOf(validation.baseRate, 1)} %`
      : '';
  return [
    `**Model card** (${MODEL_PATH}, ${model.format} v${model.version}, read with \`parseAiModel\`)`,
    '',
    `- Trained with \`${trainingCommand}\` (deterministic: the same files give the same artifact, number for number).`,
    `- Model: logistic regression on ${model.timeframe} bars, L2 penalty ${model.training.l2}, ${model.training.iterations} iterations of the fit.`,
    `- Features (${model.features.length}): ${model.features.map((f) => `\`${f}\``).join(', ')}.`,
    `- Label (k ${k}, m ${m}, horizon ${horizon}): 1 when, within the ${horizon} bars after a bar (${duration(horizon * TIMEFRAME_MS[model.timeframe])}), a high reaches its close + ${k} × ATR(14) before a low reaches its close − ${m} × ATR(14); 0 when the stop comes first (or both in one bar) or neither in time.`,
    `- Decision threshold: p ≥ ${model.threshold.toFixed(4)}, chosen on the training rows as the one with the best precision at a recall of at least ${fixed(model.training.minRecall * 100, 0)} % (the validation rows played no part). If every positive paid ${k} ATR and every other call lost ${m} ATR, a precision of ${fixed((m / (k + m)) * 100, 1)} % (m / (k + m)) would break even before costs.`,
    `- Data: each file in time order, bar indices with the end excluded: training rows, then ${horizon} bars skipped (no training label reads a validation bar), validation rows ending ${horizon} bars before the held-out part, which is never read. Rows are pooled over the files.`,
    '',
    '| file | bars | training bars | validation bars | held out from bar |',
    '|---|--:|--:|--:|--:|',
    ...model.createdFrom.map(
      (f) =>
        `| ${f.file} | ${count(f.bars)} | ${count(f.trainBars[0])}–${count(f.trainBars[1])} | ${count(f.validationBars[0])}–${count(f.validationBars[1])} | ${count(f.holdoutFrom)} |`,
    ),
    '',
    '| rows | n | base rate % | AUC | log loss | precision % | recall % | fire rate % |',
    '|---|--:|--:|--:|--:|--:|--:|--:|',
    metricRow('train', train),
    metricRow('validation', validation),
    '',
    `Base rate is the share of positive labels, fire rate the share of rows at or above the threshold; precision and recall are at the threshold. On validation the AUC was ${plain(validation.auc, 3)} (0.5 is a coin toss)${lift}.`,
  ];
}

export interface BotsReportInput {
  readonly sections: readonly {
    readonly bot: BotName;
    readonly title: string;
    /** What the strategy fires on and its exits, one line. */
    readonly rule: string;
    /** The rule in full, one plain line per part: the strategy's describe function (describeHouseBot). */
    readonly decides: readonly string[];
    readonly rows: readonly BotRunRow[];
  }[];
  /** The AI bot's artifact: its section gets the model card. */
  readonly model?: AiModel;
  /** How the AI model was trained (TRAINING_COMMAND). */
  readonly trainingCommand: string;
  readonly runtime: BotRuntimeFacts;
  readonly command: string;
  readonly fees: PaperFeeModel;
  readonly initialQuote: string;
  readonly baseOrderQuote: string;
  readonly holdoutFraction: number;
  readonly seconds: number;
  /** Series left out, with why. */
  readonly skipped: readonly string[];
}

export function botsMarkdown(input: BotsReportInput): string {
  const { fees } = input;
  const takerPct = Number(fees.takerFeeRate) * 100;
  const makerPct = Number(fees.makerFeeRate) * 100;
  // A market entry (taker, slipped) and an exit: a take-profit limit (maker) or a stop (taker, slipped).
  const slipPct = fees.slippageBps / 100;
  const roundTripCost = takerPct + slipPct + (takerPct + makerPct + slipPct) / 2;
  const cooldowns = BOT_ORDER.map(
    (bot) => `${SHORT_NAMES[bot]} ${duration(BOT_COOLDOWN_SECONDS[bot] * 1000)}`,
  );
  const out: string[] = [
    '# House bots: backtests on held-out data',
    '',
    `Reproduce: \`${input.command}\` runs the backtests and writes this file; \`${input.trainingCommand}\` retrains the AI model's artifact it reads.`,
    '',
    `Generated by \`${input.command}\` (${fixed(input.seconds, 1)} s on one core). Each bot runs on the last ${input.holdoutFraction * 100} % of every series of its primary timeframe: that part was never used to tune a rule or train the AI model, and nothing was tuned on these results. The strategy's warm-up may read bars just before the holdout; decisions and deals happen inside it only.`,
    '',
    '## How the backtest trades a signal',
    '',
    `- Account ${input.initialQuote} USDT, spot, one deal at a time per series. A signal opens a market buy of ${input.baseOrderQuote} USDT at the signal bar's close (no safety orders); **net PnL %** is of the account (a deal risks ${fixed((Number(input.baseOrderQuote) / Number(input.initialQuote)) * 100, 0)} % of it), **avg trade %** is the mean net return of a closed deal on what it invested. Buy-and-hold is the holdout's first close to its last.`,
    "- Exits are the signal's own: take-profit at the first target and stop at its stop, as % of the entry (the idea's entry is the bar's close; they are applied from the actual average fill). The take-profit rests as a limit order (maker, filled at its price) and the stop as a stop-market order (taker, slipped).",
    `- Fees: Binance spot's default ${fixed(takerPct, 2)} % taker and ${fixed(makerPct, 2)} % maker, charged on every fill; market buys and stops fill ${fees.slippageBps} bps against us (slippage, as the backtest CLI's default).`,
    "- Intra-bar order: inside one bar the adverse extreme comes first (a long's bar runs open → low → high → close), so a bar that touches both the stop and the take-profit counts as a stop-out; a gap through the stop fills at the open. Decisions use closed bars only; an order placed at a bar's close can fill from the next bar on.",
    `- After each deal the bot's cooldown per symbol applies before the next one (${cooldowns.join(', ')}). **Signals** counts every bar the rule fired on, including bars inside a deal or its cooldown, which are not traded.`,
    '- The confirmation timeframe comes from the matching CSV file; ¹ marks series where none exists and it was resampled from the primary bars (complete buckets only).',
    '',
  ];
  const { runtime } = input;
  for (const section of input.sections) {
    const { bot } = section;
    out.push(
      `## ${section.title}`,
      '',
      section.rule,
      '',
      `**How it decides** (built from ${SOURCES[bot]})`,
      '',
      ...section.decides.map((line) => `- ${line}`),
      `- Cooldown per symbol: ${duration(BOT_COOLDOWN_SECONDS[bot] * 1000)} after each deal in this backtest; live, ${duration(runtime.cooldownMs[bot])} after each signal, and no new signal on a symbol while its last one is open (first target and stop both unreached, for at most ${duration(runtime.maxOpenSignalAgeMs)}).`,
      '',
      ...(bot === 'ai' && input.model !== undefined
        ? [...modelCard(input.model, input.trainingCommand), '']
        : []),
      '**Held-out backtest**',
      '',
      ...(section.rows.length === 0 ? [] : [...table(section.rows), '']),
      verdict(section.rows, roundTripCost),
      '',
    );
  }
  if (input.skipped.length > 0) {
    out.push('## Left out', '', ...input.skipped.map((s) => `- ${s}`), '');
  }
  return `${out.join('\n')}`;
}
