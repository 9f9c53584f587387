// Paper engine throughput: a year of synthetic 1-minute candles (525,600) replayed through the
// engine under two strategies whose decisions use floats while the engine does the exact maths:
// - dca: a 3Commas-style deal (market base order, three safety limits, take-profit limit and
//   stop-loss stop as one-cancels-other, both re-placed after each safety fill, cooldown after exit);
// - ladder (stress): three buy limits below the price, re-centred as the price runs away, each
//   filled lot exited by its own OCO take-profit/stop-loss: ~10× the orders of the DCA deal.
// Candles come from a seeded generator (mulberry32: trend and volatility regimes, rare gaps) and
// are parsed once by candleSeries() before the clock starts, as a backtester would for its
// indicators. Run alone with `npx tsx bench/paper-engine.ts`.
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { type CandleSeries, candleSeries } from '../shared/core/paper/candle-series.js';
import { PaperEngine } from '../shared/core/paper/engine.js';
import type { Candle, PaperOrder, PaperOrderRequest, PaperTrade } from '../shared/core/paper/engine-types.js';
import { mulberry32 } from './seeded-random.js';

const SYMBOL = 'BTC/USDT';
const MINUTE = 60_000;

/** A random walk in log price with regimes (drift and volatility re-drawn every day) and rare gaps. */
export function syntheticMinuteCandles(count: number, seed: number, startPrice = 30_000): Candle[] {
  const random = mulberry32(seed);
  const candles: Candle[] = new Array(count);
  let close = startPrice;
  let drift = 0;
  let vol = 0.0008;
  for (let i = 0; i < count; i++) {
    if (i % 1440 === 0) {
      drift = (random() - 0.5) * 0.0002;
      vol = 0.0003 + random() * 0.0015;
    }
    const gap = random() < 0.001 ? (random() - 0.5) * 0.02 : 0;
    const open = close * (1 + gap);
    const next = open * Math.exp(drift + vol * (random() + random() + random() - 1.5) * 2);
    const high = Math.max(open, next) * (1 + random() * vol);
    const low = Math.min(open, next) * (1 - random() * vol);
    close = next;
    candles[i] = {
      openTime: Date.UTC(2025, 0, 1) + i * MINUTE,
      open: open.toFixed(2),
      high: high.toFixed(2),
      low: low.toFixed(2),
      close: close.toFixed(2),
      volume: (0.5 + random() * 40).toFixed(3),
    };
  }
  return candles;
}

type Strategy = (engine: Orders, close: number, trades: readonly PaperTrade[]) => void;

/** The engine as strategies use it: placements get generated client ids, refusals are skipped. */
class Orders {
  placed = 0;
  fills = 0;
  readonly engine = new PaperEngine({
    markets: [
      {
        symbol: SYMBOL,
        base: 'BTC',
        quote: 'USDT',
        rules: { amountStep: '0.00001', minAmount: '0.00001', minNotional: '5' },
        priceTick: '0.01',
      },
    ],
    fees: { takerFeeRate: '0.001', makerFeeRate: '0.0002', slippageBps: 2 },
    balances: { USDT: '10000' },
  });

  place(request: Omit<PaperOrderRequest, 'symbol' | 'clientOrderId'>): PaperOrder | null {
    this.placed += 1;
    const result = this.engine.place({ symbol: SYMBOL, clientOrderId: `o${this.placed}`, ...request });
    return result.ok ? result.value.order : null;
  }

  /** Places a resting order; its client id while it rests. */
  rest(request: Omit<PaperOrderRequest, 'symbol' | 'clientOrderId'>): string | null {
    const order = this.place(request);
    return order?.status === 'open' ? order.clientOrderId : null;
  }
}

const price2 = (x: number) => x.toFixed(2);
/** Base amounts in integer units of the 0.00001 step, so strategy sums stay exact. */
const units = (amount: string) => Math.round(Number(amount) * 1e5);
const amount5 = (u: number) => (u / 1e5).toFixed(5);

function dcaStrategy(): Strategy {
  let held = 0; // units
  let cost = 0;
  let cooldownUntil = 0;
  let candle = 0;
  let exits: string[] = [];
  let safeties: string[] = [];
  const placeExits = (o: Orders, base: number) => {
    for (const id of exits) o.engine.cancel(id);
    const amount = amount5(held);
    const average = cost / (held / 1e5);
    const ocoGroup = `exit${o.placed}`;
    exits = [
      o.rest({ side: 'sell', type: 'limit', price: price2(average * 1.01), amount, ocoGroup }),
      o.rest({ side: 'sell', type: 'stop-market', triggerPrice: price2(base * 0.94), amount, ocoGroup }),
    ].filter((id): id is string => id !== null);
  };
  let base = 0;
  return (o, close, trades) => {
    candle += 1;
    for (const t of trades) {
      o.fills += 1;
      if (t.side === 'buy') {
        held += units(t.amount);
        cost += Number(t.cost);
        placeExits(o, base);
      } else {
        held -= units(t.amount);
        cost = (cost * held) / (held + units(t.amount));
        if (t.orderStatus === 'open' && t.orderType === 'limit') continue; // TP filling in parts
        for (const id of [...safeties, ...exits]) o.engine.cancel(id);
        safeties = [];
        exits = [];
        held = 0;
        cost = 0;
        cooldownUntil = candle + 30;
      }
    }
    if (held > 0 || exits.length > 0 || candle < cooldownUntil) return;
    base = close;
    const first = o.place({ side: 'buy', type: 'market', quoteAmount: '100' });
    if (first?.status !== 'filled') return;
    held = units(first.filled);
    cost = Number(first.cost);
    safeties = [0.99, 0.98, 0.965].flatMap((step, k) => {
      const level = close * step;
      const amount = amount5(Math.floor(((150 * 1.5 ** k) / level) * 1e5));
      const id = o.rest({ side: 'buy', type: 'limit', price: price2(level), amount });
      return id === null ? [] : [id];
    });
    placeExits(o, base);
  };
}

