// L2-regularized logistic regression in plain TypeScript over row-major Float64Arrays, fitted by
// Newton's method (deterministic, no randomness), with the standardization and metrics around it.

/** `rows` × `width` numbers, row-major. */
export interface Matrix {
  readonly rows: number;
  readonly width: number;
  readonly values: Float64Array;
}

export interface Standardizer {
  readonly means: Float64Array;
  readonly stds: Float64Array;
}

/** Column means and population standard deviations; a constant column gets std 1 (it stays 0). */
export function fitStandardizer(x: Matrix): Standardizer {
  const { rows, width, values } = x;
  const means = new Float64Array(width);
  const stds = new Float64Array(width);
  for (let r = 0; r < rows; r++) {
    for (let j = 0; j < width; j++) means[j] = (means[j] ?? 0) + (values[r * width + j] ?? 0);
  }
  for (let j = 0; j < width; j++) means[j] = (means[j] ?? 0) / Math.max(rows, 1);
  for (let r = 0; r < rows; r++) {
    for (let j = 0; j < width; j++) {
      const d = (values[r * width + j] ?? 0) - (means[j] ?? 0);
      stds[j] = (stds[j] ?? 0) + d * d;
    }
  }
  for (let j = 0; j < width; j++) {
    const sd = Math.sqrt((stds[j] ?? 0) / Math.max(rows, 1));
    stds[j] = sd > 1e-12 ? sd : 1;
  }
  return { means, stds };
}

/** A standardized copy: (x − mean) / std with the given (training) statistics. */
export function standardize(x: Matrix, st: Standardizer): Matrix {
  const out = new Float64Array(x.values.length);
  for (let i = 0; i < out.length; i++) {
    const j = i % x.width;
    out[i] = ((x.values[i] ?? 0) - (st.means[j] ?? 0)) / (st.stds[j] ?? 1);
  }
  return { rows: x.rows, width: x.width, values: out };
}

export const sigmoid = (t: number): number =>
  t >= 0 ? 1 / (1 + Math.exp(-t)) : Math.exp(t) / (1 + Math.exp(t));

export interface LogisticModel {
  readonly weights: Float64Array;
  readonly bias: number;
}

export interface FitOptions {
  /** λ in mean log loss + λ/2·‖w‖² (the bias is not penalized). */
  readonly l2: number;
  readonly maxIterations?: number;
  /** Stop when the largest Newton step is below this. */
  readonly tolerance?: number;
}

export interface FitResult extends LogisticModel {
  readonly iterations: number;
  readonly converged: boolean;
}

/** The score w·z + b of each row. */
export function scores(z: Matrix, model: LogisticModel): Float64Array {
  const { rows, width, values } = z;
  const out = new Float64Array(rows);
  for (let r = 0; r < rows; r++) {
    let t = model.bias;
    for (let j = 0; j < width; j++) t += (model.weights[j] ?? 0) * (values[r * width + j] ?? 0);
    out[r] = t;
  }
  return out;
}

export function predict(z: Matrix, model: LogisticModel): Float64Array {
  return scores(z, model).map(sigmoid);
}

function objective(z: Matrix, y: Uint8Array, w: Float64Array, b: number, l2: number): number {
  const s = scores(z, { weights: w, bias: b });
  let loss = 0;
  for (let r = 0; r < z.rows; r++) {
    const t = s[r] ?? 0;
    // log(1 + e^t) − y·t, written to stay finite for large |t|.
    loss += Math.max(t, 0) + Math.log1p(Math.exp(-Math.abs(t))) - (y[r] ?? 0) * t;
  }
  let penalty = 0;
  for (const v of w) penalty += v * v;
  return loss / Math.max(z.rows, 1) + (l2 / 2) * penalty;
}

