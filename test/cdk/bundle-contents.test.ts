// Only functions behind the static egress may talk to exchanges, and only they should carry ccxt
// (over 1 MB): an import that drags the gateway into another function fails here, not in a cold start.
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';
import { BUNDLE_EXTERNALS } from '../../cdk/lib/bundle-options.js';
import { deployedFunctions } from '../../shared/wiring/manifest.js';

async function bundledInputs(entry: string): Promise<string[]> {
  const result = await build({
    entryPoints: [entry],
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node22',
    mainFields: ['module', 'main'],
    external: [...BUNDLE_EXTERNALS],
    metafile: true,
    write: false,
    outfile: 'out.mjs',
    logLevel: 'error',
  });
  return Object.keys(result.metafile.inputs);
}

describe('Lambda bundle contents', () => {
  for (const fn of deployedFunctions()) {
    it(`${fn.id} ${fn.staticEgress ? 'may' : 'does not'} carry ccxt`, async () => {
      const inputs = await bundledInputs(fn.entry);
      const carriesCcxt = inputs.some((path) => path.includes('node_modules/ccxt/'));
      if (!fn.staticEgress) expect(carriesCcxt).toBe(false);
      // Never ccxt's package entry, which registers every exchange it supports.
      expect(inputs.some((path) => path.endsWith('node_modules/ccxt/js/ccxt.js'))).toBe(false);
    });
  }
});
