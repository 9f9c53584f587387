// Training the AI bot's model, pure: triple-barrier labels, the time-ordered split (holdout dropped,
// embargo between train and validation), standardization, the fit, the threshold and the artifact.
// Labels look into the future, so they live here and never in the strategy.
import { type BarSeries, type BotTimeframe, barsUpTo, HOLDOUT_FRACTION } from '../bot-types.js';
import { FEATURE_NAMES, featureMatrix, rowIsComplete } from './features.js';
import { fitLogistic, fitStandardizer, type Matrix, predict, standardize } from './logistic-regression.js';
import { type ClassifierMetrics, classifierMetrics, thresholdForPrecision } from './metrics.js';
import { type AiModel, MODEL_FORMAT, MODEL_VERSION } from './model.js';

export interface LabelSpec {
  /** Take-profit barrier: close + k·ATR. */
  readonly k: number;
  /** Stop barrier: close − m·ATR. */
  readonly m: number;
  /** Bars after the entry bar the barriers are watched for. */
  readonly horizon: number;
}

/** 3 ATRs up before 1.5 ATRs down within 4 h of 5m bars: a 2:1 payoff the fees can live with. */
export const DEFAULT_LABEL: LabelSpec = { k: 3, m: 1.5, horizon: 48 };

/**
 * 1 when, from the close of bar i, the high of one of the next `horizon` bars reaches close + k·ATR
 * before a low reaches close − m·ATR; 0 when the stop comes first (in the same bar the stop counts
 * first: we cannot know the order inside a bar) or neither comes in time; −1 when unknown (the
 * horizon runs past the series, or no ATR yet).
 */
export function tripleBarrierLabels(s: BarSeries, atr: Float64Array, spec: LabelSpec): Int8Array {
  const n = s.length;
  const labels = new Int8Array(n).fill(-1);
  for (let i = 0; i + spec.horizon < n; i++) {
    const a = atr[i] ?? Number.NaN;
    if (!(a > 0)) continue;
    const entry = s.close[i] ?? Number.NaN;
    const up = entry + spec.k * a;
    const down = entry - spec.m * a;
    let label = 0;
    for (let j = i + 1; j <= i + spec.horizon; j++) {
      if ((s.low[j] ?? Number.NaN) <= down) break;
      if ((s.high[j] ?? Number.NaN) >= up) {
        label = 1;
        break;
      }
    }
    labels[i] = label;
  }
  return labels;
}

export interface SeriesSplit {
  /** Bars [0, usableEnd) may be read at all; the rest is the holdout, never touched. */
  readonly usableEnd: number;
  /** Half-open ranges of bar indices whose rows are used. */
  readonly train: readonly [number, number];
  readonly validation: readonly [number, number];
}

/**
 * Time-ordered: the holdout (last HOLDOUT_FRACTION) is cut first; of the rest, rows in the first
 * `trainShare` train, then `horizon` bars are skipped (a training label reads up to `horizon` bars
 * ahead, so it cannot see a validation bar), and validation ends `horizon` bars before the holdout
 * so no label reads into it.
 */
export function splitSeries(length: number, horizon: number, trainShare = 0.75): SeriesSplit {
  const usableEnd = Math.floor(length * (1 - HOLDOUT_FRACTION));
  const trainEnd = Math.floor(usableEnd * trainShare);
  const validationFrom = Math.min(trainEnd + horizon, usableEnd);
  const validationTo = Math.max(validationFrom, usableEnd - horizon);
  return { usableEnd, train: [0, trainEnd], validation: [validationFrom, validationTo] };
}

export interface NamedSeries {
  readonly name: string;
  readonly series: BarSeries;
}

interface Pool {
  readonly rows: number[][];
  readonly labels: number[];
}

function collect(
  pool: Pool,
  m: ReturnType<typeof featureMatrix>,
  labels: Int8Array,
  [from, to]: readonly [number, number],
) {
  for (let i = from; i < to; i++) {
    const label = labels[i] ?? -1;
    if (label < 0 || !rowIsComplete(m, i)) continue;
    pool.rows.push(Array.from(m.values.subarray(i * m.width, (i + 1) * m.width)));
    pool.labels.push(label);
  }
}

