// How good a probabilistic classifier is: ranking (ROC AUC), calibration (log loss) and what firing
// at one threshold would give (precision, recall, accuracy), against the base rate of positives.

/**
 * Area under the ROC curve: the chance a random positive outranks a random negative, ties counted
 * half (Mann–Whitney with average ranks). NaN when either class is missing.
 */
export function rocAuc(scores: Float64Array, labels: Uint8Array): number {
  const n = scores.length;
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => (scores[a] ?? 0) - (scores[b] ?? 0));
  let positives = 0;
  let rankSum = 0;
  let i = 0;
  while (i < n) {
    let j = i;
    const value = scores[order[i] ?? 0] ?? 0;
    while (j + 1 < n && (scores[order[j + 1] ?? 0] ?? 0) === value) j++;
    const averageRank = (i + j) / 2 + 1;
    for (let k = i; k <= j; k++) {
      if ((labels[order[k] ?? 0] ?? 0) === 1) {
        positives++;
        rankSum += averageRank;
      }
    }
    i = j + 1;
  }
  const negatives = n - positives;
  if (positives === 0 || negatives === 0) return Number.NaN;
  return (rankSum - (positives * (positives + 1)) / 2) / (positives * negatives);
}

/** Mean negative log-likelihood, probabilities clipped to [1e-15, 1 − 1e-15]. */
export function logLoss(probabilities: Float64Array, labels: Uint8Array): number {
  let sum = 0;
  for (let i = 0; i < probabilities.length; i++) {
    const p = Math.min(Math.max(probabilities[i] ?? 0, 1e-15), 1 - 1e-15);
    sum -= (labels[i] ?? 0) === 1 ? Math.log(p) : Math.log(1 - p);
  }
  return probabilities.length === 0 ? Number.NaN : sum / probabilities.length;
}

export interface ClassifierMetrics {
  readonly rows: number;
  /** Share of positive labels. */
  readonly baseRate: number;
  readonly auc: number;
  readonly logLoss: number;
  /** At the decision threshold (fire when p ≥ threshold): */
  readonly accuracy: number;
  readonly precision: number;
  readonly recall: number;
  /** Share of rows that would fire. */
  readonly fireRate: number;
}

export function classifierMetrics(
  probabilities: Float64Array,
  labels: Uint8Array,
  threshold: number,
): ClassifierMetrics {
  let tp = 0;
  let fp = 0;
  let fn = 0;
  let tn = 0;
  for (let i = 0; i < probabilities.length; i++) {
    const fire = (probabilities[i] ?? 0) >= threshold;
    const positive = (labels[i] ?? 0) === 1;
    if (fire && positive) tp++;
    else if (fire) fp++;
    else if (positive) fn++;
    else tn++;
  }
  const n = probabilities.length;
  return {
    rows: n,
    baseRate: n === 0 ? Number.NaN : (tp + fn) / n,
    auc: rocAuc(probabilities, labels),
    logLoss: logLoss(probabilities, labels),
    accuracy: n === 0 ? Number.NaN : (tp + tn) / n,
    precision: tp + fp === 0 ? Number.NaN : tp / (tp + fp),
    recall: tp + fn === 0 ? Number.NaN : tp / (tp + fn),
    fireRate: n === 0 ? Number.NaN : (tp + fp) / n,
  };
}

/**
 * The decision threshold with the best precision among those that still catch at least
 * `minRecall` of the positives (ties: the lower threshold, i.e. more signals). Meant for the
 * training rows only. Thresholds are the distinct probabilities themselves.
 */
export function thresholdForPrecision(
  probabilities: Float64Array,
  labels: Uint8Array,
  minRecall: number,
): number {
  const n = probabilities.length;
  const order = Array.from({ length: n }, (_, i) => i).sort(
    (a, b) => (probabilities[b] ?? 0) - (probabilities[a] ?? 0),
  );
  let positives = 0;
  for (const l of labels) positives += l === 1 ? 1 : 0;
  let best = Number.NaN;
  let bestPrecision = -1;
  let tp = 0;
  let i = 0;
  while (i < n) {
    const value = probabilities[order[i] ?? 0] ?? 0;
    while (i < n && (probabilities[order[i] ?? 0] ?? 0) === value) {
      tp += (labels[order[i] ?? 0] ?? 0) === 1 ? 1 : 0;
      i++;
    }
    const recall = positives === 0 ? 0 : tp / positives;
    const precision = tp / i;
    if (recall >= minRecall && precision >= bestPrecision) {
      bestPrecision = precision;
      best = value;
    }
  }
  return best;
}
