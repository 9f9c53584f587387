import { describe, expect, it } from 'vitest';
import type { DealRecord } from '../../../shared/core/backtest/backtest-types.js';
import {
  backtestMetrics,
  dailyReturns,
  maxDrawdown,
  sharpeRatio,
  sortinoRatio,
} from '../../../shared/core/backtest/metrics.js';

const DAY = 86_400_000;
const HOUR = 3_600_000;

// Two bars a day for three days, starting from 100:
//   day 0: 105, 110   → the day ends at 110: return 110/100 − 1 = +0.10
//   day 1:  88,  99   → 99/110 − 1 = −0.10 (and the drawdown: 110 → 88 = 22 quote, 20 %)
//   day 2: 110, 118.8 → 118.8/99 − 1 = +0.20
const times = [0, 12 * HOUR, DAY, DAY + 12 * HOUR, 2 * DAY, 2 * DAY + 12 * HOUR];
const equity = [105, 110, 88, 99, 110, 118.8];

function deal(over: Partial<DealRecord>): DealRecord {
  return {
    dealId: 'd',
    status: 'closed',
    openedAt: 0,
    closedAt: HOUR,
    closeReason: 'take-profit',
    averageEntry: '100',
    exitPrice: '101.5',
    amount: '1',
    invested: '100',
    realizedPnl: '1',
    fees: '0.2',
    safetyOrdersFilled: 0,
    dust: null,
    lateFills: 0,
    ...over,
  };
}

describe('backtest metrics', () => {
  it('takes daily returns from the last bar of each day, the first from the starting equity', () => {
    const r = dailyReturns(times, equity, 100);
    expect(r).toHaveLength(3);
    expect(r[0]).toBeCloseTo(0.1, 12);
    expect(r[1]).toBeCloseTo(-0.1, 12);
    expect(r[2]).toBeCloseTo(0.2, 12);
  });

  it('measures the largest fall from the running peak in % and in quote', () => {
    expect(maxDrawdown(equity, 100)).toEqual({ percent: 20, quote: 22 });
    // A fall from the starting equity counts too.
    expect(maxDrawdown([90, 95], 100)).toEqual({ percent: 10, quote: 10 });
  });

  it('annualizes Sharpe and Sortino with √365 (hand-computed)', () => {
    // mean = 0.2/3 = 0.0666…; sample variance = (0.0333…² + 0.1666…² + 0.1333…²)/2 = 0.0233…,
    // sd = 0.152753; Sharpe = 0.0666…/0.152753 × √365 = 0.436436 × 19.104973 = 8.33807.
    // Downside deviation = √(0.1²/3) = 0.057735; Sortino = 0.0666…/0.057735 × 19.104973 = 22.06052.
    const r = [0.1, -0.1, 0.2];
    expect(sharpeRatio(r)).toBeCloseTo(8.33807, 4);
    expect(sortinoRatio(r)).toBeCloseTo(22.06052, 4);
    expect(sharpeRatio([0.1])).toBeNull();
    expect(sharpeRatio([0.01, 0.01])).toBeNull();
    expect(sortinoRatio([0.01, 0.02])).toBeNull();
  });

  it('sums up deals, exposure and buy-and-hold', () => {
    const m = backtestMetrics({
      times,
      equity,
      initialEquity: 100,
      deals: [
        deal({ realizedPnl: '1.5', fees: '0.2', safetyOrdersFilled: 1, openedAt: 0, closedAt: 2 * HOUR }),
        deal({
          realizedPnl: '-0.5',
          fees: '0.3',
          safetyOrdersFilled: 3,
          openedAt: DAY,
          closedAt: DAY + 4 * HOUR,
        }),
        deal({ realizedPnl: '0', fees: '0.1', status: 'open', closedAt: null }),
      ],
      refusedEntries: 2,
      exposedBars: 3,
      firstClose: 200,
      lastClose: 250,
    });
    expect(m).toMatchObject({
      trades: 2,
      wins: 1,
      losses: 1,
      winRatePercent: 50,
      openDeals: 1,
      refusedEntries: 2,
      finalEquity: 118.8,
      realizedPnlQuote: 1,
      exposurePercent: 50, // 3 of 6 bars
      averageSafetyOrders: 2,
      averageDealDurationMs: 3 * HOUR, // (2 h + 4 h) / 2
      buyAndHoldPercent: 25, // 200 → 250
      maxDrawdownPercent: 20,
      maxDrawdownQuote: 22,
      days: 3,
    });
    expect(m.netPnlQuote).toBeCloseTo(18.8, 9);
    expect(m.netPnlPercent).toBeCloseTo(18.8, 9);
    expect(m.feesQuote).toBeCloseTo(0.6, 12);
    expect(m.sharpe).toBeCloseTo(8.33807, 4);
  });

  it('counts a break-even deal on its own and leaves it out of the win rate', () => {
    const m = backtestMetrics({
      times,
      equity,
      initialEquity: 100,
      deals: [
        deal({ realizedPnl: '1', openedAt: 0, closedAt: HOUR }),
        deal({ realizedPnl: '0', openedAt: HOUR, closedAt: 2 * HOUR }),
        deal({ realizedPnl: '0', openedAt: 2 * HOUR, closedAt: 3 * HOUR }),
        deal({ realizedPnl: '-1', openedAt: 3 * HOUR, closedAt: 4 * HOUR }),
      ],
      refusedEntries: 0,
      exposedBars: 4,
      firstClose: 200,
      lastClose: 200,
    });
    // 1 win, 1 loss, 2 break-even: win rate 1 / (1 + 1) = 50 %, not 1 / 4 = 25 %.
    expect(m).toMatchObject({ trades: 4, wins: 1, losses: 1, breakEven: 2, winRatePercent: 50 });
  });

  it('reports zeros and no ratios for an empty run', () => {
    const m = backtestMetrics({
      times: [],
      equity: [],
      initialEquity: 100,
      deals: [],
      refusedEntries: 0,
      exposedBars: 0,
      firstClose: 0,
      lastClose: 0,
    });
    expect(m).toMatchObject({
      trades: 0,
      winRatePercent: 0,
      netPnlQuote: 0,
      sharpe: null,
      exposurePercent: 0,
    });
  });
});