function ladderStrategy(): Strategy {
  let anchor = 0;
  const openBuys = new Set<string>();
  return (o, close, trades) => {
    for (const t of trades) {
      o.fills += 1;
      if (t.side !== 'buy') continue;
      if (t.orderStatus !== 'open') openBuys.delete(t.clientOrderId);
      const price = Number(t.price);
      const group = `x${t.tradeId}`;
      o.rest({
        side: 'sell',
        type: 'limit',
        price: price2(price * 1.006),
        amount: t.amount,
        ocoGroup: group,
      });
      o.rest({
        side: 'sell',
        type: 'stop-market',
        triggerPrice: price2(price * 0.97),
        amount: t.amount,
        ocoGroup: group,
      });
    }
    if (openBuys.size > 0 && close <= anchor * 1.01) return;
    for (const id of openBuys) o.engine.cancel(id);
    openBuys.clear();
    anchor = close;
    for (const step of [0.995, 0.99, 0.985]) {
      const amount = (100 / (close * step)).toFixed(5);
      const id = o.rest({ side: 'buy', type: 'limit', price: price2(close * step), amount });
      if (id !== null) openBuys.add(id);
    }
  };
}

interface ReplayFigures {
  readonly seconds: number;
  /** User + system CPU of this process during the replay: steadier than wall time on a busy machine. */
  readonly cpuSeconds: number;
  readonly candlesPerSecond: number;
  readonly ordersPlaced: number;
  readonly fills: number;
}

/** Four orders far from the price that never fill: the per-bar cost of watching resting orders. */
function restingStrategy(): Strategy {
  let placed = false;
  return (o) => {
    if (placed) return;
    placed = true;
    o.rest({ side: 'buy', type: 'limit', price: '1', amount: '10' });
    o.rest({ side: 'buy', type: 'limit', price: '2', amount: '10' });
    o.rest({ side: 'buy', type: 'stop-market', triggerPrice: '10000000', amount: '0.0001' });
    o.rest({ side: 'buy', type: 'take-profit-market', triggerPrice: '3', amount: '10' });
  };
}

const STRATEGIES = {
  dca: dcaStrategy,
  ladder: ladderStrategy,
  resting: restingStrategy,
  idle: null,
} as const;

/** One replay of `series` on a fresh engine under the named strategy. */
export function replay(series: CandleSeries, name: keyof typeof STRATEGIES): ReplayFigures {
  const strategy = STRATEGIES[name]?.() ?? null;
  const o = new Orders();
  const { close } = series;
  const cpu = process.cpuUsage();
  const started = performance.now();
  for (let i = 0; i < close.length; i++) {
    const trades = o.engine.onSeriesCandle(SYMBOL, series, i);
    if (strategy) strategy(o, close[i] ?? 0, trades);
  }
  const seconds = (performance.now() - started) / 1000;
  const used = process.cpuUsage(cpu);
  return {
    seconds,
    cpuSeconds: (used.user + used.system) / 1e6,
    candlesPerSecond: Math.round(close.length / seconds),
    ordersPlaced: o.placed,
    fills: o.fills,
  };
}

/** Median by time of `runs` replays, each on a fresh engine. */
function median(
  runs: number,
  once: () => ReplayFigures,
): ReplayFigures & { readonly firstRunSeconds: number } {
  const all = Array.from({ length: Math.max(1, runs) }, once);
  const sorted = [...all].sort((a, b) => a.seconds - b.seconds);
  const mid = sorted[Math.floor(sorted.length / 2)] ?? once();
  return { ...mid, firstRunSeconds: all[0]?.seconds ?? mid.seconds };
}

export function benchPaperEngine(options: { candles?: number; seed?: number; runs?: number } = {}) {
  const count = options.candles ?? 525_600;
  const runs = options.runs ?? 5;
  const generationStarted = performance.now();
  const candles = syntheticMinuteCandles(count, options.seed ?? 42);
  const generationSeconds = (performance.now() - generationStarted) / 1000;
  const parseStarted = performance.now();
  const series = candleSeries(candles);
  const parseSeconds = (performance.now() - parseStarted) / 1000;
  const dca = median(runs, () => replay(series, 'dca'));
  const ladder = median(runs, () => replay(series, 'ladder'));
  const resting = median(runs, () => replay(series, 'resting'));
  const idle = median(runs, () => replay(series, 'idle'));
  return {
    candles: count,
    /** The headline: a DCA backtest's engine work, candles per second (median run). */
    candlesPerSecond: dca.candlesPerSecond,
    seconds: dca.seconds,
    nsPerCandle: Math.round((dca.seconds * 1e9) / count),
    dca,
    ladder,
    resting,
    idle,
    generationSeconds,
    /** candleSeries(): every price parsed to a float once, outside the replay figures. */
    parseSeconds,
  };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  console.log(JSON.stringify(benchPaperEngine(), null, 2));
}
