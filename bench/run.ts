// `npm run bench`: prints figures and ratios. Record results in docs/benchmarks.md with the machine
// and the date. Later issues add their benchmarks here (DCA plans/s, backtest candles/s, bot ticks).
import { cpus } from 'node:os';
import { benchDcaPlans } from './dca-plan.js';
import { measureFunctionBundles } from './function-bundles.js';

const kb = (bytes: number) => `${(bytes / 1024).toFixed(0)} KiB`;

async function main() {
  console.log(
    `Verzek benchmarks — ${new Date().toISOString()} — node ${process.version}, ${cpus().length}× ${cpus()[0]?.model ?? '?'}`,
  );
  console.log(
    '\nLambda bundles (esbuild as in CDK: ESM, minified, node22, AWS SDK included); import = cold module init, median of 5',
  );
  const figures = await measureFunctionBundles();
  const smallest = Math.min(...figures.map((f) => f.bytes));
  console.log(
    [
      'function'.padEnd(20),
      'bundle'.padStart(10),
      'gzip'.padStart(10),
      'vs smallest'.padStart(12),
      'import ms'.padStart(10),
    ].join(' '),
  );
  for (const f of figures) {
    console.log(
      [
        f.id.padEnd(20),
        kb(f.bytes).padStart(10),
        kb(f.gzipBytes).padStart(10),
        `${(f.bytes / smallest).toFixed(2)}×`.padStart(12),
        f.importMsMedian.toFixed(1).padStart(10),
      ].join(' '),
    );
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
