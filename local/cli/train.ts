// `npm run train -- --data <csv|dir> [more...] --out <json>`: trains the AI bot's model on candle
// CSVs (the last 30 % of each never read) and writes the versioned artifact. The files, argv and
// stdout live here; the work is pure (shared/core/bots/ai/training.ts). Exit: 0 done, 2 bad input.
import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { barSeriesOfCandles } from '../../shared/core/backtest/bot-signal-source.js';
import { barDurationMs, parseCandleCsv } from '../../shared/core/backtest/candle-csv.js';
import { formatJson } from '../../shared/core/bots/ai/artifact-json.js';
import type { AiModel } from '../../shared/core/bots/ai/model.js';
import {
  DEFAULT_TRAIN,
  type NamedSeries,
  TrainingDataError,
  trainModel,
} from '../../shared/core/bots/ai/training.js';
import { type BotTimeframe, TIMEFRAME_MS } from '../../shared/core/bots/bot-types.js';

const USAGE = `Usage: npm run train -- --data <csv|dir> [more csv|dir...] --out <model.json> [options]

  --data <path...>       candle CSVs (timestamp_ms,open,high,low,close,volume), or folders whose
                         *-<timeframe>.csv files are all read; the last 30 % of each is never read
  --timeframe <tf>       5m, 15m, 1h or 4h (default 5m); every file must have that bar length
  --out <file>           where the model JSON goes
  --tp-atr <k>           label: take profit at close + k·ATR(14) (default ${DEFAULT_TRAIN.label.k})
  --sl-atr <m>           label: stop at close − m·ATR(14) (default ${DEFAULT_TRAIN.label.m})
  --horizon <bars>       label: bars the barriers are watched for (default ${DEFAULT_TRAIN.label.horizon})
  --l2 <lambda>          L2 penalty (default ${DEFAULT_TRAIN.l2})
  --min-recall <r>       threshold: best training precision with at least this recall (default ${DEFAULT_TRAIN.minRecall})
  --help`;

class InputError extends Error {
  override readonly name = 'InputError';
}

interface TrainArgs {
  readonly files: readonly string[];
  readonly timeframe: BotTimeframe;
  readonly out: string;
  readonly k: number;
  readonly m: number;
  readonly horizon: number;
  readonly l2: number;
  readonly minRecall: number;
}

function positiveNumber(flag: string, text: string | undefined, fallback: number, max = Infinity): number {
  if (text === undefined) return fallback;
  const value = /^\d+(?:\.\d+)?(?:e-?\d+)?$/i.test(text) ? Number(text) : Number.NaN;
  if (!(value > 0 && value <= max)) throw new InputError(`--${flag} must be a number above 0 (and ≤ ${max})`);
  return value;
}

function isTimeframe(text: string): text is BotTimeframe {
  return Object.hasOwn(TIMEFRAME_MS, text);
}

/** Files named on the command line, folders expanded to their *-<timeframe>.csv files, sorted. */
function expandPaths(paths: readonly string[], timeframe: BotTimeframe): string[] {
  const files: string[] = [];
  for (const path of paths) {
    let isDirectory: boolean;
    try {
      isDirectory = statSync(path).isDirectory();
    } catch (error) {
      throw new InputError(`cannot read --data ${path}: ${(error as NodeJS.ErrnoException).code ?? error}`);
    }
    if (!isDirectory) {
      files.push(path);
      continue;
    }
    const found = readdirSync(path)
      .filter((name) => name.endsWith(`-${timeframe}.csv`))
      .sort()
      .map((name) => join(path, name));
    if (found.length === 0) throw new InputError(`no *-${timeframe}.csv files in ${path}`);
    files.push(...found);
  }
  return files;
}

