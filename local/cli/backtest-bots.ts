// `npm run backtest:bots`: the four house bots over the repository's real candles, each on the
// held-out last 30 % of every series of its primary timeframe, and docs/bots.md from the results.
// Files, argv and stdout live here; the work is pure (shared/core/backtest). Exit: 0 done, 2 bad input.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { DEFAULT_BOT_RUNTIME } from '../../shared/app/bots/bot-config.js';
import { type BotBacktestResult, runBotBacktest } from '../../shared/core/backtest/bot-backtest.js';
import {
  type BotRunRow,
  botRunRow,
  botsMarkdown,
  describeHouseBot,
} from '../../shared/core/backtest/bot-report.js';
import { barSeriesOfCandles } from '../../shared/core/backtest/bot-signal-source.js';
import { parseCandleCsv } from '../../shared/core/backtest/candle-csv.js';
import { defaultMarketRules } from '../../shared/core/backtest/market-defaults.js';
import { aiStrategy, TRAINING_COMMAND } from '../../shared/core/bots/ai/ai-strategy.js';
import shippedModel from '../../shared/core/bots/ai/model/ai-model-v1.json' with { type: 'json' };
import { parseAiModel } from '../../shared/core/bots/ai/model.js';
import {
  type BarSeries,
  type BotName,
  type BotStrategy,
  type BotTimeframe,
  HOLDOUT_FRACTION,
  TIMEFRAME_MS,
} from '../../shared/core/bots/bot-types.js';
import { RULE_BOTS } from '../../shared/core/bots/rule-bots.js';
import { resample } from '../../shared/core/market/resample.js';
import type { CandleSeries } from '../../shared/core/paper/candle-series.js';
import type { PaperFeeModel } from '../../shared/core/paper/matching.js';

const USAGE = `Usage: npm run backtest:bots -- [options]

  --bots <list>        comma-separated: scalping,trend,qfl,ai (default: all four)
  --data-dir <dir>     folder holding binance-2024/ and binance-2017-2022/ (default ../shared/data)
  --out <file>         the report (default docs/bots.md)
  --help

Each bot runs on the last 30 % of every <PAIR>-<timeframe>.csv of its primary timeframe for
BTC, ETH, SOL, XRP, DOGE and ADA in both data sets; the confirmation timeframe comes from the
matching file, or is resampled from the primary bars when there is none.`;

class InputError extends Error {
  override readonly name = 'InputError';
}

const STRATEGIES: readonly BotStrategy[] = [...RULE_BOTS, aiStrategy];
const BOT_ORDER: readonly BotName[] = ['scalping', 'trend', 'qfl', 'ai'];
const DATASETS = ['binance-2024', 'binance-2017-2022'] as const;
const BASES = ['BTC', 'ETH', 'SOL', 'XRP', 'DOGE', 'ADA'] as const;

/** Binance spot's default fee (0.1 % taker and maker) and the backtest CLI's default slippage. */
const FEES: PaperFeeModel = { takerFeeRate: '0.001', makerFeeRate: '0.001', slippageBps: 5 };
const INITIAL_QUOTE = '10000';
const BASE_ORDER_QUOTE = '1000';

const TITLES: Readonly<Record<BotName, string>> = {
  scalping: 'Scalping',
  trend: 'Trend',
  qfl: 'QFL',
  ai: 'AI/ML',
};

const RULES: Readonly<Record<BotName, string>> = {
  scalping:
    '5-minute bars, 15-minute confirmation: RSI + stochastic + a bounce off the EMA50, vetoed when the 15-minute trend points down; exits from the idea (spec: TP 0.8 %, SL 0.5 %).',
  trend:
    '15-minute bars, 1-hour confirmation: EMA stack + MACD turn + higher highs and higher lows, with the 1-hour EMAs aligned; exits from the idea (spec: TP 3 %, SL 1.5 %).',
  qfl: '15-minute bars: a close that cracks the latest unbroken base by the dip threshold; take-profit at the return to the base, stop under the entry.',
  ai: '5-minute bars: the shipped logistic model (trained on the first 70 % of the 5m files only) over its features; TP and SL in ATR multiples.',
};

interface Options {
  readonly bots: readonly BotStrategy[];
  readonly dataDir: string;
  readonly out: string;
}