function toMatrix(pool: Pool, width: number): { x: Matrix; y: Uint8Array } {
  const values = new Float64Array(pool.rows.length * width);
  pool.rows.forEach((row, r) => {
    values.set(row, r * width);
  });
  return { x: { rows: pool.rows.length, width, values }, y: Uint8Array.from(pool.labels) };
}

export interface TrainSettings {
  readonly timeframe: BotTimeframe;
  readonly label: LabelSpec;
  readonly l2: number;
  /** The threshold is the one with the best training precision at no less than this recall. */
  readonly minRecall: number;
}

export const DEFAULT_TRAIN: Omit<TrainSettings, 'timeframe'> = {
  label: DEFAULT_LABEL,
  l2: 1e-3,
  minRecall: 0.1,
};

const orNull = (v: number): number | null => (Number.isFinite(v) ? v : null);
const jsonMetrics = (m: ClassifierMetrics): AiModel['metrics']['train'] => ({
  rows: m.rows,
  baseRate: orNull(m.baseRate),
  auc: orNull(m.auc),
  logLoss: orNull(m.logLoss),
  accuracy: orNull(m.accuracy),
  precision: orNull(m.precision),
  recall: orNull(m.recall),
  fireRate: orNull(m.fireRate),
});

/** Thrown when the data cannot train a model (too short, one class only): bad input, not a bug. */
export class TrainingDataError extends Error {
  override readonly name = 'TrainingDataError';
}

/**
 * Trains on the pooled training rows of every series (each in its own time order) and scores the
 * pooled validation rows. Deterministic: the same series give the same artifact, number for number.
 */
export function trainModel(inputs: readonly NamedSeries[], settings: TrainSettings): AiModel {
  const width = FEATURE_NAMES.length;
  const trainPool: Pool = { rows: [], labels: [] };
  const validationPool: Pool = { rows: [], labels: [] };
  const createdFrom: AiModel['createdFrom'] = [];
  for (const { name, series } of inputs) {
    const split = splitSeries(series.length, settings.label.horizon);
    // Cut before anything is computed: not even an indicator reads a holdout bar.
    const usable = barsUpTo(series, split.usableEnd);
    const m = featureMatrix(usable);
    const labels = tripleBarrierLabels(usable, m.atr, settings.label);
    collect(trainPool, m, labels, split.train);
    collect(validationPool, m, labels, split.validation);
    createdFrom.push({
      file: name,
      bars: series.length,
      firstOpenTime: series.openTime[0] ?? 0,
      trainBars: [split.train[0], split.train[1]],
      validationBars: [split.validation[0], split.validation[1]],
      holdoutFrom: split.usableEnd,
    });
  }
  const train = toMatrix(trainPool, width);
  const validation = toMatrix(validationPool, width);
  const positives = train.y.reduce((sum, v) => sum + v, 0);
  if (positives === 0 || positives === train.x.rows) {
    throw new TrainingDataError(
      `the training part has ${train.x.rows} usable rows and ${positives} positives: need both classes`,
    );
  }
  const standardizer = fitStandardizer(train.x);
  const fit = fitLogistic(standardize(train.x, standardizer), train.y, { l2: settings.l2 });
  const trainP = predict(standardize(train.x, standardizer), fit);
  const threshold = thresholdForPrecision(trainP, train.y, settings.minRecall);
  const validationP = predict(standardize(validation.x, standardizer), fit);
  return {
    format: MODEL_FORMAT,
    version: MODEL_VERSION,
    createdFrom,
    features: [...FEATURE_NAMES],
    means: Array.from(standardizer.means),
    stds: Array.from(standardizer.stds),
    weights: Array.from(fit.weights),
    bias: fit.bias,
    threshold,
    label: { k: settings.label.k, m: settings.label.m, horizon: settings.label.horizon },
    timeframe: settings.timeframe,
    training: { l2: settings.l2, minRecall: settings.minRecall, iterations: fit.iterations },
    metrics: {
      train: jsonMetrics(classifierMetrics(trainP, train.y, threshold)),
      validation: jsonMetrics(classifierMetrics(validationP, validation.y, threshold)),
    },
  };
}
