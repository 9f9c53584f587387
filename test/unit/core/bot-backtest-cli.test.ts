// npm run backtest:bots as a user runs it: a real process over a copy of the repository's 5-minute
// fixtures laid out as a data set, the report it writes, and its refusal of bad input.
import { execFile } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const dir = mkdtempSync(join(tmpdir(), 'verzek-bots-'));
mkdirSync(join(dir, 'binance-2024'));
for (const base of ['BTC', 'ETH']) {
  copyFileSync(`test/fixtures/market/${base}_USDT-5m.csv`, join(dir, 'binance-2024', `${base}_USDT-5m.csv`));
}

afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function backtestBots(args: readonly string[]) {
  try {
    const { stdout, stderr } = await run('node', ['--import', 'tsx', 'local/cli/backtest-bots.ts', ...args], {
      timeout: 60_000,
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code?: number; stdout?: string; stderr?: string };
    return { code: e.code ?? -1, stdout: e.stdout ?? '', stderr: e.stderr ?? '' };
  }
}

describe('npm run backtest:bots', () => {
  it('runs the bots on the held-out part of every series of their timeframe and writes the report', async () => {
    const out = join(dir, 'bots.md');
    const result = await backtestBots(['--data-dir', dir, '--out', out, '--bots', 'scalping,trend']);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toContain('[1/2] scalping BTC/USDT 5m (binance-2024)');
    expect(result.stdout).toContain('Wrote');
    const md = readFileSync(out, 'utf8');
    // 2,016 bars: the last 604 are held out (the fixture's last 2.1 days); the 15m bars are resampled (¹).
    expect(md).toMatch(/\| BTC\/USDT \| 5m \| binance-2024 ¹ \| 2024-09-04 → 2024-09-06 \| \d+ \| \d+/);
    expect(md).toMatch(/\| ETH\/USDT \| 5m \| binance-2024 ¹ \|/);
    expect(md).toMatch(/\| \*\*total\*\* \(2 series\) \| \| \| 1,208 bars \|/);
    expect(md).toMatch(/## Scalping[^#]*It never fired on 1,208 held-out bars across 2 series/);
    expect(md).toContain('## Trend');
    expect(md).toContain('No series of its timeframe in the data: nothing was run.');
    expect(md).toContain('0.10 % taker and 0.10 % maker');
    expect(md).toContain('adverse extreme comes first');
    expect(md).toContain(`npm run backtest:bots -- --data-dir ${dir}`);
  }, 60_000);

  it.each([
    [['--bots', 'sniper'], /unknown bot "sniper"/],
    [['--bots', 'qfl,qfl'], /names a bot twice/],
    [['--fast'], /Unknown option '--fast'/],
    [['extra'], /positional/],
    [['--out', 'report.txt'], /--out must name a \.md file/],
    [['--data-dir', join(dir, 'missing')], /holds neither/],
  ])(
    'refuses %j with exit code 2 and the usage',
    async (args, message) => {
      const result = await backtestBots(args);
      expect(result.code).toBe(2);
      expect(result.stderr).toMatch(message);
      expect(result.stderr).toContain('Usage: npm run backtest:bots');
    },
    30_000,
  );
});
