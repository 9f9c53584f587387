// A deterministic paper matching engine for one spot account over candles or ticks: it backs the
// backtester, demo trading and the gateway contract tests. No clock, no randomness: ids come from a
// counter and time from the bars fed in. Models, all conservative:
// - Market orders fill in full on placement at the reference price (the last bar's close or tick)
//   moved against the taker by `slippageBps`, taker fee. A limit order that is marketable on
//   placement (buy: limit ≥ reference; sell: limit ≤ reference) fills the same way, in full, as a
//   taker, at the slipped reference capped by its limit.
// - Resting limits fill at their limit price (no improvement, even on a gap) with the maker fee,
//   on a later bar that trades through them (buy: low ≤ price; sell: high ≥ price).
// - Partial fills: per bar and symbol our touched limits together take at most
//   participationRate × volume (default 10 %, floored to the amount step) in path order; the rest
//   stays open for later bars. A zero-volume bar fills no limit. Stops and market orders are not
//   capped.
// - Stop-market triggers when a bar trades through its trigger (sell: low ≤ trigger; buy: high ≥)
//   and fills in full at the trigger moved by slippage, or at the open moved by slippage if the bar
//   opened beyond it (a gap). Take-profit-market triggers the other way and fills at its trigger
//   moved by slippage, also on a gap. A stop or take-profit that would trigger at once is refused.
// - Order inside a bar: intraCandlePath (adverse extreme first for whoever holds the position).
//   Orders placed in reaction to a bar's fills take part from the next bar on.
// - Funds: a resting order reserves what it may spend (sell: base; buy: quote incl. its fee, and
//   slippage for stops); one-cancels-other legs share one reservation (the largest). Fees are in
//   quote. Spot only: shorts need futures, out of scope for this version.
// Speed: the per-bar test compares float shadows of each resting order's level with the bar's
// high/low (exact: parsing rounds monotonically, so only equal floats need big.js); big.js runs
// only for orders a bar touched. onSeriesCandle reads the high/low parsed once by candleSeries().

import type Big from 'big.js';
import type { Balance } from '../../ports/exchange-gateway.js';
import { type DecimalString, dec, str } from '../money/decimal.js';
import type { CandleSeries } from './candle-series.js';
import { BalanceBook } from './engine-balances.js';
import { BarMatcher, NO_TRADES, type SymbolState } from './engine-bar.js';
import { OrderLedger } from './engine-ledger.js';
import { floorQuotient, marketNumbers, sizeProblem } from './engine-market.js';
import {
  newOrderRecord,
  type OrderRecord,
  type ParsedRequest,
  type Pricing,
  parseRequest,
  pricingOf,
  restingNeed,
  slipped,
  touchedGoingDown,
  toView,
} from './engine-orders.js';
import {
  type Candle,
  type PaperEngineConfig,
  PaperEngineUsageError,
  type PaperMarket,
  type PaperOrder,
  type PaperOrderRequest,
  type PaperPlacement,
  type PaperResult,
  type PaperTrade,
  refused,
  type Tick,
} from './engine-types.js';
import type { PathBias } from './intra-candle-path.js';
import type { PaperFeeModel } from './matching.js';

const ZERO = dec(0);

export class PaperEngine {
  private readonly symbols = new Map<string, SymbolState>();
  private readonly byClientId = new Map<string, OrderRecord>();
  /** Every order by its seq (ids are `${idPrefix}${seq}`), a cheaper index than a second map. */
  private readonly bySeq: OrderRecord[] = [];
  private readonly book: BalanceBook;
  private readonly pricing: Pricing;
  private readonly ledger: OrderLedger;
  private readonly idPrefix: string;
  private seq = 0;
  private readonly bars: BarMatcher;
  readonly fees: PaperFeeModel;
  /** The last candles fed per symbol, oldest first, for a gateway's fetchOhlcv (none by default). */
  private readonly kept = new Map<string, Candle[]>();
  private readonly keepCandles: number;

  constructor(config: PaperEngineConfig) {
    const time = config.startTime ?? 0;
    for (const market of config.markets) {
      const numbers = marketNumbers(market);
      this.symbols.set(market.symbol, {
        market,
        numbers,
        last: null,
        lastExact: null,
        time,
        resting: [],
        bias: 'auto',
      });
    }
    this.book = new BalanceBook(config.balances);
    this.pricing = pricingOf(config.fees);
    const participation = config.participationRate === null ? null : dec(config.participationRate ?? '0.1');
    this.ledger = new OrderLedger(this.book, this.pricing, participation);
    this.idPrefix = config.orderIdPrefix ?? 'paper-';
    this.bars = new BarMatcher(this.ledger, this.book);
    this.fees = config.fees;
    this.keepCandles = config.keepCandles ?? 0;
  }