/** Solves A x = g for a symmetric positive definite A (size d × d, row-major) by Cholesky. */
function solveSpd(a: Float64Array, g: Float64Array, d: number): Float64Array {
  const L = new Float64Array(d * d);
  for (let i = 0; i < d; i++) {
    for (let j = 0; j <= i; j++) {
      let sum = a[i * d + j] ?? 0;
      for (let k = 0; k < j; k++) sum -= (L[i * d + k] ?? 0) * (L[j * d + k] ?? 0);
      if (i === j) L[i * d + i] = Math.sqrt(Math.max(sum, 1e-300));
      else L[i * d + j] = sum / (L[j * d + j] ?? 1);
    }
  }
  const tmp = new Float64Array(d);
  for (let i = 0; i < d; i++) {
    let sum = g[i] ?? 0;
    for (let k = 0; k < i; k++) sum -= (L[i * d + k] ?? 0) * (tmp[k] ?? 0);
    tmp[i] = sum / (L[i * d + i] ?? 1);
  }
  const x = new Float64Array(d);
  for (let i = d - 1; i >= 0; i--) {
    let sum = tmp[i] ?? 0;
    for (let k = i + 1; k < d; k++) sum -= (L[k * d + i] ?? 0) * (x[k] ?? 0);
    x[i] = sum / (L[i * d + i] ?? 1);
  }
  return x;
}

/**
 * Newton's method on the mean log loss plus λ/2·‖w‖², with step halving whenever a full step
 * would not lower the objective. The last coordinate of the system is the bias.
 */
export function fitLogistic(z: Matrix, y: Uint8Array, options: FitOptions): FitResult {
  const { rows, width, values } = z;
  const d = width + 1;
  const maxIterations = options.maxIterations ?? 50;
  const tolerance = options.tolerance ?? 1e-9;
  const l2 = options.l2;
  let w = new Float64Array(width);
  let b = 0;
  let current = objective(z, y, w, b, l2);
  for (let iter = 1; iter <= maxIterations; iter++) {
    const grad = new Float64Array(d);
    const hess = new Float64Array(d * d);
    const x = new Float64Array(d);
    x[width] = 1;
    for (let r = 0; r < rows; r++) {
      let t = b;
      for (let j = 0; j < width; j++) {
        const v = values[r * width + j] ?? 0;
        x[j] = v;
        t += (w[j] ?? 0) * v;
      }
      const p = sigmoid(t);
      const residual = p - (y[r] ?? 0);
      const curvature = p * (1 - p);
      for (let i = 0; i < d; i++) {
        const xi = x[i] ?? 0;
        grad[i] = (grad[i] ?? 0) + residual * xi;
        const ci = curvature * xi;
        for (let j = 0; j <= i; j++) hess[i * d + j] = (hess[i * d + j] ?? 0) + ci * (x[j] ?? 0);
      }
    }
    const n = Math.max(rows, 1);
    for (let i = 0; i < d; i++) {
      grad[i] = (grad[i] ?? 0) / n + (i < width ? l2 * (w[i] ?? 0) : 0);
      for (let j = 0; j <= i; j++) {
        const h = (hess[i * d + j] ?? 0) / n + (i === j ? (i < width ? l2 : 1e-10) : 0);
        hess[i * d + j] = h;
        hess[j * d + i] = h;
      }
    }
    const step = solveSpd(hess, grad, d);
    let scale = 1;
    let nextW = w;
    let nextB = b;
    let next = current;
    for (let halving = 0; halving < 30; halving++) {
      nextW = w.map((v, j) => v - scale * (step[j] ?? 0));
      nextB = b - scale * (step[width] ?? 0);
      next = objective(z, y, nextW, nextB, l2);
      if (next <= current) break;
      scale /= 2;
    }
    let largest = 0;
    for (const s of step) largest = Math.max(largest, Math.abs(s * scale));
    if (next > current) return { weights: w, bias: b, iterations: iter, converged: true };
    w = nextW;
    b = nextB;
    current = next;
    if (largest < tolerance) return { weights: w, bias: b, iterations: iter, converged: true };
  }
  return { weights: w, bias: b, iterations: maxIterations, converged: false };
}
