// The backtest CLI as a user runs it: a real process over three days of the repository's real
// BTC/USDT 5-minute fixture, its printed report, the files it writes, and its refusal of bad input.
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const out = mkdtempSync(join(tmpdir(), 'verzek-backtest-'));

afterAll(() => rmSync(out, { recursive: true, force: true }));

async function backtest(args: readonly string[]) {
  try {
    const { stdout, stderr } = await run('node', ['--import', 'tsx', 'local/cli/backtest.ts', ...args], {
      timeout: 60_000,
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code?: number; stdout?: string; stderr?: string };
    return { code: e.code ?? -1, stdout: e.stdout ?? '', stderr: e.stderr ?? '' };
  }
}

describe('npm run backtest', () => {
  it('replays a slice of real candles, prints the report and writes the SVG and the JSON files', async () => {
    const result = await backtest([
      '--data',
      'test/fixtures/market/BTC_USDT-5m.csv',
      '--strategy',
      'always',
      '--from',
      '2024-08-31',
      '--to',
      '2024-09-02',
      '--take-profit',
      '0.5',
      '--out',
      out,
    ]);
    expect(result.stderr).toBe(''); // no progress bar: stderr is not a terminal and --progress is off
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('BTC/USDT / always');
    expect(result.stdout).toMatch(/Period \(UTC\)\s+2024-08-31 00:00 → 2024-09-03 00:00/);
    expect(result.stdout).toMatch(/Bars\s+864 × 5m/);
    for (const label of ['Deals closed', 'Win rate', 'Net PnL', 'Max drawdown', 'Sharpe', 'Buy and hold']) {
      expect(result.stdout).toContain(label);
    }
    expect(result.stdout).toContain('equity.svg');

    const svg = readFileSync(join(out, 'equity.svg'), 'utf8');
    expect(svg).toMatch(/^<svg xmlns="http:\/\/www.w3.org\/2000\/svg"/);
    expect(svg.trimEnd().endsWith('</svg>')).toBe(true);
    const trades = JSON.parse(readFileSync(join(out, 'trades.json'), 'utf8')) as Array<
      Record<string, unknown>
    >;
    expect(Array.isArray(trades)).toBe(true);
    expect(trades.length).toBeGreaterThan(0);
    expect(trades[0]).toMatchObject({
      dealId: 'd1',
      status: expect.any(String),
      invested: expect.any(String),
    });
    const report = JSON.parse(readFileSync(join(out, 'report.json'), 'utf8')) as {
      bars: number;
      metrics: { trades: number };
    };
    expect(report.bars).toBe(864);
    expect(report.metrics.trades).toBe(trades.filter((t) => t.closedAt !== null).length);
  });

  it('exits 2 with a message and the usage on a bad argument', async () => {
    const result = await backtest(['--data', 'test/fixtures/market/BTC_USDT-5m.csv', '--strategy', 'moon']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('--strategy must be one of always, rsi-dip, sma-cross');
    expect(result.stderr).toContain('Usage: npm run backtest');
    expect(result.stdout).toBe('');
  });

  it('exits 2 on an unknown flag and on a missing file', async () => {
    const unknown = await backtest(['--data', 'x.csv', '--strategy', 'always', '--moon']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain("Unknown option '--moon'");
    const missing = await backtest(['--data', join(out, 'BTC_USDT-nothing.csv'), '--strategy', 'always']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('cannot read --data');
    expect(existsSync(join(out, 'nothing'))).toBe(false);
  });

  it('exits 2 when the DCA ladder cannot trade on the market (below the minimum notional)', async () => {
    const data = ['--data', 'test/fixtures/market/BTC_USDT-5m.csv', '--strategy', 'always'];
    const result = await backtest([...data, '--base-order', '2']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('the DCA plan does not fit BTC/USDT');
    expect(result.stderr).toContain('below the minimum notional 5');
  });
});