  markets(): PaperMarket[] {
    return [...this.symbols.values()].map((s) => s.market);
  }

  market(symbol: string): PaperMarket | undefined {
    return this.symbols.get(symbol)?.market;
  }

  lastPrice(symbol: string): DecimalString | null {
    return this.symbols.get(symbol)?.last ?? null;
  }

  /** Epoch ms of the symbol's last bar or tick (the engine's only notion of time). */
  time(symbol: string): number {
    return this.state(symbol).time;
  }

  balances(): Balance[] {
    return this.book.snapshot();
  }

  order(orderId: string): PaperOrder | null {
    const suffix = orderId.startsWith(this.idPrefix) ? orderId.slice(this.idPrefix.length) : '';
    const o = /^[1-9]\d*$/.test(suffix) ? this.bySeq[Number(suffix) - 1] : undefined;
    return o ? toView(o) : null;
  }

  orderByClientId(clientOrderId: string): PaperOrder | null {
    const o = this.byClientId.get(clientOrderId);
    return o ? toView(o) : null;
  }

  /** How many orders the account has placed (refused ones take no id and do not count). */
  orderCount(): number {
    return this.bySeq.length;
  }

  /** The fills on `symbol` at or after `since` (epoch ms of the feed), oldest first. */
  fillsSince(symbol: string, since: number): PaperTrade[] {
    const out: PaperTrade[] = [];
    for (const o of this.bySeq) {
      if (o.market.symbol !== symbol) continue;
      for (const t of o.trades) if (t.time >= since) out.push(t);
    }
    return out.sort((a, b) => a.time - b.time); // stable: same-time fills stay in placement order
  }

  /** The last `keepCandles` candles fed for `symbol`, oldest first (ticks make no candles). */
  candles(symbol: string): Candle[] {
    this.state(symbol); // an unknown symbol is a usage error, as for the feed
    return (this.kept.get(symbol) ?? []).slice(-this.keepCandles);
  }

  openOrders(symbol?: string): PaperOrder[] {
    const states = symbol === undefined ? [...this.symbols.values()] : [this.state(symbol)];
    return states.flatMap((s) => s.resting.map(toView));
  }

  /** Whose adverse extreme comes first inside a bar; 'auto': long while any base is held, else neutral. */
  setPathBias(symbol: string, bias: PathBias | 'auto'): void {
    this.state(symbol).bias = bias;
  }

  place(request: PaperOrderRequest): PaperResult<PaperPlacement> {
    const known = this.byClientId.get(request.clientOrderId);
    if (known) return placed(known, NO_TRADES, true);
    if (request.clientOrderId === '') return refused('invalid-order', 'clientOrderId is required');
    const state = this.symbols.get(request.symbol);
    if (!state) return refused('invalid-order', `unknown symbol ${request.symbol}`);
    const parsed = parseRequest(request, state.numbers);
    if (!parsed.ok) return parsed;
    const p = parsed.value;
    if (p.type === 'market') return this.placeTaker(request.clientOrderId, p, state);
    const level = p.price ?? p.trigger ?? ZERO;
    const last = lastExact(state);
    const crossed = last !== null && (touchedGoingDown(p.type, p.side) ? last.lte(level) : last.gte(level));
    if (crossed) {
      if (p.type !== 'limit') return refused('invalid-order', `the ${p.type} would trigger immediately`);
      if (p.ocoGroup !== null)
        return refused('invalid-order', 'an OCO leg must rest, this one is marketable');
      return this.placeTaker(request.clientOrderId, p, state);
    }
    return this.placeResting(request.clientOrderId, p, state);
  }

  /** Cancels an open order and releases its reservation; cancelling a closed order returns it as is. */
  cancel(clientOrderId: string): PaperResult<PaperOrder> {
    const o = this.byClientId.get(clientOrderId);
    if (!o) return refused('order-not-found', `no order with client id ${clientOrderId}`);
    if (o.status === 'open') {
      const state = this.state(o.market.symbol);
      state.resting.splice(state.resting.indexOf(o), 1);
      this.ledger.leaveGroup(o);
      this.ledger.close(o, 'cancelled', 'cancelled', state.time);
    }
    return { ok: true, value: toView(o) };
  }

