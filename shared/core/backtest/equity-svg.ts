// The equity curve as a standalone SVG document (a string; the CLI writes it): the equity line,
// the drawdown from the running peak shaded beneath it, an optional buy-and-hold line for
// comparison, and axes labelled with dates and values. Long curves are downsampled to at most
// `maxPoints` points by keeping each bucket's low and high, so no drawdown disappears.
import { isoFromEpochMs } from '../paper/iso-time.js';

export interface EquitySvgInput {
  /** Bar times (epoch ms), index for index with `equity`. */
  readonly times: ArrayLike<number>;
  readonly equity: ArrayLike<number>;
  /** Same length as `equity`: e.g. the initial equity × close / first close. */
  readonly buyAndHold?: ArrayLike<number>;
  readonly title?: string;
  /** A line under the title, e.g. the headline figures. */
  readonly subtitle?: string;
  readonly width?: number;
  readonly height?: number;
  readonly maxPoints?: number;
}

interface Point {
  readonly i: number;
  readonly v: number;
}

const MARGIN = { left: 78, right: 24, top: 46, bottom: 44 } as const;

/** Indices to draw: all of them when few, else each bucket's minimum and maximum in time order. */
export function downsampleIndices(values: ArrayLike<number>, maxPoints: number): number[] {
  const n = values.length;
  if (n <= maxPoints) return Array.from({ length: n }, (_, i) => i);
  const buckets = Math.max(1, Math.floor(maxPoints / 2));
  const out: number[] = [];
  for (let b = 0; b < buckets; b++) {
    const from = Math.floor((b * n) / buckets);
    const to = Math.floor(((b + 1) * n) / buckets);
    let lo = from;
    let hi = from;
    for (let i = from + 1; i < to; i++) {
      if ((values[i] ?? 0) < (values[lo] ?? 0)) lo = i;
      if ((values[i] ?? 0) > (values[hi] ?? 0)) hi = i;
    }
    if (lo === hi) out.push(lo);
    else out.push(Math.min(lo, hi), Math.max(lo, hi));
  }
  return out;
}

/** Round numbers for axis ticks (1, 2 or 5 × 10^k): the widest step that still gives `atLeast` ticks. */
export function niceTicks(min: number, max: number, atLeast = 4): number[] {
  if (!(max > min)) return [min];
  const magnitude = 10 ** Math.floor(Math.log10(max - min));
  const steps = [5, 2, 1, 0.5, 0.2, 0.1, 0.05, 0.02, 0.01].map((m) => m * magnitude);
  const count = (step: number) => Math.floor(max / step) - Math.ceil(min / step) + 1;
  const step = steps.find((s) => count(s) >= atLeast) ?? magnitude / 100;
  // Integer multiples, rounded to the step's decimals: no 0.6000000000000001 on an axis.
  const decimals = Math.max(0, -Math.floor(Math.log10(step) + 1e-9));
  const ticks: number[] = [];
  for (let k = Math.ceil(min / step); k * step <= max + step * 1e-9; k++)
    ticks.push(+(k * step).toFixed(decimals));
  return ticks;
}

/** A tick's label: as many decimals as the step needs, thousands separated. */
function label(value: number, step: number): string {
  const decimals = Math.max(0, Math.min(8, -Math.floor(Math.log10(step) + 1e-9)));
  return value.toLocaleString('en-US', { minimumFractionDigits: decimals, maximumFractionDigits: decimals });
}

const escapeXml = (text: string) =>
  text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

const coords = (points: readonly Point[], x: (i: number) => number, y: (v: number) => number) =>
  points.map((p) => `${x(p.i).toFixed(1)},${y(p.v).toFixed(1)}`).join(' ');

