import { describe, expect, it } from 'vitest';
import { backtestSettingFromArgs, symbolFromFileName } from '../../../shared/core/backtest/backtest-args.js';
import { barDurationMs, parseCandleCsv } from '../../../shared/core/backtest/candle-csv.js';
import { defaultMarketRules, tickFromPrices } from '../../../shared/core/backtest/market-defaults.js';

const CSV = `timestamp_ms,open,high,low,close,volume
1000,10,12,9,11,5
2000,11,11.5,10.5,11.2,0
4000,11.2,11.3,1.1e1,11.1,2.5e-1
`;

describe('candle CSV', () => {
  it('keeps the text of each price and fills the float shadows in the same pass', () => {
    const parsed = parseCandleCsv(CSV);
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    const { series } = parsed;
    expect(series.candles).toHaveLength(3);
    expect(series.candles[1]).toEqual({
      openTime: 2000,
      open: '11',
      high: '11.5',
      low: '10.5',
      close: '11.2',
      volume: '0',
    });
    expect(series.candles[2]?.low).toBe('11'); // exponent notation rewritten for the engine
    expect(series.candles[2]?.volume).toBe('0.25');
    expect(Array.from(series.close)).toEqual([11, 11.2, 11.1]);
    expect(barDurationMs(series)).toBe(1000); // the gap 2000 → 4000 does not count
  });

  it('keeps only candles in [from, to) and accepts CRLF', () => {
    const parsed = parseCandleCsv(CSV.replace(/\n/g, '\r\n'), { fromMs: 2000, toMs: 4000 });
    expect(parsed.ok && parsed.series.candles.map((c) => c.openTime)).toEqual([2000]);
  });

  it.each([
    ['1000,10,12,9,11', 'expected 6 fields'],
    ['1000,10,9,9,11,1', 'low ≤ open, close ≤ high'],
    ['1000,10,12,9,abc,1', 'non-negative decimals'],
    ['x1000,10,12,9,11,1', 'bad timestamp'],
  ])('names the line of a malformed row: %s', (row, message) => {
    const parsed = parseCandleCsv(`timestamp_ms,open,high,low,close,volume\n900,10,10,10,10,1\n${row}\n`);
    expect(parsed.ok).toBe(false);
    if (parsed.ok) return;
    expect(parsed.problem.line).toBe(3);
    expect(parsed.problem.message).toContain(message);
  });

  it('refuses timestamps that do not increase', () => {
    const parsed = parseCandleCsv('1000,1,1,1,1,1\n1000,1,1,1,1,1\n');
    expect(!parsed.ok && parsed.problem).toEqual({
      line: 2,
      message: 'timestamp 1000 is not after the previous one',
    });
  });
});

describe('market rules for a replayed pair', () => {
  it('uses Binance-like rules per base asset', () => {
    expect(defaultMarketRules('BTC', ['42000.5', '42001.25'])).toEqual({
      tickSize: '0.01',
      amountStep: '0.00001',
      minNotional: '5',
      minAmount: '0.00001',
    });
  });

  it('takes the finer tick the data reveals (early years) and derives unknown assets from the price', () => {
    expect(defaultMarketRules('BNB', ['1.5123', '1.52']).tickSize).toBe('0.0001');
    expect(defaultMarketRules('FOO', ['0.0345', '0.03'])).toMatchObject({
      tickSize: '0.0001',
      amountStep: '10',
    });
    expect(tickFromPrices(['100', '200'])).toBe('1');
  });

  it('lets flags override every rule', () => {
    expect(
      defaultMarketRules('BTC', ['1'], { tickSize: '0.1', amountStep: '0.001', minNotional: '10' }),
    ).toEqual({
      tickSize: '0.1',
      amountStep: '0.001',
      minNotional: '10',
      minAmount: '0.001',
    });
  });
});

describe('backtest CLI arguments', () => {
  it('reads the pair from the file name', () => {
    expect(symbolFromFileName('../shared/data/binance-2024/BTC_USDT-1h.csv')).toBe('BTC/USDT');
    expect(symbolFromFileName('candles.csv')).toBeNull();
  });

  it('lays the individual DCA flags over --dca and the defaults', () => {
    const result = backtestSettingFromArgs({
      data: 'x/ETH_USDT-5m.csv',
      strategy: 'rsi-dip',
      dca: '{"baseOrderQuote":"25","maxSafetyOrders":3}',
      'take-profit': '2',
      'stop-loss': '8',
      cooldown: '600',
      from: '2024-01-01',
      to: '2024-01-31',
    });
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    const s = result.setting;
    expect(s.symbol).toBe('ETH/USDT');
    expect(s.params).toMatchObject({
      baseOrderQuote: '25',
      safetyOrderQuote: '20',
      maxSafetyOrders: 3,
      takeProfitPercent: '2',
      stopLossPercent: '8',
      cooldownSeconds: 600,
    });
    expect(s.fees).toEqual({ takerFeeRate: '0.001', makerFeeRate: '0.001', slippageBps: 5 });
    expect(s.fromMs).toBe(Date.UTC(2024, 0, 1));
    expect(s.toMs).toBe(Date.UTC(2024, 1, 1)); // the last day is included
  });

  it.each([
    [{ strategy: 'always' }, '--data'],
    [{ data: 'BTC_USDT-1h.csv', strategy: 'moon' }, '--strategy must be one of always, rsi-dip, sma-cross'],
    [{ data: 'BTC_USDT-1h.csv', strategy: 'always', fee: '-1' }, '--fee must be a non-negative decimal'],
    [
      { data: 'BTC_USDT-1h.csv', strategy: 'always', balance: '0' },
      '--balance must be a decimal number above zero',
    ],
    [
      { data: 'BTC_USDT-1h.csv', strategy: 'always', 'max-safety': '2.5' },
      '--max-safety must be a whole number',
    ],
    [{ data: 'BTC_USDT-1h.csv', strategy: 'always', from: 'yesterday' }, '--from must be a date'],
    [{ data: 'BTC_USDT-1h.csv', strategy: 'always', dca: '[1]' }, '--dca must be a JSON object'],
    [{ data: 'BTC_USDT-1h.csv', strategy: 'always', 'take-profit': '0' }, 'takeProfitPercent'],
    [{ data: 'candles.csv', strategy: 'always' }, '--symbol is required'],
  ])('refuses %o with a message naming the problem', (values, message) => {
    const result = backtestSettingFromArgs(values);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.message).toContain(message);
  });
});
