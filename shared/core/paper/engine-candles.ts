// The bars a paper venue serves through fetchOhlcv: a timeframe parser, aggregation of the native
// bars into a coarser timeframe, and ccxt's since/limit selection. Shared by the paper engine's
// gateway (the candles fed to the engine) and the DynamoDB paper exchange (the replayed market).
import { dec, str } from '../money/decimal.js';
import { type Candle, type PaperResult, refused } from './engine-types.js';

const UNIT_MS: Readonly<Record<string, number>> = { m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };

/** Milliseconds of a ccxt timeframe such as "5m", "1h" or "1d"; null for anything else. */
export function timeframeMs(timeframe: string): number | null {
  const match = /^([1-9]\d*)([mhdw])$/.exec(timeframe);
  const unit = match?.[2] === undefined ? undefined : UNIT_MS[match[2]];
  return match === null || unit === undefined ? null : Number(match[1]) * unit;
}

/**
 * Native bars (oldest first, `nativeMs` apart) as `timeframe` bars: the same bars when the
 * timeframe is the native one, grouped on multiples of it (aligned to the epoch, like exchanges'
 * bars), refused for anything finer or not a whole multiple.
 */
export function barsInTimeframe(
  bars: readonly Candle[],
  nativeMs: number,
  timeframe: string,
): PaperResult<readonly Candle[]> {
  const wanted = timeframeMs(timeframe);
  if (wanted === null) return refused('invalid-order', `unknown timeframe ${timeframe}`);
  if (wanted === nativeMs) return { ok: true, value: bars };
  if (wanted < nativeMs || wanted % nativeMs !== 0) {
    return refused(
      'invalid-order',
      `the paper market has ${nativeMs / 60_000}m bars: cannot make ${timeframe}`,
    );
  }
  const out: Candle[] = [];
  let group: Candle[] = [];
  let groupOpen = Number.NaN;
  for (const bar of bars) {
    const open = Math.floor(bar.openTime / wanted) * wanted;
    if (open !== groupOpen && group.length > 0) out.push(merged(groupOpen, group));
    if (open !== groupOpen) group = [];
    groupOpen = open;
    group.push(bar);
  }
  if (group.length > 0) out.push(merged(groupOpen, group));
  return { ok: true, value: out };
}

function merged(openTime: number, group: readonly Candle[]): Candle {
  const first = group[0];
  const last = group[group.length - 1];
  if (first === undefined || last === undefined) throw new Error('merged() needs at least one bar');
  let high = dec(first.high);
  let low = dec(first.low);
  let volume = dec(0);
  for (const bar of group) {
    if (dec(bar.high).gt(high)) high = dec(bar.high);
    if (dec(bar.low).lt(low)) low = dec(bar.low);
    volume = volume.plus(bar.volume);
  }
  return {
    openTime,
    open: first.open,
    high: str(high),
    low: str(low),
    close: last.close,
    volume: str(volume),
  };
}

/** ccxt's selection: from `since` (bar open ≥ since) the first `limit` bars, else the last `limit`. */
export function selectBars(bars: readonly Candle[], since?: number, limit?: number): Candle[] {
  if (since !== undefined) {
    const from = bars.filter((b) => b.openTime >= since);
    return limit === undefined ? from : from.slice(0, limit);
  }
  return limit === undefined ? bars.slice() : bars.slice(Math.max(0, bars.length - limit));
}
