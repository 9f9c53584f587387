// The learner and its yardsticks: Newton-fitted L2 logistic regression recovers known weights from
// seeded data, standardization uses the statistics it is given, AUC, log loss and the threshold.
import { describe, expect, it } from 'vitest';
import {
  fitLogistic,
  fitStandardizer,
  type Matrix,
  predict,
  standardize,
} from '../../../../../shared/core/bots/ai/logistic-regression.js';
import {
  classifierMetrics,
  logLoss,
  rocAuc,
  thresholdForPrecision,
} from '../../../../../shared/core/bots/ai/metrics.js';
import { gaussian, mulberry32 } from './ai-fixture.js';

/** Rows drawn with y ~ Bernoulli(sigmoid(w·x + b)), features on very different scales. */
function synthetic(
  seed: number,
  rows: number,
  weights: readonly number[],
  bias: number,
  scales: readonly number[],
) {
  const random = mulberry32(seed);
  const width = weights.length;
  const values = new Float64Array(rows * width);
  const y = new Uint8Array(rows);
  for (let r = 0; r < rows; r++) {
    let t = bias;
    for (let j = 0; j < width; j++) {
      const z = gaussian(random);
      values[r * width + j] = 5 + z * (scales[j] ?? 1);
      t += (weights[j] ?? 0) * z;
    }
    y[r] = random() < 1 / (1 + Math.exp(-t)) ? 1 : 0;
  }
  return { x: { rows, width, values } satisfies Matrix, y };
}

describe('logistic regression', () => {
  it('recovers the signs and the ordering of known weights (standardized, seeded data)', () => {
    const truth = [2, -1, 0.5, 0];
    const { x, y } = synthetic(42, 6000, truth, -0.3, [1000, 0.01, 3, 50]);
    const st = fitStandardizer(x);
    const fit = fitLogistic(standardize(x, st), y, { l2: 1e-4 });
    expect(fit.converged).toBe(true);
    const w = Array.from(fit.weights);
    expect(w[0]).toBeCloseTo(2, 0);
    expect(w[1]).toBeCloseTo(-1, 0);
    expect(w[2]).toBeCloseTo(0.5, 0);
    expect(Math.abs(w[3] ?? 1)).toBeLessThan(0.1);
    const sizes = w.map(Math.abs);
    expect(
      (sizes[0] ?? 0) > (sizes[1] ?? 0) &&
        (sizes[1] ?? 0) > (sizes[2] ?? 0) &&
        (sizes[2] ?? 0) > (sizes[3] ?? 0),
    ).toBe(true);
    expect(fit.bias).toBeCloseTo(-0.3, 0);
    // A real signal ranks well out of sample.
    const fresh = synthetic(7, 3000, truth, -0.3, [1000, 0.01, 3, 50]);
    expect(rocAuc(predict(standardize(fresh.x, st), fit), fresh.y)).toBeGreaterThan(0.8);
  });

  it('shrinks the weights as the L2 penalty grows, and is deterministic', () => {
    const { x, y } = synthetic(3, 2000, [1.5, -1], 0, [1, 1]);
    const z = standardize(x, fitStandardizer(x));
    const loose = fitLogistic(z, y, { l2: 1e-4 });
    const tight = fitLogistic(z, y, { l2: 1 });
    expect(Math.abs(tight.weights[0] ?? 0)).toBeLessThan(Math.abs(loose.weights[0] ?? 0) / 2);
    expect(Array.from(fitLogistic(z, y, { l2: 1e-4 }).weights)).toEqual(Array.from(loose.weights));
  });

  it('stops at the penalized optimum: mean (p − y)·x + λ·w is zero for every weight, and for the bias', () => {
    const { x, y } = synthetic(11, 1500, [1, -2, 0.3], 0.4, [1, 1, 1]);
    const z = standardize(x, fitStandardizer(x));
    const l2 = 0.5;
    const fit = fitLogistic(z, y, { l2 });
    const p = predict(z, fit);
    const gradient = new Float64Array(z.width + 1);
    for (let r = 0; r < z.rows; r++) {
      const residual = (p[r] ?? 0) - (y[r] ?? 0);
      for (let j = 0; j < z.width; j++)
        gradient[j] = (gradient[j] ?? 0) + residual * (z.values[r * z.width + j] ?? 0);
      gradient[z.width] = (gradient[z.width] ?? 0) + residual;
    }
    gradient.forEach((g, j) => {
      const penalty = j < z.width ? l2 * (fit.weights[j] ?? 0) : 0;
      expect(Math.abs(g / z.rows + penalty), `coordinate ${j}`).toBeLessThan(1e-9);
    });
  });

  it('standardizes with the statistics it is given (the training part), not the data at hand', () => {
    const train: Matrix = { rows: 4, width: 2, values: Float64Array.from([1, 10, 3, 10, 5, 10, 7, 10]) };
    const st = fitStandardizer(train);
    expect(Array.from(st.means)).toEqual([4, 10]);
    expect(st.stds[0]).toBeCloseTo(Math.sqrt(5), 12);
    expect(st.stds[1]).toBe(1); // a constant column is left at 0, not divided by zero
    const later: Matrix = { rows: 2, width: 2, values: Float64Array.from([104, 30, 4, 10]) };
    const z = standardize(later, st);
    expect(z.values[0]).toBeCloseTo(100 / Math.sqrt(5), 12);
    expect(Array.from(z.values.slice(1))).toEqual([20, 0, 0]);
  });
});

