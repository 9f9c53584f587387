// `npm run backtest -- --data <csv> --strategy <name> [...]`: replays a candles CSV through a signal
// source and the DCA deal engine on the paper engine, prints the report and writes equity.svg,
// trades.json and report.json. The only place of the backtester with files, argv and stdout; the
// work itself is pure (shared/core/backtest). Exit codes: 0 done, 2 bad input, 1 a bug.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import {
  BACKTEST_USAGE,
  type BacktestSetting,
  backtestSettingFromArgs,
} from '../../shared/core/backtest/backtest-args.js';
import { parseCandleCsv } from '../../shared/core/backtest/candle-csv.js';
import { renderEquitySvg } from '../../shared/core/backtest/equity-svg.js';
import { defaultMarketRules } from '../../shared/core/backtest/market-defaults.js';
import { formatReport, type ReportSetting, reportJson } from '../../shared/core/backtest/report-text.js';
import { type BacktestResult, runBacktest } from '../../shared/core/backtest/run-backtest.js';
import { signalSource } from '../../shared/core/backtest/signal-sources.js';
import { tryPlanDca } from '../../shared/core/dca/plan.js';
import type { CandleSeries } from '../../shared/core/paper/candle-series.js';

class InputError extends Error {
  override readonly name = 'InputError';
}

const STRING_FLAGS = [
  'data',
  'strategy',
  'symbol',
  'dca',
  'base-order',
  'safety-order',
  'deviation',
  'step-scale',
  'volume-scale',
  'max-safety',
  'max-active',
  'take-profit',
  'stop-loss',
  'cooldown',
  'fee',
  'maker-fee',
  'slippage-bps',
  'balance',
  'participation',
  'from',
  'to',
  'out',
  'tick',
  'step',
  'min-notional',
] as const;

function readSetting(argv: readonly string[]): BacktestSetting | 'help' {
  let values: Record<string, unknown>;
  try {
    const options = Object.fromEntries(STRING_FLAGS.map((f) => [f, { type: 'string' as const }]));
    const parsed = parseArgs({
      args: [...argv],
      options: { ...options, progress: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } },
      strict: true,
      allowPositionals: false,
    });
    values = parsed.values;
  } catch (error) {
    throw new InputError(error instanceof Error ? error.message : String(error));
  }
  if (values.help === true) return 'help';
  delete values.help;
  const result = backtestSettingFromArgs(values);
  if (!result.ok) throw new InputError(result.message);
  return result.setting;
}

function loadSeries(setting: BacktestSetting): CandleSeries {
  let text: string;
  try {
    text = readFileSync(setting.dataPath, 'utf8');
  } catch (error) {
    throw new InputError(
      `cannot read --data ${setting.dataPath}: ${(error as NodeJS.ErrnoException).code ?? error}`,
    );
  }
  const range = {
    ...(setting.fromMs === undefined ? {} : { fromMs: setting.fromMs }),
    ...(setting.toMs === undefined ? {} : { toMs: setting.toMs }),
  };
  const parsed = parseCandleCsv(text, range);
  if (!parsed.ok)
    throw new InputError(`${setting.dataPath} line ${parsed.problem.line}: ${parsed.problem.message}`);
  if (parsed.series.candles.length === 0) throw new InputError('no candles in the chosen period');
  return parsed.series;
}

/** A bar of 30 cells on stderr, redrawn at most every 100 ms. */
function progressBar(enabled: boolean) {
  let last = 0;
  return {
    update(done: number, total: number) {
      if (!enabled) return;
      const now = Date.now();
      if (done < total && now - last < 100) return;
      last = now;
      const share = total === 0 ? 1 : done / total;
      const cells = Math.round(share * 30);
      process.stderr.write(
        `\r[${'#'.repeat(cells)}${'.'.repeat(30 - cells)}] ${(share * 100).toFixed(0).padStart(3)}%  ${done.toLocaleString('en-US')}/${total.toLocaleString('en-US')} bars`,
      );
      if (done >= total) process.stderr.write('\n');
    },
  };
}

function writeOutputs(setting: BacktestSetting, result: BacktestResult, report: ReportSetting): string[] {
  const dir = resolve(setting.outDir);
  mkdirSync(dir, { recursive: true });
  const m = result.metrics;
  const svg = renderEquitySvg({
    times: result.times,
    equity: result.equity,
    title: `${result.symbol} ${result.strategy}: equity from ${setting.initialQuote}`,
    subtitle: `net ${m.netPnlPercent.toFixed(2)} %, max drawdown ${m.maxDrawdownPercent.toFixed(2)} %, buy and hold ${m.buyAndHoldPercent.toFixed(2)} %`,
  });
  const files = {
    'equity.svg': svg,
    'trades.json': `${JSON.stringify(result.deals, null, 2)}\n`,
    'report.json': `${JSON.stringify(reportJson(result, report), null, 2)}\n`,
  };
  return Object.entries(files).map(([name, content]) => {
    const path = join(dir, name);
    writeFileSync(path, content);
    const shown = relative(process.cwd(), path);
    return shown.startsWith('..') ? path : shown;
  });
}

function main(argv: readonly string[]): number {
  let setting: BacktestSetting | 'help';
  let series: CandleSeries;
  try {
    setting = readSetting(argv);
    if (setting === 'help') {
      console.log(BACKTEST_USAGE);
      return 0;
    }
    series = loadSeries(setting);
  } catch (error) {
    if (!(error instanceof InputError)) throw error;
    console.error(`backtest: ${error.message}\n\n${BACKTEST_USAGE}`);
    return 2;
  }
  const [base = ''] = setting.symbol.split('/');
  const sample = Array.from(series.candles.slice(0, 2000), (c) => c.close);
  const rules = defaultMarketRules(base, sample, setting.rules);
  // A ladder the market cannot take at the first price (below the minimum notional, levels on one
  // tick) would only be refused at every entry: say so now, as bad input.
  const firstPlan = tryPlanDca(setting.params, sample[0] ?? '1', rules);
  if (!firstPlan.ok) {
    console.error(
      `backtest: the DCA plan does not fit ${setting.symbol} at ${sample[0]}: ${firstPlan.error.message}`,
    );
    return 2;
  }
  const progress = progressBar(setting.progress || process.stderr.isTTY === true);
  const result = runBacktest({
    symbol: setting.symbol,
    series,
    signal: signalSource(setting.strategy),
    params: setting.params,
    rules,
    fees: setting.fees,
    initialQuote: setting.initialQuote,
    participationRate: setting.participationRate,
    onProgress: (done, total) => progress.update(done, total),
  });
  const report: ReportSetting = {
    dataLabel: setting.dataPath,
    params: setting.params,
    rules,
    fees: setting.fees,
    initialQuote: setting.initialQuote,
  };
  process.stdout.write(formatReport(result, report));
  const written = writeOutputs(setting, result, report);
  console.log(`\nWrote ${written.join(', ')}`);
  return 0;
}

process.exitCode = main(process.argv.slice(2));
