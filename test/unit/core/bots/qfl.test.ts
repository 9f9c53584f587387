// The QFL bot on crafted 15-minute bases: it buys the close that cracks the most recent unbroken
// base by 3 %, targets the base, and never fires twice on one base or on a level that is no base.
import { describe, expect, it } from 'vitest';
import type { BarSeries } from '../../../../shared/core/bots/bot-types.js';
import { QFL_CONFIG, qflBot } from '../../../../shared/core/bots/qfl.js';
import { lastBars } from '../../../../shared/core/bots/rule-helpers.js';
import { appendCloses, type Bar, M15, toSeries } from './crafted-series.js';
import { expectLong, lastClose } from './expect-idea.js';
import { qflSetup } from './scenarios.js';

const decide = (primary: BarSeries) => qflBot.evaluate({ symbol: 'SOL/USDT', primary });

/** Every bar's decision over a series (each on the bars up to it), as the runtime would see them. */
function signalsOver(bars: readonly Bar[]): number[] {
  const fired: number[] = [];
  for (let n = QFL_CONFIG.lookback; n <= bars.length; n++) {
    if (decide(toSeries(bars.slice(0, n))) !== null) fired.push(n - 1);
  }
  return fired;
}

describe('QFL bot', () => {
  it('declares 15m without a confirmation timeframe and a lookback that fits in 7 days of 5-minute bars', () => {
    expect(qflBot.name).toBe('qfl');
    expect(qflBot.timeframe).toBe('15m');
    expect(qflBot.higherTimeframe).toBeUndefined();
    expect(qflBot.lookback).toBeLessThanOrEqual(2016 / 3);
  });

  it('buys the close 4 % under the base: entry the last close, one target at the base, SL −3 % from the entry', () => {
    const s = toSeries(qflSetup());
    const entry = lastClose(s);
    expect(entry).toBeCloseTo(97 * 0.96, 10);
    const idea = expectLong(decide(s), s, { target: 97, stopLoss: entry * 0.97 });
    expect(idea.targets[0]?.price).toBe(97);
    expect(idea.reason).toContain('cracked base 97.000');
    expect(idea.reason).toContain('bounced 3.00 %');
    expect(idea.reason).toContain('by 4.00 % ≥ 3.00 %');
    expect(idea.reason).toContain('volume 3.00× the 20-bar mean');
  });

  it('fires at exactly the 3 % crack and not at 2.5 %', () => {
    expect(decide(toSeries(qflSetup({ crack: 0.03 })))).not.toBeNull();
    expect(decide(toSeries(qflSetup({ crack: 0.025 })))).toBeNull();
  });

  it('reads the crack on the close: a wick 5 % under the base that closes 2 % under it is no signal', () => {
    const bars = qflSetup({ crack: 0.02 });
    const last = bars[bars.length - 1] as Bar;
    last.low = 97 * 0.95;
    expect(decide(toSeries(bars))).toBeNull();
  });

  it('needs a base: a low that bounced only 1.5 % (under the 2 % minimum) is no level to crack', () => {
    expect(decide(toSeries(qflSetup({ bounce: 0.015 })))).toBeNull();
    expect(decide(toSeries(qflSetup({ bounce: 0.02 })))).not.toBeNull();
  });

  it('consumes a cracked base: no second signal while price stays under it, nor after it climbs back and cracks again', () => {
    const cracked = qflSetup();
    const lower = appendCloses(cracked, [97 * 0.95, 97 * 0.94], M15, 0.001);
    expect(decide(toSeries(lower))).toBeNull();
    const back = appendCloses(cracked, [96, 97.5, 98, 97.6, 97.2, 97 * 0.96], M15, 0.001);
    expect(decide(toSeries(back))).toBeNull();
    expect(signalsOver(back)).toEqual([cracked.length - 1]);
  });

  it('measures from the most recent unbroken base: a newer base at 98.5 is the target, the older ones wait their turn', () => {
    const bars = qflSetup({ bases: [97, 98.5], crack: 0.035 });
    const s = toSeries(bars);
    const idea = expectLong(decide(s), s, { target: 98.5, stopLoss: lastClose(s) * 0.97 });
    expect(idea.reason).toContain('cracked base 98.500');
    // 95.05 is under 3 % below the older levels (97, and 97.39 where the rally to 98.5 started, a base
    // too): they stay unbroken, and the newest of them is the next reference once the close cracks it.
    const rallyStart = 97 * 1.005 * 0.999;
    const deeper = appendCloses(bars, [95.5, rallyStart * 0.965], M15, 0.001);
    expect(decide(toSeries(deeper))?.targets[0]?.price).toBeCloseTo(rallyStart, 9);
  });

  it('fires once over a whole crafted history, on the crack bar', () => {
    const bars = qflSetup();
    expect(signalsOver(bars)).toEqual([bars.length - 1]);
  });

  it('decides nothing with fewer bars than its lookback', () => {
    expect(decide(lastBars(toSeries(qflSetup()), QFL_CONFIG.lookback - 1))).toBeNull();
  });

  it('scores by the documented formula: 0.4 + 0.6 × mean(dip past 3 % / 3 %, bounce past 2 % / 4 %, volume spike)', () => {
    const clamp = (x: number) => Math.min(1, Math.max(0, x));
    const formula = (dip: number, bounce: number, volumeRatio: number) =>
      0.4 +
      (0.6 * (clamp((dip - 0.03) / 0.03) + clamp((bounce - 0.02) / 0.04) + clamp((volumeRatio - 1) / 2))) / 3;
    expect(decide(toSeries(qflSetup()))?.confidence).toBeCloseTo(formula(0.04, 0.03, 3), 9);
    expect(decide(toSeries(qflSetup({ crackVolume: 100 })))?.confidence).toBeCloseTo(
      formula(0.04, 0.03, 1),
      9,
    );
    expect(decide(toSeries(qflSetup({ crack: 0.06, bounce: 0.06 })))?.confidence).toBeCloseTo(1, 9);
  });
});
