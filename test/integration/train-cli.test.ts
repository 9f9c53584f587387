// The training CLI as a user runs it: a real process over the repository's real BTC/USDT 5m
// fixture, a valid artifact, the same bytes on a second run, and exit 2 with the usage on bad input.
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { FEATURE_NAMES } from '../../shared/core/bots/ai/features.js';
import { parseAiModel } from '../../shared/core/bots/ai/model.js';

const run = promisify(execFile);
const out = mkdtempSync(join(tmpdir(), 'verzek-train-'));
const FIXTURE = 'test/fixtures/market/BTC_USDT-5m.csv';

afterAll(() => rmSync(out, { recursive: true, force: true }));

async function train(args: readonly string[]) {
  try {
    const { stdout, stderr } = await run('node', ['--import', 'tsx', 'local/cli/train.ts', ...args], {
      timeout: 60_000,
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code?: number; stdout?: string; stderr?: string };
    return { code: e.code ?? -1, stdout: e.stdout ?? '', stderr: e.stderr ?? '' };
  }
}

describe('npm run train', () => {
  it('trains on real candles, prints validation metrics and writes the same artifact twice', async () => {
    const first = join(out, 'a', 'model.json');
    const second = join(out, 'b.json');
    const [a, b] = await Promise.all([
      train(['--data', FIXTURE, '--timeframe', '5m', '--out', first]),
      train(['--data', FIXTURE, '--out', second]),
    ]);
    expect(a.stderr).toBe('');
    expect(a.code).toBe(0);
    expect(b.code).toBe(0);
    expect(a.stdout).toMatch(
      /market\/BTC_USDT-5m\.csv: 2016 bars; train \[0, 1058\), validation \[1106, 1363\), holdout from 1411/,
    );
    expect(a.stdout).toMatch(/^validation +rows +\d+ +base rate [\d.]+ % +AUC [\d.]+/m);
    const bytes = readFileSync(first);
    expect(readFileSync(second).equals(bytes)).toBe(true);
    const model = parseAiModel(JSON.parse(bytes.toString('utf8')));
    expect(model.features).toEqual([...FEATURE_NAMES]);
    expect(model.label).toEqual({ k: 3, m: 1.5, horizon: 48 });
    expect(model.metrics.validation.rows).toBeGreaterThan(100);
    expect(bytes.toString('utf8')).not.toMatch(/20\d\d-\d\d-\d\dT/); // no wall-clock time in it
  });

  it('takes a folder and the label flags', async () => {
    const path = join(out, 'folder.json');
    const result = await train([
      '--data',
      'test/fixtures/market',
      '--out',
      path,
      '--tp-atr',
      '2',
      '--sl-atr',
      '1',
      '--horizon',
      '24',
    ]);
    expect(result.code).toBe(0);
    const model = parseAiModel(JSON.parse(readFileSync(path, 'utf8')));
    expect(model.label).toEqual({ k: 2, m: 1, horizon: 24 });
    expect(model.createdFrom.map((c) => c.file)).toContain('market/BTC_USDT-5m.csv');
  });

  it.each([
    [['--out', 'x.json'], /--data is required/],
    [['--data', FIXTURE], /--out is required/],
    [['--data', FIXTURE, '--out', 'x.json', '--timeframe', '3m'], /--timeframe must be one of/],
    [['--data', FIXTURE, '--out', 'x.json', '--timeframe', '1h'], /bars are 5 min apart, not 1h/],
    [['--data', FIXTURE, '--out', 'x.json', '--horizon', '0'], /--horizon/],
    [['--data', FIXTURE, '--out', 'x.json', '--horizon', '2.5'], /whole number/],
    [['--data', FIXTURE, '--out', 'x.json', '--tp-atr', 'abc'], /--tp-atr/],
    [['--data', FIXTURE, '--out', 'x.json', '--min-recall', '2'], /--min-recall/],
    [['--data', 'no/such/file.csv', '--out', 'x.json'], /cannot read --data no\/such\/file\.csv: ENOENT/],
    [['--data', FIXTURE, '--out', 'x.json', '--bogus'], /Unknown option '--bogus'/],
    [['--data', 'test/fixtures', '--out', 'x.json'], /no \*-5m\.csv files/],
  ])('refuses %j with exit 2 and the usage', async (args, message) => {
    const result = await train(args);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(message);
    expect(result.stderr).toContain('Usage: npm run train');
    expect(result.stdout).toBe('');
  });
});
