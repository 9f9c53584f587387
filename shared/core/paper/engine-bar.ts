// One bar (or tick) against a symbol's resting orders: the engine's hot path. Per bar it compares
// the float shadow of each resting order's level with the bar's float low/high; only when a bar
// touches an order does it order the touched ones along intraCandlePath and fill them exactly.
import type Big from 'big.js';
import { type DecimalString, dec } from '../money/decimal.js';
import type { BalanceBook } from './engine-balances.js';
import type { OrderLedger } from './engine-ledger.js';
import type { MarketNumbers } from './engine-market.js';
import type { OrderRecord } from './engine-orders.js';
import { PaperEngineUsageError, type PaperMarket, type PaperTrade } from './engine-types.js';
import { intraCandlePath, type OhlcPrices, type PathBias, pathDistance } from './intra-candle-path.js';

/** What the engine knows per symbol: its feed position and its resting orders. */
export interface SymbolState {
  readonly market: PaperMarket;
  readonly numbers: MarketNumbers;
  last: DecimalString | null;
  /** big.js form of `last`, parsed on first use after each bar. */
  lastExact: Big | null;
  time: number;
  resting: OrderRecord[];
  bias: PathBias | 'auto';
}

export const NO_TRADES: readonly PaperTrade[] = Object.freeze([]);

export class BarMatcher {
  /** Scratch list of the orders the current bar touched, reused to keep the hot path allocation-free. */
  private readonly touched: OrderRecord[] = [];

  constructor(
    private readonly ledger: OrderLedger,
    private readonly book: BalanceBook,
  ) {}

  /** `lo`/`hi` are the float shadows of `low`/`high` (unused while nothing rests). */
  match(
    state: SymbolState,
    time: number,
    open: string,
    high: string,
    low: string,
    close: string,
    volume: string | null,
    lo: number,
    hi: number,
  ): readonly PaperTrade[] {
    if (time < state.time) {
      const message = `${state.market.symbol}: bar at ${time} < ${state.time}`;
      throw new PaperEngineUsageError('time-went-backwards', message);
    }
    state.time = time;
    let trades = NO_TRADES;
    const resting = state.resting;
    if (resting.length > 0) {
      const touched = this.touched;
      let count = 0;
      for (let i = 0; i < resting.length; i++) {
        const o = resting[i];
        if (o === undefined) continue;
        // Different floats order the decimals exactly (parsing rounds monotonically); equal ones
        // may hide a difference beyond double precision, so big.js decides those.
        const hit = o.down
          ? lo < o.level || (lo === o.level && dec(low).lte(o.levelExact))
          : hi > o.level || (hi === o.level && dec(high).gte(o.levelExact));
        if (hit) touched[count++] = o; // no `length = 0` per bar: it is a runtime call
      }
      if (count > 0) {
        touched.length = count;
        trades = this.fillTouched(state, time, { open, high, low, close }, volume);
      }
    }
    state.last = close;
    state.lastExact = null;
    return trades;
  }

  private fillTouched(state: SymbolState, time: number, bar: OhlcPrices, volume: string | null) {
    const touched = this.touched;
    if (touched.length > 1) {
      const path = intraCandlePath(bar, this.biasOf(state)).map(Number);
      for (const o of touched) o.pathKey = pathDistance(path, o.level, o.down);
      touched.sort((a, b) => a.pathKey - b.pathKey || a.seq - b.seq);
    }
    const out = this.ledger.fillInPathOrder(touched, bar.open, volume, time);
    state.resting = state.resting.filter((o) => o.status === 'open');
    return out;
  }

  private biasOf(state: SymbolState): PathBias {
    if (state.bias !== 'auto') return state.bias;
    return this.book.total(state.market.base).gt(0) ? 'long' : 'neutral';
  }
}
