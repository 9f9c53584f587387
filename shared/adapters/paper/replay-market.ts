// The paper market's price source: candles replayed from CSV files (timestamp_ms,open,high,low,close,
// volume), one file per symbol named like BTC_USDT-5m.csv. Market time runs `speed` times faster
// than wall time from a fixed anchor, so every process sees the same price at the same moment; the
// replay loops at the end of the data.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export interface Candle {
  readonly openTime: number;
  readonly open: string;
  readonly high: string;
  readonly low: string;
  readonly close: string;
  readonly volume: string;
}

interface Series {
  readonly candles: readonly Candle[];
  readonly intervalMs: number;
}

/** Wall-clock instant at which market time equals the first candle of every series. */
export const REPLAY_ANCHOR_MS = Date.UTC(2026, 0, 1);

export function parseCandlesCsv(text: string): Candle[] {
  const lines = text.split('\n').filter((l) => l.trim() !== '');
  const rows = /^\d/.test(lines[0] ?? '') ? lines : lines.slice(1);
  return rows.map((line, i) => {
    const [ts, open, high, low, close, volume] = line.trim().split(',');
    if (!ts || !open || !high || !low || !close || volume === undefined) {
      throw new Error(`Malformed candle row ${i + 1}: "${line}"`);
    }
    return { openTime: Number(ts), open, high, low, close, volume };
  });
}

export class ReplayMarket {
  private readonly series = new Map<string, Series>();

  constructor(
    directory: string,
    private readonly speed: number,
  ) {
    for (const file of readdirSync(directory).filter((f) => f.endsWith('.csv'))) {
      const match = /^([A-Z0-9]+)_([A-Z0-9]+)-/.exec(file);
      if (!match) continue;
      const candles = parseCandlesCsv(readFileSync(join(directory, file), 'utf8'));
      const first = candles[0];
      const second = candles[1];
      if (!first || !second) continue;
      this.series.set(`${match[1]}/${match[2]}`, { candles, intervalMs: second.openTime - first.openTime });
    }
  }

  hasSymbol(symbol: string): boolean {
    return this.series.has(symbol);
  }

  symbols(): string[] {
    return [...this.series.keys()].sort();
  }

  private seriesFor(symbol: string): Series {
    const s = this.series.get(symbol);
    if (!s) throw new Error(`The paper market has no data for ${symbol}`);
    return s;
  }

  /** Index of the candle in progress at wall time `now`. */
  private indexAt(series: Series, now: Date): number {
    const elapsedMarketMs = (now.getTime() - REPLAY_ANCHOR_MS) * this.speed;
    const n = series.candles.length;
    return ((Math.floor(elapsedMarketMs / series.intervalMs) % n) + n) % n;
  }

  /** The candle in progress at `now` (the last trade is its close). */
  candleAt(symbol: string, now: Date): Candle {
    const series = this.seriesFor(symbol);
    const candle = series.candles[this.indexAt(series, now)];
    if (!candle) throw new Error(`No candle for ${symbol}`);
    return candle;
  }

  /** Candles traded from `from` to `to` (wall time), inclusive, in order; wraps at the loop point. */
  candlesBetween(symbol: string, from: Date, to: Date): Candle[] {
    const series = this.seriesFor(symbol);
    const n = series.candles.length;
    const a = this.indexAt(series, from);
    const b = this.indexAt(series, to);
    const span = Math.floor(((to.getTime() - from.getTime()) * this.speed) / series.intervalMs);
    const count = span >= n ? n : ((b - a + n) % n) + 1;
    return Array.from({ length: count }, (_, k) => series.candles[(a + k) % n]).filter(
      (c) => c !== undefined,
    );
  }
}
