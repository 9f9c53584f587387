// Training's guard rails: the time-ordered split (holdout cut first, embargo between train and
// validation), the triple-barrier label, and a training run that never reads the holdout.
import { describe, expect, it } from 'vitest';
import { featureMatrix } from '../../../../../shared/core/bots/ai/features.js';
import {
  DEFAULT_TRAIN,
  splitSeries,
  trainModel,
  tripleBarrierLabels,
} from '../../../../../shared/core/bots/ai/training.js';
import { type BarSeries, barSeries, HOLDOUT_FRACTION } from '../../../../../shared/core/bots/bot-types.js';
import { btcSeries } from './ai-fixture.js';

describe('splitSeries', () => {
  it('orders train before validation, keeps an embargo of one horizon, and never reaches the holdout', () => {
    const s = splitSeries(1000, 10);
    expect(s.usableEnd).toBe(700); // 30 % held out
    expect(s.train).toEqual([0, 525]); // 75 % of the usable part
    expect(s.validation).toEqual([535, 690]);
  });

  it.each([
    [2016, 48],
    [71769, 48],
    [500, 5],
    [10_000, 200],
  ])('holds for %i bars with horizon %i', (length, horizon) => {
    const { usableEnd, train, validation } = splitSeries(length, horizon);
    expect(usableEnd).toBe(Math.floor(length * (1 - HOLDOUT_FRACTION)));
    expect(train[0]).toBe(0);
    // The last training row's label reads up to train[1] − 1 + horizon: before validation starts.
    expect(train[1] - 1 + horizon).toBeLessThan(validation[0]);
    // The last validation row's label reads up to validation[1] − 1 + horizon: before the holdout.
    expect(validation[1] - 1 + horizon).toBeLessThan(usableEnd);
    expect(validation[0]).toBeLessThanOrEqual(validation[1]);
  });
});

/** Bars at 100 with the given high/low excursions after bar 0. */
function path(moves: readonly (readonly [number, number])[]): BarSeries {
  return barSeries(
    [[100, 100] as const, ...moves].map(([high, low], i) => ({
      openTime: i * 300_000,
      open: 100,
      high: Math.max(high, 100),
      low: Math.min(low, 100),
      close: 100,
      volume: 1,
    })),
  );
}

describe('tripleBarrierLabels', () => {
  const spec = { k: 2, m: 1, horizon: 3 };
  const atr = new Float64Array(8).fill(1); // barriers at 102 and 99 from a close of 100
  const first = (moves: readonly (readonly [number, number])[]) =>
    tripleBarrierLabels(path([...moves, [100, 100], [100, 100], [100, 100], [100, 100]]), atr, spec)[0];

  it('is 1 when +k·ATR comes first', () =>
    expect(
      first([
        [101, 99.5],
        [102, 99.5],
      ]),
    ).toBe(1));
  it('is 0 when −m·ATR comes first', () =>
    expect(
      first([
        [101, 99],
        [103, 100],
      ]),
    ).toBe(0));
  it('counts the stop first when both are touched in one bar', () => expect(first([[102.5, 98]])).toBe(0));
  it('is 0 when neither comes within the horizon', () =>
    expect(
      first([
        [101.9, 99.1],
        [101.9, 99.1],
        [101.9, 99.1],
        [105, 99.1],
      ]),
    ).toBe(0));
  it('is unknown (−1) where the horizon runs past the series or there is no ATR', () => {
    const labels = tripleBarrierLabels(
      path([
        [100, 100],
        [100, 100],
        [100, 100],
        [100, 100],
      ]),
      atr,
      spec,
    );
    expect(Array.from(labels)).toEqual([0, 0, -1, -1, -1]);
    expect(
      tripleBarrierLabels(
        path([
          [103, 100],
          [100, 100],
          [100, 100],
        ]),
        new Float64Array(4).fill(Number.NaN),
        spec,
      )[0],
    ).toBe(-1);
  });
});

describe('trainModel', () => {
  const settings = { ...DEFAULT_TRAIN, timeframe: '5m' as const };

  it('never reads the holdout and takes its standardization from the training rows only', () => {
    const s = btcSeries();
    const base = trainModel([{ name: 'btc', series: s }], settings);
    const { usableEnd, validation } = splitSeries(s.length, settings.label.horizon);
    // Wreck the holdout: nothing may change.
    const wrecked = { ...s, close: s.close.slice(), high: s.high.slice(), low: s.low.slice() };
    for (let i = usableEnd; i < s.length; i++) {
      wrecked.close[i] = 1;
      wrecked.high[i] = 1e9;
      wrecked.low[i] = 0.5;
    }
    expect(trainModel([{ name: 'btc', series: wrecked }], settings)).toEqual(base);
    // Double the volume of validation bars: their features change, the fit and its statistics do not.
    const louder = { ...s, volume: s.volume.slice() };
    for (let i = validation[0]; i < s.length; i++) louder.volume[i] = (louder.volume[i] ?? 0) * 10 + 100;
    const other = trainModel([{ name: 'btc', series: louder }], settings);
    expect(other.means).toEqual(base.means);
    expect(other.stds).toEqual(base.stds);
    expect(other.weights).toEqual(base.weights);
    expect(other.threshold).toBe(base.threshold);
    expect(other.metrics.validation).not.toEqual(base.metrics.validation);
  });

  it('pools series and counts only rows with complete features and a known label', () => {
    const s = btcSeries();
    const one = trainModel([{ name: 'a', series: s }], settings);
    const two = trainModel(
      [
        { name: 'a', series: s },
        { name: 'b', series: s },
      ],
      settings,
    );
    expect(two.metrics.train.rows).toBe(2 * one.metrics.train.rows);
    expect(two.createdFrom.map((c) => c.file)).toEqual(['a', 'b']);
    const split = splitSeries(s.length, settings.label.horizon);
    expect(one.metrics.train.rows).toBeLessThanOrEqual(split.train[1]);
    expect(one.metrics.train.rows).toBeGreaterThan(split.train[1] - 150); // only the warm-up is lost
    expect(featureMatrix(s).width).toBe(one.features.length);
  });
});