function readOptions(argv: readonly string[]): Options | 'help' {
  let values: { bots?: string; 'data-dir'?: string; out?: string; help?: boolean };
  try {
    values = parseArgs({
      args: [...argv],
      options: {
        bots: { type: 'string' },
        'data-dir': { type: 'string' },
        out: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
      allowPositionals: false,
    }).values;
  } catch (error) {
    throw new InputError(error instanceof Error ? error.message : String(error));
  }
  if (values.help === true) return 'help';
  const names = (values.bots ?? BOT_ORDER.join(',')).split(',').map((s) => s.trim());
  const bots = names.map((name) => {
    const bot = STRATEGIES.find((s) => s.name === name);
    if (bot === undefined)
      throw new InputError(`--bots: unknown bot "${name}" (known: ${BOT_ORDER.join(', ')})`);
    return bot;
  });
  if (new Set(names).size !== names.length) throw new InputError('--bots names a bot twice');
  const dataDir = values['data-dir'] ?? '../shared/data';
  if (!DATASETS.some((d) => existsSync(join(dataDir, d)))) {
    throw new InputError(`--data-dir ${dataDir} holds neither ${DATASETS.join(' nor ')}`);
  }
  const out = values.out ?? 'docs/bots.md';
  if (out === '' || !out.endsWith('.md')) throw new InputError('--out must name a .md file');
  return {
    bots: [...bots].sort((a, b) => BOT_ORDER.indexOf(a.name) - BOT_ORDER.indexOf(b.name)),
    dataDir,
    out,
  };
}

/** Parsed files, each read once however many bots use it. */
function fileCache(dataDir: string) {
  const cache = new Map<string, CandleSeries | null>();
  return (dataset: string, base: string, timeframe: BotTimeframe): CandleSeries | null => {
    const path = join(dataDir, dataset, `${base}_USDT-${timeframe}.csv`);
    const cached = cache.get(path);
    if (cached !== undefined) return cached;
    let series: CandleSeries | null = null;
    if (existsSync(path)) {
      const parsed = parseCandleCsv(readFileSync(path, 'utf8'));
      if (!parsed.ok) throw new InputError(`${path} line ${parsed.problem.line}: ${parsed.problem.message}`);
      series = parsed.series;
    }
    cache.set(path, series);
    return series;
  };
}

function main(argv: readonly string[]): number {
  let options: Options | 'help';
  try {
    options = readOptions(argv);
  } catch (error) {
    if (!(error instanceof InputError)) throw error;
    console.error(`backtest:bots: ${error.message}\n\n${USAGE}`);
    return 2;
  }
  if (options === 'help') {
    console.log(USAGE);
    return 0;
  }
  const started = performance.now();
  const load = fileCache(options.dataDir);
  const datasets = DATASETS.filter((d) => existsSync(join(options.dataDir, d)));
  const plan = options.bots.flatMap((bot) =>
    datasets.flatMap((dataset) =>
      BASES.filter((base) =>
        existsSync(join(options.dataDir, dataset, `${base}_USDT-${bot.timeframe}.csv`)),
      ).map((base) => ({ bot, dataset, base })),
    ),
  );
  const rows = new Map<BotName, BotRunRow[]>();
  const skipped: string[] = [];
  for (const [k, { bot, dataset, base }] of plan.entries()) {
    const symbol = `${base}/USDT`;
    const label = `[${k + 1}/${plan.length}] ${bot.name} ${symbol} ${bot.timeframe} (${dataset})`;
    let series: CandleSeries | null;
    try {
      series = load(dataset, base, bot.timeframe);
    } catch (error) {
      if (!(error instanceof InputError)) throw error;
      console.error(`backtest:bots: ${error.message}`);
      return 2;
    }
    if (series === null) continue;
    let higher: BarSeries | undefined;
    let higherSource: BotRunRow['higher'] = 'none';
    if (bot.higherTimeframe !== undefined) {
      const file = load(dataset, base, bot.higherTimeframe);
      if (file !== null) {
        higher = barSeriesOfCandles(file);
        higherSource = 'csv';
      } else {
        higher = resample(
          barSeriesOfCandles(series),
          TIMEFRAME_MS[bot.timeframe],
          TIMEFRAME_MS[bot.higherTimeframe],
        );
        higherSource = 'resampled';
      }
    }
    const sample = series.candles.slice(0, 2000).map((c) => c.close);
    const t0 = performance.now();
    let run: BotBacktestResult;
    try {
      run = runBotBacktest({
        strategy: bot,
        symbol,
        series,
        ...(higher === undefined ? {} : { higher }),
        rules: defaultMarketRules(base, sample),
        fees: FEES,
        initialQuote: INITIAL_QUOTE,
        baseOrderQuote: BASE_ORDER_QUOTE,
      });
    } catch (error) {
      skipped.push(
        `${bot.name} ${symbol} ${bot.timeframe} (${dataset}): ${error instanceof Error ? error.message : String(error)}`,
      );
      console.error(`${label}: skipped: ${skipped[skipped.length - 1]}`);
      continue;
    }
    const row = botRunRow(bot.name, bot.timeframe, dataset, higherSource, run);
    rows.set(bot.name, [...(rows.get(bot.name) ?? []), row]);
    console.error(
      `${label} ${run.holdout.bars.toLocaleString('en-US')} bars: ${row.ideas} signals, ${row.trades} trades, net ${row.netPnlPercent.toFixed(2)} % (${((performance.now() - t0) / 1000).toFixed(1)} s)`,
    );
  }
  const seconds = (performance.now() - started) / 1000;
  const args = argv.length === 0 ? '' : ` -- ${argv.join(' ')}`;
  const model = parseAiModel(shippedModel);
  const markdown = botsMarkdown({
    sections: options.bots.map((bot) => ({
      bot: bot.name,
      title: TITLES[bot.name],
      rule: RULES[bot.name],
      decides: describeHouseBot(bot.name, model),
      rows: rows.get(bot.name) ?? [],
    })),
    model,
    trainingCommand: TRAINING_COMMAND,
    runtime: {
      cooldownMs: DEFAULT_BOT_RUNTIME.cooldownMs,
      maxOpenSignalAgeMs: DEFAULT_BOT_RUNTIME.maxOpenSignalAgeMs,
    },
    command: `npm run backtest:bots${args}`,
    fees: FEES,
    initialQuote: INITIAL_QUOTE,
    baseOrderQuote: BASE_ORDER_QUOTE,
    holdoutFraction: HOLDOUT_FRACTION,
    seconds,
    skipped,
  });
  const out = resolve(options.out);
  writeFileSync(out, markdown);
  const shown = relative(process.cwd(), out);
  console.log(`Wrote ${shown.startsWith('..') ? out : shown} (${plan.length} runs, ${seconds.toFixed(1)} s)`);
  return 0;
}

process.exitCode = main(process.argv.slice(2));
