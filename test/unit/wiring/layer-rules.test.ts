// The trading core is pure: nothing under shared/core may import I/O (adapters, the AWS SDK, ccxt,
// node's fs/net/http, fetch) or read the clock and randomness directly.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory()
      ? filesUnder(join(dir, entry.name))
      : entry.name.endsWith('.ts')
        ? [join(dir, entry.name)]
        : [],
  );
}

const FORBIDDEN_IMPORTS = [
  /from ['"](?:\.\.\/)+(?:adapters|app|http|config|ports\/(?!exchange-gateway))/,
  /from ['"]@aws-sdk\//,
  /from ['"]ccxt/,
  /from ['"](?:node:)?(?:fs|net|http|https|child_process|dgram|dns)(?:\/promises)?['"]/,
];
const FORBIDDEN_CALLS = [
  /\bfetch\(/,
  /\bDate\.now\(/,
  /\bnew Date\(\)/,
  /\bMath\.random\(/,
  /\bprocess\.env\b/,
];

describe('layer rules', () => {
  const coreFiles = filesUnder('shared/core');

  it('finds the core files it checks', () => {
    expect(coreFiles.length).toBeGreaterThan(3);
  });

  it.each(coreFiles)('%s does no I/O and reads no clock or randomness', (file) => {
    const source = readFileSync(file, 'utf8');
    for (const pattern of [...FORBIDDEN_IMPORTS, ...FORBIDDEN_CALLS]) {
      expect(source, `${file} matches ${pattern}`).not.toMatch(pattern);
    }
  });

  it('keeps handlers thin: no handler talks to DynamoDB or SQS commands except health probes', () => {
    for (const file of filesUnder('functions')) {
      if (file.endsWith('health.ts')) continue;
      expect(readFileSync(file, 'utf8'), file).not.toMatch(/Command\(/);
    }
  });
});