const OPTIONS = {
  data: { type: 'string', multiple: true },
  timeframe: { type: 'string' },
  out: { type: 'string' },
  'tp-atr': { type: 'string' },
  'sl-atr': { type: 'string' },
  horizon: { type: 'string' },
  l2: { type: 'string' },
  'min-recall': { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

function parse(argv: readonly string[]) {
  try {
    return parseArgs({ args: [...argv], options: OPTIONS, strict: true, allowPositionals: true });
  } catch (error) {
    throw new InputError(error instanceof Error ? error.message : String(error));
  }
}

function readArgs(argv: readonly string[]): TrainArgs | 'help' {
  const parsed = parse(argv);
  const v = parsed.values;
  if (v.help === true) return 'help';
  // `--data a.csv b.csv` (a shell glob) leaves the further files as positionals.
  if (v.data === undefined) throw new InputError('--data is required');
  const paths = [...v.data, ...parsed.positionals];
  const timeframe = v.timeframe ?? '5m';
  if (!isTimeframe(timeframe))
    throw new InputError(`--timeframe must be one of ${Object.keys(TIMEFRAME_MS).join(', ')}`);
  const out = v.out;
  if (out === undefined || out === '') throw new InputError('--out is required');
  const horizon = positiveNumber('horizon', v.horizon, DEFAULT_TRAIN.label.horizon, 10_000);
  if (!Number.isInteger(horizon)) throw new InputError('--horizon must be a whole number of bars');
  return {
    files: expandPaths(paths, timeframe),
    timeframe,
    out,
    k: positiveNumber('tp-atr', v['tp-atr'], DEFAULT_TRAIN.label.k),
    m: positiveNumber('sl-atr', v['sl-atr'], DEFAULT_TRAIN.label.m),
    horizon,
    l2: positiveNumber('l2', v.l2, DEFAULT_TRAIN.l2),
    minRecall: positiveNumber('min-recall', v['min-recall'], DEFAULT_TRAIN.minRecall, 1),
  };
}

function loadSeries(file: string, timeframe: BotTimeframe): NamedSeries {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new InputError(`cannot read --data ${file}: ${(error as NodeJS.ErrnoException).code ?? error}`);
  }
  const parsed = parseCandleCsv(text);
  if (!parsed.ok) throw new InputError(`${file} line ${parsed.problem.line}: ${parsed.problem.message}`);
  if (parsed.series.candles.length < 2) throw new InputError(`${file}: too few candles`);
  const step = barDurationMs(parsed.series);
  if (step !== TIMEFRAME_MS[timeframe]) {
    throw new InputError(`${file}: bars are ${step / 60_000} min apart, not ${timeframe}`);
  }
  const series = barSeriesOfCandles(parsed.series);
  // Folder and file name: enough to tell binance-2024/BTC from binance-2017-2022/BTC, and the same
  // bytes whichever directory the command ran from.
  return { name: `${basename(dirname(resolve(file)))}/${basename(file)}`, series };
}

const pct = (v: number | null) => (v === null ? 'n/a' : `${(v * 100).toFixed(1)} %`);
const num = (v: number | null) => (v === null ? 'n/a' : v.toFixed(4));

function summary(title: string, m: AiModel['metrics']['train']): string {
  return `${title.padEnd(11)} rows ${String(m.rows).padStart(7)}  base rate ${pct(m.baseRate)}  AUC ${num(m.auc)}  log loss ${num(m.logLoss)}  precision ${pct(m.precision)}  recall ${pct(m.recall)}  fires on ${pct(m.fireRate)}  accuracy ${pct(m.accuracy)}`;
}

function main(argv: readonly string[]): number {
  let args: TrainArgs | 'help';
  let inputs: NamedSeries[];
  let model: AiModel;
  const started = performance.now();
  try {
    args = readArgs(argv);
    if (args === 'help') {
      console.log(USAGE);
      return 0;
    }
    const { timeframe } = args;
    inputs = args.files.map((file) => loadSeries(file, timeframe));
    model = trainModel(inputs, {
      timeframe,
      label: { k: args.k, m: args.m, horizon: args.horizon },
      l2: args.l2,
      minRecall: args.minRecall,
    });
  } catch (error) {
    if (!(error instanceof InputError || error instanceof TrainingDataError)) throw error;
    console.error(`train: ${error.message}\n\n${USAGE}`);
    return 2;
  }
  for (const source of model.createdFrom) {
    console.log(
      `${source.file}: ${source.bars} bars; train [${source.trainBars.join(', ')}), validation [${source.validationBars.join(', ')}), holdout from ${source.holdoutFrom} (unread)`,
    );
  }
  console.log(
    `label: +${model.label.k} ATR before −${model.label.m} ATR within ${model.label.horizon} bars; threshold ${model.threshold.toFixed(4)} (train precision at recall ≥ ${model.training.minRecall}); ${model.training.iterations} Newton steps`,
  );
  console.log(summary('train', model.metrics.train));
  console.log(summary('validation', model.metrics.validation));
  const out = resolve(args.out);
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, formatJson(model));
  console.log(`Wrote ${args.out} in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  return 0;
}

process.exitCode = main(process.argv.slice(2));
