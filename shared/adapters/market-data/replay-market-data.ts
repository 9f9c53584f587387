// The bots' market in the local run: the paper market's replay (ReplayMarket), so the bots see the
// same prices the paper exchange trades on. The replay runs `speed` times faster than the clock from
// a fixed anchor and loops; here it is laid out as one continuous series whose bar k (counted from the
// anchor) opens at firstOpen + k × interval and holds the replay's candle at that moment. Open times
// therefore never repeat across loops (bar ids, signal ids stay unique) and stay on UTC boundaries
// (the data is 7 whole days of 5-minute bars), so 15m/1h/4h bars are resampled from it.
import type { BarSeries, BotTimeframe } from '../../core/bots/bot-types.js';
import { TIMEFRAME_MS } from '../../core/bots/bot-types.js';
import { closedOnly, lastClosedOpenTime, resample, seriesFromArrays } from '../../core/market/resample.js';
import type { MarketData } from '../../ports/market-data.js';
import { REPLAY_ANCHOR_MS, type ReplayMarket } from '../paper/replay-market.js';

export class ReplayMarketData implements MarketData {
  private readonly firstOpen = new Map<string, number>();

  constructor(
    private readonly replay: ReplayMarket,
    private readonly speed: number,
    /** The replayed files' bar length. */
    private readonly intervalMs: number = TIMEFRAME_MS['5m'],
  ) {}

  fixedSymbols(): readonly string[] {
    return this.replay.symbols();
  }

  /** Market time (series time) at wall time `now`. */
  private marketTime(symbol: string, now: number): number {
    return this.originOf(symbol) + (now - REPLAY_ANCHOR_MS) * this.speed;
  }

  private originOf(symbol: string): number {
    let origin = this.firstOpen.get(symbol);
    if (origin === undefined) {
      origin = this.replay.candleAt(symbol, new Date(REPLAY_ANCHOR_MS)).openTime;
      this.firstOpen.set(symbol, origin);
    }
    return origin;
  }

  lastClosedOpenTime(symbol: string, timeframe: BotTimeframe, now: Date): number {
    return lastClosedOpenTime(TIMEFRAME_MS[timeframe], this.marketTime(symbol, now.getTime()));
  }

  closeTimeOf(symbol: string, timeframe: BotTimeframe, openTime: number): Date {
    const close = openTime + TIMEFRAME_MS[timeframe];
    return new Date(REPLAY_ANCHOR_MS + Math.round((close - this.originOf(symbol)) / this.speed));
  }

  async closedBars(symbol: string, timeframe: BotTimeframe, count: number, now: Date): Promise<BarSeries> {
    const tf = TIMEFRAME_MS[timeframe];
    const origin = this.originOf(symbol);
    const marketNow = this.marketTime(symbol, now.getTime());
    const end = lastClosedOpenTime(tf, marketNow) + tf;
    const start = end - count * tf;
    const firstIndex = Math.ceil((start - origin) / this.intervalMs);
    const endIndex = Math.floor((end - origin) / this.intervalMs);
    const arrays = {
      openTime: [] as number[],
      open: [] as number[],
      high: [] as number[],
      low: [] as number[],
      close: [] as number[],
      volume: [] as number[],
    };
    const wallPerBar = this.intervalMs / this.speed;
    for (let k = firstIndex; k < endIndex; k++) {
      // The middle of bar k on the wall clock: the replay's own mapping decides which candle it is.
      const candle = this.replay.candleAt(symbol, new Date(REPLAY_ANCHOR_MS + (k + 0.5) * wallPerBar));
      arrays.openTime.push(origin + k * this.intervalMs);
      arrays.open.push(Number(candle.open));
      arrays.high.push(Number(candle.high));
      arrays.low.push(Number(candle.low));
      arrays.close.push(Number(candle.close));
      arrays.volume.push(Number(candle.volume));
    }
    const source = closedOnly(seriesFromArrays(arrays), this.intervalMs, marketNow);
    return closedOnly(resample(source, this.intervalMs, tf), tf, marketNow);
  }
}
