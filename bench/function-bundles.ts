// Bundle size and cold import time of every deployed function. Each entry is bundled with the same
// esbuild options the CDK app uses (cdk/lib/verzek-function.ts: ESM, minified, node22, AWS SDK
// bundled), then imported in a fresh Node process with a local-style environment, several times;
// the median import time approximates the init part of a Lambda cold start on this machine.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';
import { BUNDLE_EXTERNALS, ESM_REQUIRE_SHIM } from '../cdk/lib/bundle-options.js';
import { deployedFunctions } from '../shared/wiring/manifest.js';

const IMPORT_RUNS = 5;

/** Enough configuration for module-scope code to run; nothing is contacted during import. */
const IMPORT_ENV: Record<string, string> = {
  STAGE: 'local',
  AWS_REGION: 'us-east-1',
  AWS_ACCESS_KEY_ID: 'bench',
  AWS_SECRET_ACCESS_KEY: 'bench',
  DYNAMODB_ENDPOINT: 'http://127.0.0.1:9',
  SQS_ENDPOINT: 'http://127.0.0.1:9',
  TABLE_NAME: 'bench',
  SIGNAL_QUEUE_URL: 'http://127.0.0.1:9/000000000000/signals',
  EXECUTION_QUEUE_URL: 'http://127.0.0.1:9/000000000000/execution.fifo',
  NOTIFICATION_QUEUE_URL: 'http://127.0.0.1:9/000000000000/notifications',
  BOT_TICK_QUEUE_URL: 'http://127.0.0.1:9/000000000000/botTicks',
  HOUSE_ENGINE_TOKEN: 'bench-token-bench-token-bench-token-0000',
  JWT_ISSUER: 'bench',
  JWT_AUDIENCE: 'bench',
  JWT_PUBLIC_JWKS: JSON.stringify({ keys: [{ kty: 'EC', crv: 'P-256', x: 'AA', y: 'AA', kid: 'k' }] }),
  PAPER_MARKET_DIR: resolve('test/fixtures/market'),
  PAPER_REPLAY_SPEED: '60',
  LOG_LEVEL: 'ERROR',
};

export interface BundleFigure {
  readonly id: string;
  readonly bytes: number;
  readonly gzipBytes: number;
  readonly importMsMedian: number;
  /** The bundle carries the ccxt exchange gateway. */
  readonly exchangeGateway: boolean;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
}

/** Bundles `entry` as CDK does, then imports it IMPORT_RUNS times in fresh processes. */
async function measureBundle(dir: string, id: string, entry: string): Promise<BundleFigure> {
  const outfile = join(dir, `${id}.mjs`);
  const result = await build({
    entryPoints: [entry],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node22',
    minify: true,
    mainFields: ['module', 'main'],
    banner: { js: ESM_REQUIRE_SHIM },
    external: [...BUNDLE_EXTERNALS],
    metafile: true,
    // The probe entries of measureCcxtImports live in a temp directory, outside the repository.
    nodePaths: [resolve('node_modules')],
    logLevel: 'error',
  });
  const probe = join(dir, `${id}.probe.mjs`);
  writeFileSync(
    probe,
    `const t = performance.now(); await import(${JSON.stringify(outfile)}); console.log(performance.now() - t);`,
  );
  const times: number[] = [];
  for (let run = 0; run < IMPORT_RUNS; run++) {
    const out = execFileSync(process.execPath, [probe], {
      env: { ...IMPORT_ENV, PATH: process.env.PATH ?? '' },
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    times.push(Number(out.toString().trim()));
  }
  const inputs = Object.keys(result.metafile.inputs);
  return {
    id,
    bytes: statSync(outfile).size,
    gzipBytes: gzipSync(readFileSync(outfile)).length,
    importMsMedian: median(times),
    exchangeGateway: inputs.some((path) => path.endsWith('ccxt/js/src/binance.js')),
  };
}

export async function measureFunctionBundles(): Promise<BundleFigure[]> {
  const dir = mkdtempSync(join(tmpdir(), 'verzek-bench-'));
  try {
    const figures: BundleFigure[] = [];
    for (const fn of deployedFunctions()) figures.push(await measureBundle(dir, fn.id, fn.entry));
    return figures;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * What importing only the four exchange classes saves over ccxt's package entry (every exchange):
 * both bundled and imported the same way as a Lambda.
 */
export async function measureCcxtImports(): Promise<{ whole: BundleFigure; fourClasses: BundleFigure }> {
  const dir = mkdtempSync(join(tmpdir(), 'verzek-bench-ccxt-'));
  try {
    const whole = join(dir, 'whole-entry.mjs');
    writeFileSync(
      whole,
      "import * as ccxt from 'ccxt';\nexport const count = Object.keys(ccxt.exchanges).length;\n",
    );
    const four = join(dir, 'four-entry.mjs');
    writeFileSync(
      four,
      `import { ccxtClasses } from ${JSON.stringify(resolve('shared/adapters/exchanges/ccxt.ts'))};\nexport const count = Object.keys(ccxtClasses).length;\n`,
    );
    return {
      whole: await measureBundle(dir, 'ccxt (package entry)', whole),
      fourClasses: await measureBundle(dir, 'ccxt (4 classes)', four),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