export function renderEquitySvg(input: EquitySvgInput): string {
  const width = input.width ?? 1000;
  const height = input.height ?? 420;
  const { times, equity } = input;
  const n = equity.length;
  const plotW = width - MARGIN.left - MARGIN.right;
  const plotH = height - MARGIN.top - MARGIN.bottom;
  const indices = downsampleIndices(equity, input.maxPoints ?? 2000);
  // The running peak over every bar, read at the drawn indices: the shading stays exact.
  const peaks: Point[] = [];
  const line: Point[] = [];
  let peak = Number.NEGATIVE_INFINITY;
  let next = 0;
  for (let i = 0; i < n && next < indices.length; i++) {
    const v = equity[i] ?? 0;
    if (v > peak) peak = v;
    if (indices[next] === i) {
      line.push({ i, v });
      peaks.push({ i, v: peak });
      next++;
    }
  }
  const hold: Point[] = input.buyAndHold ? indices.map((i) => ({ i, v: input.buyAndHold?.[i] ?? 0 })) : [];
  const all = [...line, ...hold].map((p) => p.v);
  let min = Math.min(...all);
  let max = Math.max(...all);
  if (!(max > min)) {
    min -= 1;
    max += 1;
  }
  const x = (i: number) => MARGIN.left + (n > 1 ? (i / (n - 1)) * plotW : plotW / 2);
  const y = (v: number) => MARGIN.top + (1 - (v - min) / (max - min)) * plotH;
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="11">`,
    `<rect width="${width}" height="${height}" fill="#ffffff"/>`,
    `<text x="${MARGIN.left}" y="20" font-size="14" font-weight="bold">${escapeXml(input.title ?? 'Equity')}</text>`,
  ];
  const ticks = niceTicks(min, max);
  const tickStep = ticks.length > 1 ? (ticks[1] ?? 0) - (ticks[0] ?? 0) : 1;
  for (const t of ticks) {
    const ty = y(t).toFixed(1);
    parts.push(
      `<line x1="${MARGIN.left}" x2="${width - MARGIN.right}" y1="${ty}" y2="${ty}" stroke="#e5e5e5"/>`,
      `<text x="${MARGIN.left - 6}" y="${ty}" text-anchor="end" dominant-baseline="middle">${label(t, tickStep)}</text>`,
    );
  }
  const dateTicks = n > 1 ? 6 : 1;
  for (let k = 0; k < dateTicks; k++) {
    const i = dateTicks === 1 ? 0 : Math.round((k * (n - 1)) / (dateTicks - 1));
    const tx = x(i).toFixed(1);
    const date = n > 0 ? isoFromEpochMs(times[i] ?? 0).slice(0, 10) : '';
    parts.push(
      `<line x1="${tx}" x2="${tx}" y1="${MARGIN.top + plotH}" y2="${MARGIN.top + plotH + 4}" stroke="#999"/>`,
      `<text x="${tx}" y="${MARGIN.top + plotH + 18}" text-anchor="${k === 0 ? 'start' : k === dateTicks - 1 ? 'end' : 'middle'}">${date}</text>`,
    );
  }
  parts.push(
    `<rect x="${MARGIN.left}" y="${MARGIN.top}" width="${plotW}" height="${plotH}" fill="none" stroke="#999"/>`,
  );
  if (line.length > 1) {
    const back = [...line].reverse();
    parts.push(
      `<polygon points="${coords(peaks, x, y)} ${coords(back, x, y)}" fill="#d62728" fill-opacity="0.18" stroke="none"><title>drawdown</title></polygon>`,
    );
  }
  if (hold.length > 0) {
    parts.push(
      `<polyline points="${coords(hold, x, y)}" fill="none" stroke="#7f7f7f" stroke-width="1" stroke-dasharray="4 3"><title>buy and hold</title></polyline>`,
    );
  }
  parts.push(
    `<polyline points="${coords(line, x, y)}" fill="none" stroke="#1f77b4" stroke-width="1.5"><title>equity</title></polyline>`,
    `<text x="${width - MARGIN.right}" y="20" text-anchor="end" fill="#555">equity (blue), drawdown (red)${hold.length > 0 ? ', buy and hold (dashed)' : ''}</text>`,
    input.subtitle === undefined
      ? ''
      : `<text x="${MARGIN.left}" y="${MARGIN.top - 10}" fill="#555">${escapeXml(input.subtitle)}</text>`,
    '</svg>',
  );
  return `${parts.join('\n')}\n`;
}