describe('classifier metrics', () => {
  const labels = Uint8Array.from([0, 0, 1, 0, 1, 1]);
  const perfect = Float64Array.from([0.1, 0.2, 0.7, 0.3, 0.8, 0.9]);

  it('gives AUC 1 to a perfect ranker, 0 to a reversed one, 0.5 to a constant', () => {
    expect(rocAuc(perfect, labels)).toBe(1);
    expect(
      rocAuc(
        perfect.map((p) => 1 - p),
        labels,
      ),
    ).toBe(0);
    expect(rocAuc(new Float64Array(6).fill(0.5), labels)).toBe(0.5);
    // One positive below one negative: 8 of 9 pairs ordered.
    expect(rocAuc(Float64Array.from([0.1, 0.2, 0.25, 0.3, 0.8, 0.9]), labels)).toBeCloseTo(8 / 9, 12);
    expect(rocAuc(perfect, new Uint8Array(6))).toBeNaN();
  });

  it('computes log loss, precision, recall, accuracy and the base rate at a threshold', () => {
    expect(logLoss(Float64Array.from([0.5, 0.5]), Uint8Array.from([0, 1]))).toBeCloseTo(Math.log(2), 12);
    const m = classifierMetrics(Float64Array.from([0.1, 0.6, 0.7, 0.3, 0.4, 0.9]), labels, 0.5);
    // Fires on rows 1, 2, 5: one false positive; misses row 4.
    expect(m.baseRate).toBe(0.5);
    expect(m.precision).toBeCloseTo(2 / 3, 12);
    expect(m.recall).toBeCloseTo(2 / 3, 12);
    expect(m.accuracy).toBeCloseTo(4 / 6, 12);
    expect(m.fireRate).toBe(0.5);
    expect(classifierMetrics(perfect, labels, 0.95).precision).toBeNaN(); // never fires
  });

  it('picks the threshold with the best precision at the minimum recall', () => {
    const p = Float64Array.from([0.95, 0.9, 0.8, 0.7, 0.6, 0.5, 0.4, 0.3]);
    const y = Uint8Array.from([0, 1, 1, 1, 0, 1, 0, 0]);
    // Top 1: precision 0; top 4: 3/4 at recall 3/4; top 6: 4/6.
    expect(thresholdForPrecision(p, y, 0.5)).toBe(0.7);
    expect(thresholdForPrecision(p, y, 1)).toBe(0.5);
  });
});