  onCandle(symbol: string, candle: Candle): readonly PaperTrade[] {
    const state = this.state(symbol);
    const { openTime, open, high, low, close, volume } = candle;
    const parse = state.resting.length > 0; // nothing to touch: skip parsing the prices
    const trades = this.bars.match(
      state,
      openTime,
      open,
      high,
      low,
      close,
      volume,
      parse ? +low : 0,
      parse ? +high : 0,
    );
    if (this.keepCandles > 0) this.keep(symbol, candle);
    return trades;
  }

  /** onCandle for `series.candles[index]`, using the series' pre-parsed high and low. */
  onSeriesCandle(symbol: string, series: CandleSeries, index: number): readonly PaperTrade[] {
    const candle = series.candles[index];
    const lo = series.low[index];
    const hi = series.high[index];
    if (candle === undefined || lo === undefined || hi === undefined) {
      throw new PaperEngineUsageError('no-such-candle', `no candle ${index} in the series`);
    }
    const { openTime, open, high, low, close, volume } = candle;
    const trades = this.bars.match(this.state(symbol), openTime, open, high, low, close, volume, lo, hi);
    if (this.keepCandles > 0) this.keep(symbol, candle);
    return trades;
  }

  onTick(symbol: string, tick: Tick): readonly PaperTrade[] {
    const { at, price, volume } = tick;
    const f = +price;
    return this.bars.match(this.state(symbol), at, price, price, price, price, volume ?? null, f, f);
  }

  private keep(symbol: string, candle: Candle): void {
    const kept = this.kept.get(symbol) ?? [];
    if (kept.length === 0) this.kept.set(symbol, kept);
    kept.push(candle);
    // Trimmed in batches: one splice per keepCandles bars instead of a shift per bar.
    if (kept.length >= 2 * this.keepCandles) kept.splice(0, kept.length - this.keepCandles);
  }

  private state(symbol: string): SymbolState {
    const state = this.symbols.get(symbol);
    if (!state) throw new PaperEngineUsageError('unknown-symbol', `the engine has no market ${symbol}`);
    return state;
  }

  private placeTaker(
    clientOrderId: string,
    p: ParsedRequest,
    state: SymbolState,
  ): PaperResult<PaperPlacement> {
    const last = lastExact(state);
    if (last === null) return refused('invalid-order', `no market price yet for ${state.market.symbol}`);
    let price = slipped(last, p.side, this.pricing);
    if (p.price !== null && (p.side === 'buy' ? price.gt(p.price) : price.lt(p.price))) price = p.price;
    const { base, quote } = state.market;
    const amount = p.amount ?? floorQuotient(p.quoteAmount ?? ZERO, price, state.numbers);
    const problem = sizeProblem(amount, price, state.numbers);
    if (problem) return { ok: false, error: problem };
    const spend = p.side === 'buy' ? amount.times(price).times(this.pricing.takerGross) : amount;
    const currency = p.side === 'buy' ? quote : base;
    if (this.book.free(currency).lt(spend)) {
      return refused('insufficient-funds', `not enough ${currency}: need ${str(spend)}`);
    }
    const o = newOrderRecord(this.seq + 1, this.idPrefix, clientOrderId, p, amount, state.time, ZERO);
    this.register(o);
    return placed(o, [this.ledger.fill(o, amount, price, 'taker', state.time, false)], false);
  }

  private placeResting(
    clientOrderId: string,
    p: ParsedRequest,
    state: SymbolState,
  ): PaperResult<PaperPlacement> {
    const amount = p.amount ?? ZERO;
    const need = restingNeed(p, amount, this.pricing);
    const o = newOrderRecord(this.seq + 1, this.idPrefix, clientOrderId, p, amount, state.time, need);
    const currency = p.side === 'buy' ? state.market.quote : state.market.base;
    const problem = this.ledger.reserve(o, currency, p.ocoGroup);
    if (problem) return { ok: false, error: problem };
    this.register(o);
    state.resting.push(o);
    return placed(o, NO_TRADES, false);
  }

  private register(o: OrderRecord): void {
    this.seq = o.seq; // a refused order takes no id
    this.byClientId.set(o.clientOrderId, o);
    this.bySeq.push(o);
  }
}

function lastExact(state: SymbolState): Big | null {
  if (state.lastExact === null && state.last !== null) state.lastExact = dec(state.last);
  return state.lastExact;
}

function placed(
  o: OrderRecord,
  trades: readonly PaperTrade[],
  duplicate: boolean,
): PaperResult<PaperPlacement> {
  return { ok: true, value: { order: toView(o), trades, duplicate } };
}
