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
import { buildLocalEnvironment } from '../local/local-environment.js';
import type { ProvisionedQueues } from '../local/provision.js';
import { generateLocalSecrets } from '../local/secrets.js';
import { deployedFunctions } from '../shared/wiring/manifest.js';
import { QUEUE_IDS, QUEUES, queueName } from '../shared/wiring/resources.js';

const IMPORT_RUNS = 5;

/**
 * Enough configuration for module-scope code to run; nothing is contacted during import. Built by
 * the local runner's own builder (fresh secrets, unreachable endpoints), so a function that needs a
 * new variable gets it here as it does in `npm start`.
 */
async function importEnvironment(outboxDir: string): Promise<Record<string, string>> {
  const unreachable = 'http://127.0.0.1:9';
  const queues = Object.fromEntries(
    QUEUE_IDS.map((id) => {
      const url = `${unreachable}/000000000000/${queueName('bench', QUEUES[id])}`;
      return [
        id,
        { definition: QUEUES[id], url, arn: `arn:${id}`, deadLetterUrl: url, deadLetterArn: `arn:${id}-dlq` },
      ];
    }),
  ) as ProvisionedQueues;
  return buildLocalEnvironment({
    dynamoEndpoint: unreachable,
    sqsEndpoint: unreachable,
    tableName: 'bench',
    queues,
    secrets: await generateLocalSecrets(),
    paperMarketDir: resolve('test/fixtures/market'),
    outboxDir,
    logLevel: 'ERROR',
    functions: deployedFunctions(),
  });
}

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
async function measureBundle(
  dir: string,
  id: string,
  entry: string,
  env: Readonly<Record<string, string>>,
): Promise<BundleFigure> {
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
      env: { ...env, PATH: process.env.PATH ?? '' },
      stdio: ['ignore', 'pipe', 'pipe'],
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
    const env = await importEnvironment(dir);
    for (const fn of deployedFunctions()) figures.push(await measureBundle(dir, fn.id, fn.entry, env));
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
    const env = await importEnvironment(dir);
    return {
      whole: await measureBundle(dir, 'ccxt (package entry)', whole, env),
      fourClasses: await measureBundle(dir, 'ccxt (4 classes)', four, env),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
