// `npm run bench`: prints figures and ratios, section by section. Record results in
// docs/benchmarks.md with the machine and the date.
import { cpus } from 'node:os';
import { benchBacktest } from './backtest.js';
import { printBotTicks } from './bot-ticks.js';
import { benchDcaPlans } from './dca-plan.js';
import { measureCcxtImports, measureFunctionBundles } from './function-bundles.js';
import { printIndicators } from './indicators.js';
import { benchPaperEngine } from './paper-engine.js';

const kb = (bytes: number) => `${(bytes / 1024).toFixed(0)} KiB`;
const thousands = (n: number) => Math.round(n).toLocaleString('en-US');

function printDcaPlans() {
  const f = benchDcaPlans();
  console.log(
    `\nDCA plans (base + ${f.safetyOrdersPerPlan} safety orders: price, size, average, TP, SL per level), ${thousands(f.plans)} plans, one core`,
  );
  console.log(
    `  full precision        ${thousands(f.plansPerSecond).padStart(8)} plans/s  (${thousands(f.levelsPerSecond)} levels/s)`,
  );
  console.log(
    `  with market rounding  ${thousands(f.plansPerSecondWithMarketRules).padStart(8)} plans/s  (${(f.plansPerSecondWithMarketRules / f.plansPerSecond).toFixed(2)}× full precision)`,
  );
}

function printPaperEngine() {
  const f = benchPaperEngine();
  const rate = (n: number) => `${(n / 1e6).toFixed(2)} M candles/s`;
  const row = (label: string, seconds: number, perSecond: number, note = '') =>
    console.log(`  ${label.padEnd(31)}${seconds.toFixed(3)} s  ${rate(perSecond)}${note}`);
  console.log(
    `\nPaper engine over ${thousands(f.candles)} synthetic 1-minute candles (one year), one core, median of 5`,
  );
  console.log(`  ${'parse to float series (once)'.padEnd(31)}${f.parseSeconds.toFixed(3)} s`);
  row(
    'DCA deal strategy',
    f.dca.seconds,
    f.dca.candlesPerSecond,
    `  (${f.nsPerCandle} ns/candle; cold first run ${f.dca.firstRunSeconds.toFixed(3)} s)`,
  );
  row(
    'ladder stress (~10× orders)',
    f.ladder.seconds,
    f.ladder.candlesPerSecond,
    `  (${(f.ladder.seconds / f.dca.seconds).toFixed(1)}× the DCA time)`,
  );
  row('4 resting orders, none touched', f.resting.seconds, f.resting.candlesPerSecond);
  row('no orders', f.idle.seconds, f.idle.candlesPerSecond);
}

function printBacktest() {
  const f = benchBacktest();
  console.log(
    `\nBacktest: one year of synthetic 1-minute candles (${thousands(f.candles)}), strategy 'always', the CLI's default DCA, one core, median of 3`,
  );
  console.log(`  ${'parse the CSV (once)'.padEnd(31)}${f.parseSeconds.toFixed(3)} s`);
  console.log(
    `  ${'whole backtest'.padEnd(31)}${f.seconds.toFixed(3)} s  ${(f.candlesPerSecond / 1e6).toFixed(2)} M candles/s  (target < 0.5 s: ${(0.5 / f.seconds).toFixed(1)}× inside; cold first run ${f.firstRunSeconds.toFixed(3)} s)`,
  );
  console.log(
    `  ${'work done'.padEnd(31)}${thousands(f.deals)} deals, ${thousands(f.ordersPlaced)} orders, ${thousands(f.fills)} fills`,
  );
}

async function printFunctionBundles() {
  console.log(
    '\nLambda bundles (esbuild as in CDK: ESM, minified, node22, AWS SDK included); import = cold module init, median of 5',
  );
  const figures = await measureFunctionBundles();
  const smallest = Math.min(...figures.map((f) => f.bytes));
  const header = [
    'function'.padEnd(20),
    'bundle'.padStart(10),
    'gzip'.padStart(10),
    'vs smallest'.padStart(12),
    'import ms'.padStart(10),
    'gateway'.padStart(8),
  ];
  console.log(header.join(' '));
  for (const f of figures) {
    const cells = [
      f.id.padEnd(20),
      kb(f.bytes).padStart(10),
      kb(f.gzipBytes).padStart(10),
      `${(f.bytes / smallest).toFixed(2)}×`.padStart(12),
      f.importMsMedian.toFixed(1).padStart(10),
      (f.exchangeGateway ? 'ccxt' : '-').padStart(8),
    ];
    console.log(cells.join(' '));
  }
}

async function printCcxtImports() {
  const { whole, fourClasses } = await measureCcxtImports();
  console.log(
    '\nccxt in a bundle: the package entry (every exchange) vs the four exchange classes we import',
  );
  for (const f of [whole, fourClasses]) {
    console.log(
      `  ${f.id.padEnd(22)}${kb(f.bytes).padStart(10)} (gzip ${kb(f.gzipBytes)})  import ${f.importMsMedian.toFixed(1)} ms`,
    );
  }
  console.log(
    `  four classes: ${(whole.bytes / fourClasses.bytes).toFixed(1)}× smaller, import ${(whole.importMsMedian / fourClasses.importMsMedian).toFixed(1)}× faster`,
  );
}

async function main() {
  console.log(
    `Verzek benchmarks — ${new Date().toISOString()} — node ${process.version}, ${cpus().length}× ${cpus()[0]?.model ?? '?'}`,
  );
  printDcaPlans();
  printPaperEngine();
  printBacktest();
  printIndicators();
  printBotTicks();
  await printFunctionBundles();
  await printCcxtImports();
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
